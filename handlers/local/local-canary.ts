/**
 * One mailbox canary round through the local pipeline: the real canary (its production adapters at the emulators and
 * the Secrets Manager stub) sends its probes through the SES emulator; each probe the emulator captured is then
 * received as SES would receive it (stored under `inbound/`, stamped with SES's verdicts, the receipt event to the
 * router); one forged probe follows (a well-formed token under another key), which must come out `suspicious`; then
 * the run's check. Locally nothing sits between SES sending and SES receiving but this file.
 *
 * Only the SES-receiving domains' mailboxes and the extra inbound addresses are probed: a forwarded domain's five
 * mailboxes live at the corporate mail system, and no corporate system forwards anything here.
 */
import { createHash, randomBytes } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { dynamoDbCanaryStore } from '../adapters/dynamodb-canary-store.js';
import { countingMetrics } from '../adapters/observability.js';
import { secretsManagerProbeKey } from '../adapters/secrets-manager-probe-key.js';
import { type SentMailObserver, sesProbeMailer, sesSnsNotifier } from '../adapters/ses-sns-notifier.js';
import { makeCanary } from '../canary/canary.js';
import { probeTargets } from '../core/canary/targets.js';
import { PROBE_HEADER, probeTime, readProbeToken, signProbeToken } from '../core/canary/token.js';
import { type Configuration, domainOf, watchedAddresses } from '../core/configuration/index.js';
import { ARCHIVE_PREFIX } from '../core/deployment-contract.js';
import type { Outcome } from '../core/routing/outcomes.js';
import { sesRecordForStoredMail } from '../core/stored-mail-event.js';
import type { CanaryResult, CheckScheduler } from '../ports/canary.js';
import type { Log } from '../ports/observability.js';
import type { MailOutcome } from '../router/process-mail.js';
import type { LocalDeployment } from './services.js';

type Router = (event: { Records: ReturnType<typeof sesRecordForStoredMail>[] }) => Promise<MailOutcome[]>;

export interface LocalCanaryOptions {
  readonly configuration: Configuration;
  readonly deployment: LocalDeployment;
  /** The local router, as the fixtures were routed. */
  readonly router: Router;
  readonly logger: Log;
  /** Told of every mail the canary sends (probes and any missing-probe alert), as the run's other mail. */
  readonly observe: SentMailObserver;
}

export interface LocalCanaryRound {
  readonly runId: string;
  /** Each probe the canary sent, the message id it was received under, and the router's outcome. */
  readonly probes: readonly { readonly address: string; readonly messageId: string; readonly outcome: Outcome }[];
  /** The forged probe: a well-formed token signed with another key. */
  readonly forged: { readonly address: string; readonly messageId: string; readonly outcome: Outcome };
  /** The run's check, as its one-time schedule would have run it. */
  readonly check: Extract<CanaryResult, { action: 'check-round' }>;
}

/** The configuration the local round probes with: forwarded domains' corporate mailboxes left out (see above). */
export function localCanaryConfiguration(configuration: Configuration): Configuration {
  return {
    ...configuration,
    validationDomains: configuration.validationDomains.map((domain) =>
      domain.receive === 'forwarded' ? { ...domain, probeForwarding: false } : domain,
    ),
  };
}

export async function runLocalCanaryRound(options: LocalCanaryOptions): Promise<LocalCanaryRound> {
  const { deployment } = options;
  const configuration = localCanaryConfiguration(options.configuration);
  const targets = new Set(probeTargets(configuration).map((target) => target.address));
  const captured: Buffer[] = [];
  const checks: { runId: string; at: Date }[] = [];
  // No EventBridge Scheduler locally: the requested check is kept and run right after the probes were received.
  const checkScheduler: CheckScheduler = {
    async scheduleCheck(runId, at) {
      checks.push({ runId, at });
    },
  };
  const canary = makeCanary({
    configuration,
    probeKeys: secretsManagerProbeKey(deployment.clients.secretsManager, deployment.probeKeySecretArn),
    store: dynamoDbCanaryStore(deployment.clients.dynamodb, deployment.table),
    checks: checkScheduler,
    probeMailer: sesProbeMailer(
      deployment.clients.sesv2,
      { sender: configuration.sender, onlyTo: targets },
      (raw, id, mail) => {
        captured.push(raw);
        options.observe(raw, id, mail);
      },
    ),
    alerts: sesSnsNotifier(
      deployment.clients.sesv2,
      deployment.clients.sns,
      {
        sender: configuration.sender,
        neverSendTo: watchedAddresses(configuration),
        alertsTopicArn: deployment.alertsTopicArn,
      },
      options.observe,
    ),
    metrics: countingMetrics(),
    logger: options.logger,
    clock: () => new Date(),
    randomBytes,
  });

  const round = await canary({ action: 'send-round', trigger: 'schedule' });
  if (round.action !== 'send-round') throw new Error('the canary answered a send round with a check');
  const probes = [];
  for (const raw of captured) {
    const address = recipientOf(raw);
    const { messageId, outcome } = await receive(options, raw, address, configuration);
    probes.push({ address, messageId, outcome });
  }
  const [first] = captured;
  if (first === undefined) throw new Error('the canary sent no probe: nothing to forge one from');
  const forgedRaw = forge(first);
  const forgedAddress = recipientOf(forgedRaw);
  const forged = { address: forgedAddress, ...(await receive(options, forgedRaw, forgedAddress, configuration)) };

  const [check] = checks;
  if (check === undefined) throw new Error('the canary asked for no check');
  const checked = await canary({ action: 'check-round', runId: check.runId });
  if (checked.action !== 'check-round') throw new Error('the canary answered a check with a send round');
  return { runId: round.runId, probes, forged, check: checked };
}

/** SES's part: store the mail under `inbound/` with SES's stamp on top, then invoke the router with its receipt. */
async function receive(
  options: LocalCanaryOptions,
  sent: Buffer,
  recipient: string,
  configuration: Configuration,
): Promise<{ messageId: string; outcome: Outcome }> {
  const stored = Buffer.concat([sesReceiptStamp(recipient, configuration), sent]);
  const messageId = `local-probe-${createHash('sha256').update(stored).digest('hex').slice(0, 32)}`;
  await options.deployment.clients.s3.send(
    new PutObjectCommand({
      Bucket: options.deployment.bucket,
      Key: `${ARCHIVE_PREFIX.inbound}${messageId}`,
      Body: stored,
    }),
  );
  const [result] = await options.router({
    Records: [sesRecordForStoredMail(messageId, stored, configuration.region, new Date())],
  });
  if (result === undefined) throw new Error(`the router returned no outcome for the probe to ${recipient}`);
  return { messageId, outcome: result.outcome };
}

/**
 * The fields SES puts on top of a mail it receives, in its order (core/ses-verdicts.ts), saying what SES would find
 * for mail our sender sent through SES itself: SPF, DKIM of the sender's domain (SES signs with it) and DMARC pass,
 * no spam, no virus. The receipt and signature values are placeholders: nothing verifies them.
 */
export function sesReceiptStamp(recipient: string, configuration: Configuration): Buffer {
  const senderDomain = domainOf(configuration.sender);
  const region = configuration.region;
  const envelopeFrom = `local-probe@${region}.amazonses.com`;
  const helo = `local.smtp-out.${region}.amazonses.com`;
  const spf = `pass (spfCheck: domain of ${region}.amazonses.com designates 127.0.0.1 as permitted sender) client-ip=127.0.0.1; envelope-from=${envelopeFrom}; helo=${helo};`;
  const fields = [
    `Return-Path: <${envelopeFrom}>`,
    `Received: from ${helo} (${helo} [127.0.0.1])`,
    ` by inbound-smtp.${region}.amazonaws.com with SMTP id local${randomBytes(12).toString('hex')}`,
    ` for ${recipient};`,
    ` ${new Date().toUTCString().replace(/GMT$/, '+0000')}`,
    'X-SES-Spam-Verdict: PASS',
    'X-SES-Virus-Verdict: PASS',
    `Received-SPF: ${spf}`,
    'Authentication-Results: amazonses.com;',
    ` spf=${spf}`,
    ` dkim=pass header.i=@${senderDomain};`,
    ' dkim=pass header.i=@amazonses.com;',
    ` dmarc=pass header.from=${senderDomain};`,
    `X-SES-RECEIPT: ${randomBytes(48).toString('base64')}`,
    'X-SES-DKIM-SIGNATURE: a=rsa-sha256; q=dns/txt; c=relaxed/simple; s=local; d=amazonses.com; t=0;',
    `\tbh=${randomBytes(32).toString('base64')}; b=${randomBytes(64).toString('base64')}`,
  ];
  return Buffer.from(`${fields.join('\r\n')}\r\n`, 'latin1');
}

/** The probe's one recipient, from its `To` field (the composer writes one line). */
function recipientOf(raw: Buffer): string {
  const to = /^To: ([^\r\n]+)\r\n/m.exec(raw.toString('latin1'))?.[1];
  if (to === undefined) throw new Error('a probe without a To field');
  return to.trim().toLowerCase();
}

/**
 * The same probe with its token signed under a key of our own making: every field well-formed, the address a target,
 * the time fresh, only the MAC wrong. The router must call it `suspicious` (probe-token-forged).
 */
function forge(raw: Buffer): Buffer {
  const text = raw.toString('latin1');
  const field = new RegExp(`^${PROBE_HEADER}: ([^\\r\\n]+)\\r\\n`, 'm').exec(text);
  const token = field?.[1] === undefined ? null : readProbeToken(field[1]);
  if (field === undefined || field === null || token === null) throw new Error('a probe without a readable token');
  const forged = signProbeToken(
    { runId: token.runId, address: token.address, sentAt: probeTime(new Date()), nonce: token.nonce },
    randomBytes(32),
  );
  return Buffer.from(text.replace(field[0], `${PROBE_HEADER}: ${forged}\r\n`), 'latin1');
}

/**
 * Canary probes as SES stores them: what core/canary/probe-mail.ts makes the canary send, with SES's stamp on top
 * (fixtures/generator/mime-builder.ts writes it as SES does), and every piece an attacker would change open to change:
 * the probe fields as written, From, the sender's own fields, SES's DKIM statements and verdicts, the body.
 */
import { createHash } from 'node:crypto';
import { CRLF, entity, type SesStampOptions, sesStamp } from '../../fixtures/generator/mime-builder.js';
import { probeMail } from '../../handlers/core/canary/probe-mail.js';
import type { ProbeTarget } from '../../handlers/core/canary/targets.js';
import { PROBE_HEADER, type ProbeTokenFields, signProbeToken } from '../../handlers/core/canary/token.js';
import type { ProbeRecord } from '../../handlers/core/state.js';

export const PROBE_SENDER = 'acm-mail@notify.example.org';
export const SENT_AT = '2026-11-26T06:00:00Z';
export const RUN_ID = '20261126T060000Z-1a2b3c4d';

/** A token's fields for `address`, sent at SENT_AT in RUN_ID unless told otherwise. */
export function tokenFields(address: string, overrides: Partial<ProbeTokenFields> = {}): ProbeTokenFields {
  const nonce = createHash('sha256')
    .update(`nonce ${address} ${overrides.runId ?? RUN_ID}`)
    .digest();
  return {
    runId: RUN_ID,
    address,
    sentAt: SENT_AT,
    nonce: nonce.subarray(0, 16).toString('base64url'),
    ...overrides,
  };
}

export function signedToken(address: string, key: Uint8Array, overrides: Partial<ProbeTokenFields> = {}): string {
  return signProbeToken(tokenFields(address, overrides), key);
}

export interface ProbeMailOptions {
  /** The probe's target (its address is also `To` and SES's `for`). */
  readonly target: ProbeTarget;
  /** The token field's value. */
  readonly token: string;
  /**
   * The probe fields exactly as written (each a whole field, folded lines joined by CRLF), replacing the one field
   * `X-ACM-Mail-Probe: <token>` the canary writes.
   */
  readonly probeFieldLines?: readonly string[];
  /** The From field's value. @default the sender */
  readonly from?: string;
  /** Further fields of the sender's, after From (a second From, Sender, Reply-To, ...). */
  readonly extraHeaders?: readonly string[];
  /** Fields right below SES's stamp, above the sender's own (a forged Authentication-Results). */
  readonly senderTopFields?: readonly string[];
  /** SES's DKIM statements. @default pass for notify.example.org and amazonses.com */
  readonly dkim?: SesStampOptions['dkim'];
  /** SES's DMARC statement. @default pass for notify.example.org */
  readonly dmarc?: string | null;
  readonly spam?: string;
  readonly virus?: string;
  /** SES's stamp left out: a file that never passed through SES. */
  readonly unstamped?: boolean;
  /** The body as a whole MIME entity (headers and content), replacing the probe's own text. */
  readonly bodyEntity?: string;
}

/** The raw mail as SES stores it. */
export function probeAsReceived(options: ProbeMailOptions): Buffer {
  const sent = probeMail(options.target, options.token, { stackName: 'AcmValidationMail', runId: RUN_ID });
  const seed = `probe ${options.target.address} ${options.token}`;
  const stamp = options.unstamped
    ? []
    : sesStamp({
        seed,
        region: 'eu-west-1',
        recipient: options.target.address,
        envelopeFrom: '010201936f0e1a2b-3c4d5e6f-0000-4000-a000-000000000000-000000@amazonses.com',
        date: 'Thu, 26 Nov 2026 06:00:05 +0000',
        helo: 'e242-8.smtp-out.eu-west-1.amazonses.com',
        clientIp: '23.251.242.8',
        dkim: options.dkim ?? [
          ['pass', 'notify.example.org'],
          ['pass', 'amazonses.com'],
        ],
        dmarc: options.dmarc === undefined ? 'pass header.from=notify.example.org' : options.dmarc,
        ...(options.spam ? { spam: options.spam } : {}),
        ...(options.virus ? { virus: options.virus } : {}),
      });
  const ours = Object.entries(sent.headers)
    .filter(([name]) => name !== PROBE_HEADER)
    .map(([name, value]) => `${name}: ${value}`);
  const probeFields = options.probeFieldLines ?? [`${PROBE_HEADER}: ${options.token}`];
  const headers = [
    ...stamp,
    ...(options.senderTopFields ?? []),
    'Date: Thu, 26 Nov 2026 06:00:04 +0000',
    `From: ${options.from ?? PROBE_SENDER}`,
    `To: ${options.target.address}`,
    `Message-ID: <010201936f0e1a2b-${createHash('sha256').update(seed).digest('hex').slice(0, 16)}@eu-west-1.amazonses.com>`,
    `Subject: ${sent.subject}`,
    'MIME-Version: 1.0',
    ...(options.extraHeaders ?? []),
    ...ours,
    ...probeFields,
  ];
  const body =
    options.bodyEntity ?? entity({ contentType: 'text/plain; charset=utf-8', encoding: '7bit', body: sent.text });
  return Buffer.from(`${headers.join(CRLF)}${CRLF}${body}`, 'latin1');
}

/** The record the canary writes before it sends a probe. */
export function sentProbe(target: ProbeTarget, overrides: Partial<ProbeRecord> = {}): ProbeRecord {
  return {
    runId: RUN_ID,
    address: target.address,
    domain: target.domain,
    path: target.path,
    sentAt: SENT_AT,
    checkAt: '2026-11-26T06:30:00Z',
    arrivedAt: null,
    arrivalMessageId: null,
    missingAlertedAt: null,
    lateClearedAt: null,
    ...overrides,
  };
}

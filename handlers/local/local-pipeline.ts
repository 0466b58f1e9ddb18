/**
 * The whole pipeline on this machine with no AWS account: local emulators, the real adapters pointed at them, the
 * router exactly as Lambda runs it, one SES receipt event per `.eml` file. What was sent is written under the output
 * folder: every mail as `.eml` (tickets, alerts, summaries), every topic message as JSON, and every product event the
 * router put on the central bus (our EventBridge stub) as one JSON line of `events.jsonl`.
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { dynamoDbCanaryStore } from '../adapters/dynamodb-canary-store.js';
import { dynamoDbDigestStore } from '../adapters/dynamodb-digest-store.js';
import { unreadableReason } from '../adapters/input-files.js';
import { silentLogger } from '../adapters/observability.js';
import { sesMailer } from '../adapters/ses-sns-notifier.js';
import { RENEWAL_ALERT_TAG } from '../core/acm-events/mail.js';
import { type Configuration, watchedAddresses } from '../core/configuration/index.js';
import { ARCHIVE_PREFIX } from '../core/deployment-contract.js';
import { DEFAULT_LIMITS } from '../core/limits.js';
import type { TxtResolver } from '../core/own-dkim.js';
import type { Outcome } from '../core/routing/outcomes.js';
import { sesRecordForStoredMail } from '../core/stored-mail-event.js';
import { type DigestRun, makeDigest } from '../digest/digest.js';
import type { OutgoingMail } from '../ports/mail.js';
import type { Log } from '../ports/observability.js';
import type { MailOutcome } from '../router/process-mail.js';
import { routerDeps, wiredRouter } from '../router/wired-router.js';
import { DIGEST_INPUT_FILE, writeDigestFiles } from './digest-files.js';
import type { DeliveredEvent } from './eventbridge-stub.js';
import { acmEventFiles, type LocalAcmEventsRound, runLocalAcmEvents } from './local-acm-events.js';
import { type LocalCanaryRound, runLocalCanaryRound } from './local-canary.js';
import { localEstate, writeEstateFiles } from './local-estate.js';
import { LOCAL_ARCHIVE_MAX_BYTES, withDiskOverflow } from './overflow-archive.js';
import {
  drainTopicQueue,
  localResources,
  provisionLocalDeployment,
  startLocalServices,
  type TopicMessage,
} from './services.js';

export interface LocalRunOptions {
  readonly configuration: Configuration;
  /** `.eml` files, or folders whose `.eml` files (recursively) are taken in name order. */
  readonly inputs: readonly string[];
  readonly outDir: string;
  /** Records processed at once, like concurrent Lambda invocations. @default 4 */
  readonly concurrency?: number;
  readonly logger?: Log;
  /** DNS TXT lookups for our own DKIM check: the fixture key for the project's fixtures, DNS for real mail. */
  readonly dkimResolver: TxtResolver;
  /** Told, before the emulators start, of every input that is skipped or cannot be read. */
  readonly onInputNotice?: (notice: InputNotice) => void;
  /** Told of each step of the run as it starts, and after each mail. */
  readonly onProgress?: (progress: LocalRunProgress) => void;
  /** @default AWS Organizations itself, when the configuration reads accounts from it */
  readonly organizations?: () => Promise<OrganizationsClient>;
  /**
   * ACM's events (`.json` files, or folders of them) fed to the events handler after the mail, as the central bus
   * would (`npm start`: fixtures/acm-events/). @default none
   */
  readonly acmEvents?: readonly string[];
}

export type LocalRunProgress =
  | { readonly step: 'starting-emulators' | 'acm-events' | 'canary' | 'estate' | 'digest' | 'stopping-emulators' }
  | { readonly step: 'mail'; readonly done: number; readonly total: number };

export interface LocalRunCounts {
  messages: number;
  routed: number;
  duplicate: number;
  foreignAccount: number;
  suspicious: number;
  notAcm: number;
  unparseable: number;
  tickets: number;
  alerts: number;
  failed: number;
  /** The local canary round (issue 12): probes sent through the SES emulator, and those the router recorded. */
  probesSent: number;
  probesArrived: number;
  /** Product events the central bus (the EventBridge stub) accepted: the lines of `events.jsonl`. */
  events: number;
  /** ACM's events fed after the mail (issue 13), the requests they recorded as issued, the missing-mail alerts. */
  acmEvents: number;
  ticketsClosed: number;
  renewalAlerts: number;
  /** Certificates the estate listed through the local ACM stub (issue 15; out/estate.csv). */
  estate: number;
}

export interface SentMail {
  /** `issued`: the events handler's "you can close this ticket" follow-up; `renewal-alert`: its missing-mail alert. */
  readonly kind: 'ticket' | 'alert' | 'summary' | 'digest' | 'probe' | 'issued' | 'renewal-alert';
  readonly to: readonly string[];
  readonly subject: string;
  readonly raw: Buffer;
}

export interface LocalFileResult {
  readonly file: string;
  readonly messageId: string;
  readonly outcome: Outcome | 'failed';
  /** Why the mail failed: the error, with the step it happened in. */
  readonly error?: string;
}

export interface LocalRunResult {
  readonly counts: LocalRunCounts;
  readonly files: readonly LocalFileResult[];
  readonly sent: readonly SentMail[];
  readonly topicMessages: { readonly approvals: readonly TopicMessage[]; readonly alerts: readonly TopicMessage[] };
  /** How many mails the SES emulator says it received: must equal `sent.length`. */
  readonly sesStoreCount: number;
  readonly digest: DigestRun;
  /** The canary round after the mail; null when the configuration disables the canary. */
  readonly canary: LocalCanaryRound | null;
  /** Every product event the central bus accepted, as a rule's target receives it (also in `events.jsonl`). */
  readonly events: readonly DeliveredEvent[];
  /** ACM's events after the mail, each with its outcome (the product events they caused are in `events`). */
  readonly acmEvents: LocalAcmEventsRound;
}

/** Where the central bus of the local run writes each event it accepts, one JSON per line. */
export const EVENTS_FILE = 'events.jsonl';

const COUNT_KEY: Record<Outcome, keyof LocalRunCounts> = {
  routed: 'routed',
  duplicate: 'duplicate',
  'foreign-account': 'foreignAccount',
  suspicious: 'suspicious',
  'not-acm': 'notAcm',
  unparseable: 'unparseable',
  probe: 'probesArrived',
};

/** Something about an input a person should hear before the run starts; paths as the person gave them. */
export type InputNotice =
  /** A path that cannot be read: it is still one mail, which fails at its read step (the run goes on). */
  | { readonly kind: 'unreadable'; readonly path: string; readonly reason: string }
  /** A file inside a folder that the run leaves alone, and why. */
  | { readonly kind: 'skipped'; readonly path: string; readonly reason: string }
  /** A folder with no `.eml` file anywhere in it. */
  | { readonly kind: 'no-mail'; readonly path: string };

export interface MailInputs {
  /** Absolute paths, in input order; within a folder, by name (subfolders included). */
  readonly files: readonly string[];
  readonly notices: readonly InputNotice[];
}

/** A golden fixture's expected parse beside its mail: part of the fixture, not mail left out. */
const EXPECTATION = /^(.*)\.expected\.json$/;

export function emlFiles(inputs: readonly string[]): MailInputs {
  const files: string[] = [];
  const notices: InputNotice[] = [];
  for (const input of inputs) {
    const path = resolve(input);
    let isFolder: boolean;
    try {
      isFolder = statSync(path).isDirectory();
    } catch (error) {
      // Still one mail: it fails at its read step, as that mail's outcome, and every other mail is processed.
      notices.push({ kind: 'unreadable', path: input, reason: unreadableReason(path, error) });
      files.push(path);
      continue;
    }
    if (!isFolder) {
      files.push(path);
      continue;
    }
    const entries = folderEntries(path);
    const names = new Set(entries);
    const mail = entries.filter((name) => name.endsWith('.eml'));
    for (const name of entries) {
      if (name.endsWith('.eml')) continue;
      const expectationOf = EXPECTATION.exec(name)?.[1];
      if (expectationOf !== undefined && names.has(`${expectationOf}.eml`)) continue;
      notices.push({ kind: 'skipped', path: join(input, name), reason: 'not a .eml file' });
    }
    if (mail.length === 0) notices.push({ kind: 'no-mail', path: input });
    files.push(...mail.map((name) => join(path, name)));
  }
  return { files, notices };
}

/**
 * Every entry below `folder` that is not a folder itself, by path relative to it, sorted as one list (as readdirSync's
 * recursive listing sorts). Links to folders are followed, as that listing follows them, each real folder once.
 */
function folderEntries(folder: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const visit = (relativeFolder: string) => {
    const real = realpathSync(join(folder, relativeFolder));
    if (seen.has(real)) return;
    seen.add(real);
    for (const entry of readdirSync(join(folder, relativeFolder), { withFileTypes: true })) {
      const name = relativeFolder === '' ? entry.name : join(relativeFolder, entry.name);
      const linkedFolder =
        entry.isSymbolicLink() && statSync(join(folder, name), { throwIfNoEntry: false })?.isDirectory();
      if (entry.isDirectory() || linkedFolder) visit(name);
      else found.push(name);
    }
  };
  visit('');
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export async function runLocalPipeline(options: LocalRunOptions): Promise<LocalRunResult> {
  const { configuration } = options;
  const { files, notices } = emlFiles(options.inputs);
  for (const notice of notices) options.onInputNotice?.(notice);
  const progress = options.onProgress ?? (() => {});
  progress({ step: 'starting-emulators' });
  const services = await startLocalServices();
  try {
    // The bus appends as events arrive: start from an empty file, never from an earlier run's events.
    mkdirSync(options.outDir, { recursive: true });
    const eventsFile = join(options.outDir, EVENTS_FILE);
    writeFileSync(eventsFile, '');
    const deployment = await provisionLocalDeployment(services, {
      region: configuration.region,
      suffix: 'local',
      eventsFile,
    });
    const sent: SentMail[] = [];
    const observe = (raw: Buffer, _id: string, mail: OutgoingMail) =>
      sent.push({ kind: kindOf(mail.subject), to: mail.to, subject: mail.subject, raw });
    const onDisk = new Map<string, string>();
    const wiring = {
      configuration,
      clients: deployment.clients,
      resources: localResources(deployment, configuration),
      dkimResolver: options.dkimResolver,
      logger: options.logger ?? silentLogger,
      observeSentMail: observe,
      // A configuration that reads the organisation's accounts reads them from AWS Organizations with the shell's
      // credentials (there is no local Organizations); tests point this at a stub.
      organizations: options.organizations,
    };
    const router = wiredRouter(wiring, { archive: withDiskOverflow(routerDeps(wiring).archive, onDisk) });

    const results: LocalFileResult[] = [];
    /** SES's part: keep the raw mail (in the emulator, or on disk past its limit), then invoke the router. */
    const receive = async (file: string): Promise<LocalFileResult> => {
      const shown = relative(process.cwd(), file);
      let step = 'read';
      let messageId = '';
      try {
        const { digest, size, head } = await digestOf(file);
        messageId = `local-${createHash('sha256').update(file).update(digest).digest('hex').slice(0, 32)}`;
        step = 'store';
        if (size > LOCAL_ARCHIVE_MAX_BYTES) onDisk.set(messageId, file);
        else {
          await deployment.clients.s3.send(
            new PutObjectCommand({
              Bucket: deployment.bucket,
              Key: `${ARCHIVE_PREFIX.inbound}${messageId}`,
              Body: await readFile(file),
            }),
          );
        }
        step = 'route';
        const [outcome]: (MailOutcome | undefined)[] = await router({
          Records: [sesRecordForStoredMail(messageId, head, configuration.region, new Date())],
        });
        if (outcome === undefined) throw new Error('the router returned no outcome');
        return { file: shown, messageId, outcome: outcome.outcome };
      } catch (error) {
        const reason =
          step === 'read' ? unreadableReason(file, error) : error instanceof Error ? error.message : String(error);
        return { file: shown, messageId, outcome: 'failed', error: `${step}: ${reason}` };
      }
    };
    const queue = files.map((file, index) => ({ file, index }));
    let done = 0;
    progress({ step: 'mail', done, total: files.length });
    const worker = async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        results[next.index] = await receive(next.file);
        done += 1;
        progress({ step: 'mail', done, total: files.length });
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));

    // ACM's events, as member accounts forward them to the central bus (README, "ACM events from every account").
    const eventFiles = acmEventFiles(options.acmEvents ?? []);
    let acmEvents: LocalAcmEventsRound = { events: [] };
    if (eventFiles.length > 0) {
      progress({ step: 'acm-events' });
      acmEvents = await runLocalAcmEvents({
        configuration,
        deployment,
        files: eventFiles,
        logger: options.logger ?? silentLogger,
        now: new Date(),
        observe: (raw, _id, mail) =>
          sent.push({
            kind: mail.subject.startsWith(RENEWAL_ALERT_TAG) ? 'renewal-alert' : 'issued',
            to: mail.to,
            subject: mail.subject,
            raw,
          }),
      });
    }

    // The daily canary round and its check, as EventBridge Scheduler would start them (README, "Run it locally").
    let canary: LocalCanaryRound | null = null;
    if (configuration.canary.enabled) {
      progress({ step: 'canary' });
      canary = await runLocalCanaryRound({
        configuration,
        deployment,
        router,
        logger: options.logger ?? silentLogger,
        observe,
      });
    }

    progress({ step: 'estate' });
    const estate = await localEstate(configuration, deployment.clients.dynamodb, deployment.table);
    // The scheduled digest, run once at the end with the production adapters, as EventBridge Scheduler would.
    progress({ step: 'digest' });
    const digestRun = await makeDigest({
      configuration,
      store: dynamoDbDigestStore(deployment.clients.dynamodb, deployment.table),
      canary: dynamoDbCanaryStore(deployment.clients.dynamodb, deployment.table),
      mailer: sesMailer(
        deployment.clients.sesv2,
        { sender: configuration.sender, neverSendTo: watchedAddresses(configuration) },
        (raw, _id, mail) => sent.push({ kind: 'digest', to: mail.to, subject: mail.subject, raw }),
      ),
      logger: options.logger ?? silentLogger,
      clock: () => new Date(),
      estate: estate === null ? undefined : { estate: async () => estate },
    })();

    const topicMessages = {
      approvals: await drainTopicQueue(deployment.sqs, deployment.approvalsQueueUrl),
      alerts: await drainTopicQueue(deployment.sqs, deployment.alertsQueueUrl),
    };
    const store = (await (await fetch(services.sesStoreUrl)).json()) as { emails: unknown[] };
    const counts: LocalRunCounts = {
      messages: files.length,
      routed: 0,
      duplicate: 0,
      foreignAccount: 0,
      suspicious: 0,
      notAcm: 0,
      unparseable: 0,
      tickets: sent.filter((mail) => mail.kind === 'ticket').length,
      alerts: sent.filter((mail) => mail.kind === 'alert').length,
      failed: 0,
      probesSent: canary?.probes.length ?? 0,
      // What the canary's own check found recorded by the router, not what this run believes it routed.
      probesArrived: canary?.check.arrived.length ?? 0,
      events: services.eventBridge.eventsOn(deployment.eventBusName).length,
      acmEvents: acmEvents.events.length,
      ticketsClosed: acmEvents.events
        .filter((event) => event.outcome === 'issued')
        .reduce((sum, event) => sum + event.requestKeys.length, 0),
      renewalAlerts: sent.filter(
        (mail) => mail.kind === 'renewal-alert' && mail.to.includes(configuration.securityContact),
      ).length,
      estate: estate?.certificates.length ?? 0,
    };
    for (const result of results) {
      if (result.outcome === 'failed') counts.failed += 1;
      else counts[COUNT_KEY[result.outcome]] += 1;
    }
    const result = {
      counts,
      files: results,
      sent,
      topicMessages,
      sesStoreCount: store.emails.length,
      digest: digestRun,
      canary,
      events: services.eventBridge.eventsOn(deployment.eventBusName),
      acmEvents,
    };
    writeOutput(options.outDir, result, configuration);
    return result;
  } finally {
    progress({ step: 'stopping-emulators' });
    await services.stop();
  }
}

/**
 * One pass over a file, however large: its content hash (for a stable message id), its size, and its first bytes
 * (the header block SES's record is made from). A 40 MB mail is never held whole.
 */
async function digestOf(path: string): Promise<{ digest: string; size: number; head: Buffer }> {
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let headBytes = 0;
  let size = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
    if (headBytes < DEFAULT_LIMITS.maxHeaderBytes) {
      head.push(chunk.subarray(0, DEFAULT_LIMITS.maxHeaderBytes - headBytes));
      headBytes += Math.min(chunk.length, DEFAULT_LIMITS.maxHeaderBytes - headBytes);
    }
  }
  return { digest: hash.digest('hex'), size, head: Buffer.concat(head) };
}

function kindOf(subject: string): SentMail['kind'] {
  // A ticket's tag in each locale, with or without the unverified mark (core/i18n: en.ts, ja.ts).
  if (/^(Re: )?\[ACM(?: approval|承認)(?:\]| - )/.test(subject)) return 'ticket';
  if (subject.startsWith('[ACM security]') || /^(Re: )?\[ACM canary\]/.test(subject)) return 'alert';
  if (subject.startsWith('ACM mailbox canary: probe to ')) return 'probe';
  return 'summary';
}

/** The names this run gives the mail it writes; only such files of an earlier run are cleared, nothing else. */
const WRITTEN_MAIL = /^\d{3}-(?:ticket|alert|summary|digest|probe|issued|renewal-alert)-[A-Za-z0-9.-]*\.eml$/;

function writeOutput(outDir: string, result: LocalRunResult, configuration: Configuration): void {
  mkdirSync(join(outDir, 'mail'), { recursive: true });
  for (const name of readdirSync(join(outDir, 'mail'))) {
    if (WRITTEN_MAIL.test(name)) rmSync(join(outDir, 'mail', name));
  }
  result.sent.forEach((mail, index) => {
    const slug = mail.subject
      .replace(/[^A-Za-z0-9.]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60);
    writeFileSync(join(outDir, 'mail', `${String(index + 1).padStart(3, '0')}-${mail.kind}-${slug}.eml`), mail.raw);
  });
  writeFileSync(join(outDir, 'sns-approvals.json'), `${JSON.stringify(result.topicMessages.approvals, null, 2)}\n`);
  writeFileSync(join(outDir, 'sns-alerts.json'), `${JSON.stringify(result.topicMessages.alerts, null, 2)}\n`);
  writeDigestFiles(outDir, result.digest.mails);
  if (result.digest.estate !== null) writeEstateFiles(outDir, result.digest.estate, configuration, new Date());
  // What `acm-mail digest --preview` renders from, without the emulators.
  writeFileSync(
    join(outDir, DIGEST_INPUT_FILE),
    `${JSON.stringify(
      {
        requests: result.digest.requests,
        securityEvents: result.digest.securityEvents,
        canary: result.digest.canary,
        estate: result.digest.estate,
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(
    join(outDir, 'summary.json'),
    `${JSON.stringify({ counts: result.counts, sesStoreCount: result.sesStoreCount, files: result.files, canary: result.canary, acmEvents: result.acmEvents.events }, null, 2)}\n`,
  );
}

/**
 * `acm-mail run [--config FILE] [--out DIR] [--concurrency N] [--dkim-keys FILE] PATH...` and `acm-mail start` (what
 * `npm start` runs: the example configuration, the project's fixtures and their DKIM key, out/). The whole pipeline
 * on local emulators; the last line printed is one JSON object with the counts.
 */
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLE_CONFIGURATION } from '../adapters/configuration-file.js';
import { ACM_EVENT_FIXTURES } from '../local/local-acm-events.js';
import {
  type InputNotice,
  type LocalRunProgress,
  type LocalRunResult,
  runLocalPipeline,
} from '../local/local-pipeline.js';
import {
  type CommandSpec,
  type OptionSpecs,
  type OptionValues,
  readCommandArguments,
  showHelp,
  usageError,
} from './arguments.js';
import { estateLine } from './estate-output.js';
import { configurationFor, dkimResolverFor } from './inputs.js';
import { DEFAULT_OUT, EXIT, type Io } from './io.js';
import { progressOn } from './progress.js';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const EXAMPLE_FIXTURES = resolve(PROJECT_ROOT, 'fixtures/mail');
/** The DKIM key the fixtures are signed with (a test key, for nothing else). */
export const FIXTURE_DKIM_KEYS = resolve(PROJECT_ROOT, 'fixtures/dkim/keys.json');

interface RunArguments {
  readonly config: string;
  readonly out: string;
  readonly concurrency: number;
  readonly inputs: readonly string[];
  /** ACM's events fed after the mail (start: fixtures/acm-events/; run: none). */
  readonly acmEvents?: readonly string[];
  /** Pinned DKIM keys instead of DNS. */
  readonly dkimKeys: string | null;
}

export const RUN = {
  name: 'run',
  usage: `usage: acm-mail run [--config FILE] [--concurrency N] [--dkim-keys FILE] --out DIR PATH...

Runs the whole pipeline locally (emulators for S3, SNS, SQS, DynamoDB and SES sending) over .eml files and folders of
them (searched to any depth), then the digest; writes what was sent under DIR. The last line printed is one JSON
object with the counts.

options:
  --out DIR          where the sent mail, topic messages, events.jsonl, digest, summary.json and the estate are written (required)
  --config FILE      the configuration (default: infra/config/example.json)
  --concurrency N    mails processed at once, 1 to 64 (default: 4)
  --dkim-keys FILE   ACM's DKIM keys from FILE ({"<selector>._domainkey.<domain>": "v=DKIM1; ..."}) instead of DNS
  -h, --help         this help

exit codes: 0 done, 1 a mail failed or the run failed, 2 the configuration or --dkim-keys could not be read,
            64 usage error`,
  options: {
    out: { type: 'string' },
    config: { type: 'string' },
    concurrency: { type: 'string' },
    'dkim-keys': { type: 'string' },
  },
} as const satisfies CommandSpec<OptionSpecs>;

export const START = {
  name: 'start',
  usage: `usage: acm-mail start

What npm start runs: the whole pipeline locally with the example configuration over the project's fixtures (signed
with a test key, fixtures/dkim/keys.json), written into out/ with the digest. For other inputs use acm-mail run.

options:
  -h, --help   this help

exit codes: 0 done, 1 a mail failed or the run failed, 64 usage error`,
  options: {},
} as const satisfies CommandSpec<OptionSpecs>;

export async function startCommand(args: readonly string[], io: Io): Promise<number> {
  const read = readCommandArguments(args, START.options);
  if (read.kind === 'help') return showHelp(io, START);
  if (read.kind === 'problem') return usageError(io, START, read.problem);
  if (read.positionals.length > 0) {
    return usageError(io, START, 'takes no arguments (use "acm-mail run" for other inputs)');
  }
  return execute(
    'start',
    {
      config: EXAMPLE_CONFIGURATION,
      out: io.outDir ?? DEFAULT_OUT,
      concurrency: 4,
      inputs: [EXAMPLE_FIXTURES],
      acmEvents: [ACM_EVENT_FIXTURES],
      dkimKeys: FIXTURE_DKIM_KEYS,
    },
    io,
  );
}

export async function runCommand(args: readonly string[], io: Io): Promise<number> {
  const read = readCommandArguments(args, RUN.options);
  if (read.kind === 'help') return showHelp(io, RUN);
  if (read.kind === 'problem') return usageError(io, RUN, read.problem);
  const parsed = runArguments(read.values, read.positionals);
  if (typeof parsed === 'string') return usageError(io, RUN, parsed);
  return execute('run', parsed, io);
}

function runArguments(values: OptionValues<typeof RUN.options>, inputs: readonly string[]): RunArguments | string {
  const { out, config = EXAMPLE_CONFIGURATION, 'dkim-keys': dkimKeys = null } = values;
  const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    return `--concurrency: "${values.concurrency}" is not a whole number from 1 to 64`;
  }
  if (out === undefined) return '--out DIR is required (where the sent mail and topic messages are written)';
  if (inputs.length === 0) return 'no PATH given (.eml files or folders of them)';
  // The run clears the mail it wrote last time under DIR/mail: inputs must not live there.
  const written = resolve(out, 'mail');
  const inside = inputs.find((input) => `${resolve(input)}/`.startsWith(`${written}/`));
  if (inside !== undefined)
    return `--out ${out}: ${inside} is inside ${join(out, 'mail')}, where the run writes; choose another --out`;
  return { config, out, concurrency, inputs, dkimKeys };
}

/** A folder as a person would type it: relative below the current folder, absolute elsewhere. */
function shownPath(path: string): string {
  const shown = relative(process.cwd(), resolve(path));
  return shown === '' ? '.' : shown.startsWith('..') ? resolve(path) : shown;
}

async function execute(command: 'run' | 'start', args: RunArguments, io: Io): Promise<number> {
  const configuration = configurationFor(command, args.config, io);
  if (configuration === null) return EXIT.unreadable;
  const dkimResolver = dkimResolverFor(command, args.dkimKeys, io);
  if (dkimResolver === null) return EXIT.unreadable;
  const progress = progressOn(io);
  let result: LocalRunResult;
  try {
    result = await runLocalPipeline({
      configuration,
      inputs: args.inputs,
      acmEvents: args.acmEvents,
      outDir: args.out,
      concurrency: args.concurrency,
      dkimResolver,
      onInputNotice: (notice) => io.stderr.write(`acm-mail ${command}: ${noticeText(notice)}\n`),
      onProgress: (step) => progress.show(progressText(step)),
    });
  } catch (error) {
    progress.clear();
    io.stderr.write(
      `acm-mail ${command}: the local run failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return EXIT.failure;
  }
  progress.clear();
  const width = Math.max(...result.files.map((file) => file.file.length), 4);
  io.stdout.write(`${'file'.padEnd(width)}  outcome\n`);
  for (const file of result.files) {
    io.stdout.write(`${file.file.padEnd(width)}  ${file.outcome}${file.error ? ` (${file.error})` : ''}\n`);
  }
  const c = result.counts;
  io.stdout.write(
    `\n${c.messages} mails: ${c.routed} routed, ${c.duplicate} duplicate, ${c.foreignAccount} foreign-account, ` +
      `${c.suspicious} suspicious, ${c.notAcm} not-acm, ${c.unparseable} unparseable, ${c.failed} failed; ` +
      `sent ${c.tickets} tickets, ${c.alerts} security alerts, ` +
      `${result.sent.filter((mail) => mail.kind === 'summary').length} not-acm summaries, ` +
      `${result.sent.filter((mail) => mail.kind === 'digest').length} digests; ` +
      `${result.topicMessages.approvals.length} approvals and ${result.topicMessages.alerts.length} alerts messages; ` +
      `${c.events} events on the central bus\n`,
  );
  if (result.canary !== null) {
    const { check, forged } = result.canary;
    io.stdout.write(
      `canary: ${c.probesSent} probes sent, ${c.probesArrived} arrived, ${check.missing.length} missing; ` +
        `a forged probe to ${forged.address} came out ${forged.outcome}\n`,
    );
  }
  if (c.acmEvents > 0) {
    const outcomes = result.acmEvents.events.map((event) => event.outcome).join(', ');
    io.stdout.write(
      `ACM events: ${c.acmEvents} fed (${outcomes}); ${c.ticketsClosed} ticket(s) closed with a follow-up in the ` +
        `thread, ${c.renewalAlerts} renewal-mail-missing alert(s)\n`,
    );
  }
  if (result.digest.estate !== null) io.stdout.write(`${estateLine(result.digest.estate)}\n`);
  io.stdout.write(
    `written under ${shownPath(args.out)}/ (mail/*.eml, sns-*.json, events.jsonl, digest.html, digest.txt, summary.json` +
      `${result.digest.estate === null ? '' : ', estate.csv, estate.json'})\n`,
  );
  for (const event of result.acmEvents.events.filter((candidate) => candidate.outcome === 'failed')) {
    io.stderr.write(`acm-mail ${command}: ACM event ${event.file} failed: ${event.error}\n`);
  }
  const failed = result.files.filter((file) => file.outcome === 'failed');
  // Every other mail was still processed; the failed ones are named, with the step and the error.
  for (const file of failed) io.stderr.write(`acm-mail ${command}: ${file.file} failed at ${file.error}\n`);
  io.stdout.write(`${JSON.stringify(c)}\n`);
  const failedEvents = result.acmEvents.events.some((event) => event.outcome === 'failed');
  return failed.length > 0 || failedEvents ? EXIT.failure : EXIT.ok;
}

function noticeText(notice: InputNotice): string {
  switch (notice.kind) {
    case 'unreadable':
      return `cannot read ${notice.path}: ${notice.reason}; it counts as one failed mail`;
    case 'skipped':
      return `skipping ${notice.path}: ${notice.reason}`;
    case 'no-mail':
      return `no .eml file in ${notice.path}`;
  }
}

function progressText(progress: LocalRunProgress): string {
  switch (progress.step) {
    case 'starting-emulators':
      return 'starting the emulators';
    case 'mail':
      return `mail ${progress.done} of ${progress.total}`;
    case 'acm-events':
      return "feeding ACM's events";
    case 'canary':
      return 'running the mailbox canary';
    case 'estate':
      return 'listing the certificate estate';
    case 'digest':
      return 'rendering the digest';
    case 'stopping-emulators':
      return 'stopping the emulators';
  }
}

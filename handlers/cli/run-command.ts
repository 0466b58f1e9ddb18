/**
 * `acm-mail run [--config FILE] [--out DIR] [--concurrency N] [--dkim-keys FILE] PATH...` and `acm-mail start` (what
 * `npm start` runs: the example configuration, the project's fixtures and their DKIM key, out/). The whole pipeline
 * on local emulators; the last line printed is one JSON object with the counts.
 */
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLE_CONFIGURATION } from '../adapters/configuration-file.js';
import { cachedTxtResolver, keysFileTxtResolver, systemTxtResolver } from '../adapters/dns-txt-resolver.js';
import type { TxtResolver } from '../core/own-dkim.js';
import { type LocalRunResult, runLocalPipeline } from '../local/local-pipeline.js';
import { configurationFor } from './configuration.js';
import { EXIT, type Io } from './io.js';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const EXAMPLE_FIXTURES = resolve(PROJECT_ROOT, 'fixtures/mail');
/** The DKIM key the fixtures are signed with (a test key, for nothing else). */
export const FIXTURE_DKIM_KEYS = resolve(PROJECT_ROOT, 'fixtures/dkim/keys.json');
export const DEFAULT_OUT = 'out';

interface RunArguments {
  readonly config: string;
  readonly out: string;
  readonly concurrency: number;
  readonly inputs: readonly string[];
  /** Pinned DKIM keys instead of DNS. */
  readonly dkimKeys: string | null;
}

export async function startCommand(args: readonly string[], io: Io, usage: string): Promise<number> {
  if (args.length > 0) {
    io.stderr.write(`acm-mail start: takes no arguments (use "acm-mail run" for other inputs)\n${usage}\n`);
    return EXIT.usage;
  }
  return execute(
    'start',
    {
      config: EXAMPLE_CONFIGURATION,
      out: DEFAULT_OUT,
      concurrency: 4,
      inputs: [EXAMPLE_FIXTURES],
      dkimKeys: FIXTURE_DKIM_KEYS,
    },
    io,
  );
}

export async function runCommand(args: readonly string[], io: Io, usage: string): Promise<number> {
  const parsed = readArguments(args);
  if (typeof parsed === 'string') {
    io.stderr.write(`acm-mail run: ${parsed}\n${usage}\n`);
    return EXIT.usage;
  }
  return execute('run', parsed, io);
}

function readArguments(args: readonly string[]): RunArguments | string {
  let config = EXAMPLE_CONFIGURATION;
  let out: string | null = null;
  let concurrency = 4;
  let dkimKeys: string | null = null;
  const inputs: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    const value = args[index + 1];
    if (arg === '--config' || arg === '--out' || arg === '--concurrency' || arg === '--dkim-keys') {
      if (value === undefined) return `${arg} needs a value`;
      index += 1;
      if (arg === '--config') config = value;
      else if (arg === '--out') out = value;
      else if (arg === '--dkim-keys') dkimKeys = value;
      else {
        concurrency = Number(value);
        if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
          return `--concurrency: "${value}" is not a whole number from 1 to 64`;
        }
      }
    } else if (arg.startsWith('-')) {
      return `unknown option "${arg}"`;
    } else {
      inputs.push(arg);
    }
  }
  if (out === null) return '--out DIR is required (where the sent mail and topic messages are written)';
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
  let dkimResolver: TxtResolver;
  try {
    dkimResolver = args.dkimKeys === null ? cachedTxtResolver(systemTxtResolver()) : keysFileTxtResolver(args.dkimKeys);
  } catch (error) {
    io.stderr.write(`acm-mail: --dkim-keys ${args.dkimKeys}: ${(error as Error).message}\n`);
    return EXIT.unreadable;
  }
  let result: LocalRunResult;
  try {
    result = await runLocalPipeline({
      configuration,
      inputs: args.inputs,
      outDir: args.out,
      concurrency: args.concurrency,
      dkimResolver,
    });
  } catch (error) {
    io.stderr.write(`acm-mail: the local run failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failure;
  }
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
      `${result.topicMessages.approvals.length} approvals and ${result.topicMessages.alerts.length} alerts messages\n`,
  );
  io.stdout.write(
    `written under ${shownPath(args.out)}/ (mail/*.eml, sns-*.json, digest.html, digest.txt, summary.json)\n`,
  );
  const failed = result.files.filter((file) => file.outcome === 'failed');
  // Every other mail was still processed; the failed ones are named, with the step and the error.
  for (const file of failed) io.stderr.write(`acm-mail: ${file.file} failed at ${file.error}\n`);
  io.stdout.write(`${JSON.stringify(c)}\n`);
  return failed.length > 0 ? EXIT.failure : EXIT.ok;
}

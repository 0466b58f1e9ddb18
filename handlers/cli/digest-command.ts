/**
 * `acm-mail digest --preview [--config FILE] [--input FILE.json] [--out FILE.html] [--at ISO-TIME]`: renders the
 * digest without sending it, from the state `npm start` left (out/digest-input.json) or from a JSON file of requests
 * and security events in the same shape.
 */
import { basename, dirname, join } from 'node:path';
import { EXAMPLE_CONFIGURATION } from '../adapters/configuration-file.js';
import { InputFileError, readJsonFile } from '../adapters/input-files.js';
import type { EstateReport } from '../core/estate/certificate.js';
import type { DigestRequest, ProbeAddressState, SecurityEvent } from '../core/state.js';
import { digestMails } from '../digest/digest.js';
import { DIGEST_INPUT_FILE, writeDigestFiles } from '../local/digest-files.js';
import { type CommandSpec, type OptionSpecs, readCommandArguments, showHelp, usageError } from './arguments.js';
import { configurationFor } from './inputs.js';
import { DEFAULT_OUT, EXIT, type Io } from './io.js';
import { progressOn } from './progress.js';

export const DIGEST = {
  name: 'digest',
  usage: `usage: acm-mail digest --preview [--config FILE] [--input FILE.json] [--out FILE.html] [--at ISO-TIME]

Renders the digest without sending it (the deployed function sends), from the state npm start left
(out/digest-input.json) or from a JSON file of requests, security events and (optionally) the canary's address
states and the certificate estate in the same shape.

options:
  --preview          render, send nothing (required)
  --config FILE      the configuration (default: infra/config/example.json)
  --input FILE.json  what to render (default: out/digest-input.json, written by npm start)
  --out FILE.html    where to write the HTML; the text goes beside it (default: out/digest-preview.html)
  --at ISO-TIME      the moment to render for (default: now)
  -h, --help         this help

exit codes: 0 written, 2 the configuration or the input could not be read, 64 usage error`,
  options: {
    preview: { type: 'boolean' },
    config: { type: 'string' },
    input: { type: 'string' },
    out: { type: 'string' },
    at: { type: 'string' },
  },
} as const satisfies CommandSpec<OptionSpecs>;

export async function digestCommand(args: readonly string[], io: Io): Promise<number> {
  const read = readCommandArguments(args, DIGEST.options);
  if (read.kind === 'help') return showHelp(io, DIGEST);
  if (read.kind === 'problem') return usageError(io, DIGEST, read.problem);
  const [stray] = read.positionals;
  if (stray !== undefined) return usageError(io, DIGEST, `unexpected argument "${stray}" (digest takes options only)`);
  const options = read.values;
  // Sending belongs to the scheduled function in the stack; the command only shows what it would send.
  if (options.preview !== true) {
    return usageError(io, DIGEST, '--preview is required (the command renders; the deployed function sends)');
  }
  const at = options.at;
  const now = at === undefined ? new Date() : new Date(at);
  if (Number.isNaN(now.getTime())) {
    return usageError(io, DIGEST, `--at: "${at}" is not a date and time (expected ISO 8601)`);
  }

  const configPath = options.config ?? EXAMPLE_CONFIGURATION;
  const outDir = io.outDir ?? DEFAULT_OUT;
  const inputPath = options.input ?? join(outDir, DIGEST_INPUT_FILE);
  const configuration = configurationFor('digest', configPath, io);
  if (configuration === null) return EXIT.unreadable;
  let input: {
    requests: DigestRequest[];
    securityEvents: SecurityEvent[];
    canary?: ProbeAddressState[];
    estate?: EstateReport | null;
  };
  try {
    input = readJsonFile(inputPath, 'the digest input') as typeof input;
    if (
      !Array.isArray(input?.requests) ||
      !Array.isArray(input.securityEvents) ||
      (input.canary !== undefined && !Array.isArray(input.canary))
    ) {
      throw new InputFileError(
        inputPath,
        `the digest input ${inputPath}: expected {"requests": [...], "securityEvents": [...], "canary": [...] (optional)}`,
      );
    }
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    io.stderr.write(`acm-mail digest: ${error.message} (run npm start first, or give --input)\n`);
    return EXIT.unreadable;
  }
  const progress = progressOn(io);
  progress.show('rendering the digest');
  const estate = isEstateReport(input.estate) ? input.estate : null;
  const mails = digestMails(
    configuration,
    input.requests,
    input.securityEvents,
    now,
    undefined,
    input.canary,
    undefined,
    estate,
  );
  const out = options.out ?? join(outDir, 'digest-preview.html');
  const written = writeDigestFiles(dirname(out), mails, basename(out).replace(/\.html?$/, ''));
  progress.clear();
  for (const mail of mails) io.stdout.write(`${mail.to.join(', ')}: ${mail.subject}\n`);
  io.stdout.write(`written ${written} and the text beside it; nothing was sent\n`);
  return EXIT.ok;
}

/** The estate as npm start saved it (out/digest-input.json); anything else is left out rather than half-read. */
function isEstateReport(value: unknown): value is EstateReport {
  const report = value as Partial<EstateReport> | null | undefined;
  return (
    typeof report === 'object' &&
    report !== null &&
    typeof report.listedAt === 'string' &&
    Array.isArray(report.certificates) &&
    Array.isArray(report.unlisted)
  );
}

/**
 * `acm-mail digest --preview [--config FILE] [--input FILE.json] [--out FILE.html] [--at ISO-TIME]`: renders the
 * digest without sending it, from the state `npm start` left (out/digest-input.json) or from a JSON file of requests
 * and security events in the same shape.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { EXAMPLE_CONFIGURATION } from '../adapters/configuration-file.js';
import type { DigestRequest, SecurityEvent } from '../core/digest/digest.js';
import { digestMails } from '../digest/digest.js';
import { DIGEST_INPUT_FILE, writeDigestFiles } from '../local/digest-files.js';
import { configurationFor } from './configuration.js';
import { EXIT, type Io } from './io.js';
import { DEFAULT_OUT } from './run-command.js';

export async function digestCommand(args: readonly string[], io: Io, usage: string): Promise<number> {
  const options = new Map<string, string>();
  let preview = false;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (arg === '--preview') {
      preview = true;
      continue;
    }
    const value = args[index + 1];
    if (!['--config', '--input', '--out', '--at'].includes(arg)) return fail(io, usage, `unknown argument "${arg}"`);
    if (value === undefined) return fail(io, usage, `${arg} needs a value`);
    options.set(arg, value);
    index += 1;
  }
  // Sending belongs to the scheduled function in the stack; the command only shows what it would send.
  if (!preview) return fail(io, usage, '--preview is required (the command renders; the deployed function sends)');
  const at = options.get('--at');
  const now = at === undefined ? new Date() : new Date(at);
  if (Number.isNaN(now.getTime())) return fail(io, usage, `--at: "${at}" is not a date and time (expected ISO 8601)`);

  const configPath = options.get('--config') ?? EXAMPLE_CONFIGURATION;
  const inputPath = options.get('--input') ?? `${DEFAULT_OUT}/${DIGEST_INPUT_FILE}`;
  const configuration = configurationFor('digest', configPath, io);
  if (configuration === null) return EXIT.unreadable;
  let input: { requests: DigestRequest[]; securityEvents: SecurityEvent[] };
  try {
    input = JSON.parse(readFileSync(inputPath, 'utf8'));
    if (!Array.isArray(input.requests) || !Array.isArray(input.securityEvents)) {
      throw new Error('expected {"requests": [...], "securityEvents": [...]}');
    }
  } catch (error) {
    io.stderr.write(
      `acm-mail digest: ${inputPath}: ${error instanceof Error ? error.message : String(error)} (run npm start first, or give --input)\n`,
    );
    return EXIT.unreadable;
  }
  const mails = digestMails(configuration, input.requests, input.securityEvents, now);
  const out = options.get('--out') ?? `${DEFAULT_OUT}/digest-preview.html`;
  const written = writeDigestFiles(dirname(out), mails, basename(out).replace(/\.html?$/, ''));
  for (const mail of mails) io.stdout.write(`${mail.to.join(', ')}: ${mail.subject}\n`);
  io.stdout.write(`written ${written} and the text beside it; nothing was sent\n`);
  return EXIT.ok;
}

function fail(io: Io, usage: string, message: string): number {
  io.stderr.write(`acm-mail digest: ${message}\n${usage}\n`);
  return EXIT.usage;
}

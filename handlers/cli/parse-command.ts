/** `acm-mail parse [--json] [--dkim-keys FILE] FILE...`: one result per file, in input order. */
import { createReadStream } from 'node:fs';
import { unreadableReason } from '../adapters/input-files.js';
import type { OwnDkimOptions } from '../core/own-dkim.js';
import { parseAcmMailStream } from '../core/parse-mail.js';
import type { AcmMailResult } from '../core/types.js';
import { type CommandSpec, type OptionSpecs, readCommandArguments, showHelp, usageError } from './arguments.js';
import { dkimResolverFor } from './inputs.js';
import { EXIT, type Io } from './io.js';

export interface FileResult extends AcmMailResult {
  readonly file: string;
}

/** Parses each file from a stream, so a huge file is never read past the parser's size limit. */
export async function parseFiles(
  files: readonly string[],
  io: Io,
  onResult: (result: FileResult) => void,
  dkim?: OwnDkimOptions,
): Promise<number> {
  let exit: number = EXIT.ok;
  for (const file of files) {
    let result: AcmMailResult;
    try {
      result = await parseAcmMailStream(createReadStream(file), dkim ? { dkim } : {});
    } catch (error) {
      const reason = unreadableReason(file, error);
      // parse reads mail files one by one; a folder of them is what run takes.
      const hint = (error as NodeJS.ErrnoException).code === 'EISDIR' ? '; pass its .eml files, or use run' : '';
      io.stderr.write(`acm-mail parse: cannot read ${file}: ${reason}${hint}\n`);
      exit = EXIT.unreadable;
      continue;
    }
    onResult({ file, ...result });
  }
  return exit;
}

const COLUMNS = ['file', 'kind', 'trust', 'domain', 'account', 'region', 'reasons'] as const;

/** A readable, aligned table; reasons last because they vary most in length. */
export function tableRows(results: readonly FileResult[]): string[] {
  const rows = results.map((r) => [
    r.file,
    r.kind,
    r.trust,
    r.approval?.domain ?? '-',
    r.approval?.accountId ?? '-',
    r.approval?.region ?? '-',
    r.reasons.join(',') || '-',
  ]);
  const all = [[...COLUMNS], ...rows];
  const widths = COLUMNS.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  return all.map((row) =>
    row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  '),
  );
}

export const PARSE = {
  name: 'parse',
  usage: `usage: acm-mail parse [--json] [--dkim-keys FILE] FILE...

Parses mail files: kind, trust verdict, reasons and the approval request's fields, one result per file, in the order
given. Our own DKIM check asks DNS for ACM's key (2-second timeout) unless --dkim-keys gives it.

options:
  --json             one JSON object per file, one per line (default: a readable table)
  --dkim-keys FILE   ACM's DKIM keys from FILE ({"<selector>._domainkey.<domain>": "v=DKIM1; ..."}) instead of DNS;
                     fixtures/dkim/keys.json holds the fixtures' test key
  -h, --help         this help

exit codes: 0 every file read (whatever its verdict), 2 a file could not be read (named on stderr; the others are
            still processed), 64 usage error`,
  options: { json: { type: 'boolean' }, 'dkim-keys': { type: 'string' } },
} as const satisfies CommandSpec<OptionSpecs>;

export async function parseCommand(args: readonly string[], io: Io): Promise<number> {
  const read = readCommandArguments(args, PARSE.options);
  if (read.kind === 'help') return showHelp(io, PARSE);
  if (read.kind === 'problem') return usageError(io, PARSE, read.problem);
  const files = read.positionals;
  if (files.length === 0) return usageError(io, PARSE, 'no file given');
  const json = read.values.json === true;
  const keysFile = read.values['dkim-keys'] ?? null;
  const resolver = dkimResolverFor('parse', keysFile, io);
  if (resolver === null) return EXIT.unreadable;
  const dkim: OwnDkimOptions = { resolver, now: new Date() };
  const results: FileResult[] = [];
  const exit = await parseFiles(
    files,
    io,
    (result) => {
      // JSON lines are written as they come, so a long run shows progress and a crash loses nothing printed.
      if (json) io.stdout.write(`${JSON.stringify(result)}\n`);
      else results.push(result);
    },
    dkim,
  );
  if (!json && results.length > 0) io.stdout.write(`${tableRows(results).join('\n')}\n`);
  return exit;
}

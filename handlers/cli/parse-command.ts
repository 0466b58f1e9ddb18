/** `acm-mail parse [--json] [--dkim-keys FILE] FILE...`: one result per file, in input order. */
import { createReadStream } from 'node:fs';
import { cachedTxtResolver, keysFileTxtResolver, systemTxtResolver } from '../adapters/dns-txt-resolver.js';
import type { OwnDkimOptions } from '../core/own-dkim.js';
import { parseAcmMailStream } from '../core/parse-mail.js';
import type { AcmMailResult } from '../core/types.js';
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
      const { code, message } = error as NodeJS.ErrnoException;
      io.stderr.write(`acm-mail: cannot read ${file}: ${code ?? message}\n`);
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

export async function parseCommand(args: readonly string[], io: Io, usage: string): Promise<number> {
  let json = false;
  let keysFile: string | null = null;
  const files: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (arg === '--json') json = true;
    else if (arg === '--dkim-keys') {
      keysFile = args[index + 1] ?? null;
      index += 1;
      if (keysFile === null) return usageError(io, usage, '--dkim-keys needs a FILE');
    } else if (arg.startsWith('-')) return usageError(io, usage, `unknown option "${arg}"`);
    else files.push(arg);
  }
  if (files.length === 0) return usageError(io, usage, 'no file given');
  let dkim: OwnDkimOptions;
  try {
    // Our own DKIM check asks DNS for ACM's key (a short timeout: offline it falls back, visibly, to SES's word),
    // or reads pinned keys from a file.
    const resolver = keysFile === null ? cachedTxtResolver(systemTxtResolver()) : keysFileTxtResolver(keysFile);
    dkim = { resolver, now: new Date() };
  } catch (error) {
    io.stderr.write(`acm-mail: --dkim-keys ${keysFile}: ${(error as Error).message}\n`);
    return EXIT.unreadable;
  }
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

function usageError(io: Io, usage: string, problem: string): number {
  io.stderr.write(`acm-mail parse: ${problem}\n${usage}\n`);
  return EXIT.usage;
}

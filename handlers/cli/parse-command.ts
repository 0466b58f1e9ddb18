/** `acm-mail parse [--json] FILE...`: one result per file, in input order. */
import { createReadStream } from 'node:fs';
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
): Promise<number> {
  let exit: number = EXIT.ok;
  for (const file of files) {
    let result: AcmMailResult;
    try {
      result = await parseAcmMailStream(createReadStream(file));
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
  const json = args.includes('--json');
  const unknown = args.find((arg) => arg.startsWith('-') && arg !== '--json');
  const files = args.filter((arg) => arg !== '--json');
  if (unknown !== undefined || files.length === 0) {
    io.stderr.write(
      `acm-mail parse: ${unknown === undefined ? 'no file given' : `unknown option "${unknown}"`}\n${usage}\n`,
    );
    return EXIT.usage;
  }
  const results: FileResult[] = [];
  const exit = await parseFiles(files, io, (result) => {
    // JSON lines are written as they come, so a long run shows progress and a crash loses nothing printed.
    if (json) io.stdout.write(`${JSON.stringify(result)}\n`);
    else results.push(result);
  });
  if (!json && results.length > 0) io.stdout.write(`${tableRows(results).join('\n')}\n`);
  return exit;
}

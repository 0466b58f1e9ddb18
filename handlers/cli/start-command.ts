/**
 * `npm start` at this stage: the parser over the example fixtures, one line per mail. The router issue turns this
 * into the whole local pipeline (emulators, tickets, digest).
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, type Io } from './io.js';
import { type FileResult, parseFiles, tableRows } from './parse-command.js';

const DEFAULT_DIR = fileURLToPath(new URL('../../fixtures/', import.meta.url));

function emlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return emlFiles(path);
      return entry.name.endsWith('.eml') ? [path] : [];
    })
    .sort();
}

export async function startCommand(args: readonly string[], io: Io, usage: string): Promise<number> {
  if (args.length > 1 || args.some((arg) => arg.startsWith('-'))) {
    io.stderr.write(`acm-mail start: takes at most one folder\n${usage}\n`);
    return EXIT.usage;
  }
  const dir = args[0] ?? DEFAULT_DIR;
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    io.stderr.write(`acm-mail start: ${dir} is not a folder\n`);
    return EXIT.unreadable;
  }
  const files = emlFiles(dir);
  const results: FileResult[] = [];
  const exit = await parseFiles(files, io, (result) => results.push({ ...result, file: relative(dir, result.file) }));
  io.stdout.write(`${tableRows(results).join('\n')}\n`);
  const count = (predicate: (r: FileResult) => boolean) => results.filter(predicate).length;
  io.stdout.write(
    `\n${results.length} mails: ${count((r) => r.kind === 'acm-approval')} approval requests ` +
      `(${count((r) => r.kind === 'acm-approval' && r.trust === 'trusted')} trusted, ` +
      `${count((r) => r.kind === 'acm-approval' && r.trust === 'unverified')} unverified, ` +
      `${count((r) => r.kind === 'acm-approval' && r.trust === 'suspicious')} suspicious), ` +
      `${count((r) => r.kind === 'not-acm')} not ACM's\n`,
  );
  return exit;
}

/**
 * Files a person names on a command line (a configuration, pinned DKIM keys, a digest's input): read with errors that
 * say, in words, what is wrong with which path, instead of Node's error codes. Nothing here runs in Lambda.
 */
import { lstatSync, readFileSync, readlinkSync } from 'node:fs';

/** A file named by a person could not be read, or is not what it should be; the message names the path. */
export class InputFileError extends Error {
  override readonly name = 'InputFileError';
  constructor(
    readonly path: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Why `path` could not be read, for a person: "it does not exist", "it is a folder", ... */
export function unreadableReason(path: string, error: unknown): string {
  switch ((error as NodeJS.ErrnoException | null)?.code) {
    case 'ENOENT':
      return danglingLink(path) ?? 'it does not exist';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOTDIR':
      return 'a part of its path is a file, not a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'its symbolic links go round in a loop';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** A link whose target is gone reads as "does not exist", which is puzzling while `ls` shows the link. */
function danglingLink(path: string): string | null {
  try {
    if (lstatSync(path).isSymbolicLink()) return `it is a symbolic link to ${readlinkSync(path)}, which does not exist`;
  } catch {
    // Not there at all: the plain answer is right.
  }
  return null;
}

/** `label` says what the file is for ("the configuration"), in front of its path in every message. */
export function readTextFile(path: string, label?: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputFileError(path, `cannot read ${named(path, label)}: ${unreadableReason(path, error)}`, {
      cause: error,
    });
  }
}

/** Reads and parses a JSON file; invalid JSON is reported with the line and column where it goes wrong. */
export function readJsonFile(path: string, label?: string): unknown {
  const text = readTextFile(path, label);
  try {
    return JSON.parse(text);
  } catch (error) {
    const { line, column } = lineAndColumn(text, jsonErrorOffset(text, error as Error));
    throw new InputFileError(
      path,
      `${named(path, label)} is not valid JSON: line ${line}, column ${column}: ${jsonProblem(text, error as Error)}`,
      { cause: error },
    );
  }
}

function named(path: string, label: string | undefined): string {
  return label === undefined ? path : `${label} ${path}`;
}

const STATED_POSITION = /JSON at position (\d+)/;
const ENDED_EARLY = 'Unexpected end of JSON input';

/**
 * Where JSON.parse gave up, as an offset into `text`. V8 states a position for most errors; for an unexpected token
 * (`Unexpected token '}', "..." is not valid JSON`, a trailing comma's usual message) it states none, so the offset is
 * found as the end of the shortest prefix that no more text could make valid. Every prefix of valid JSON fails only
 * by ending early (V8 then says so, or states the prefix's own length), which makes the search a bisection.
 */
export function jsonErrorOffset(text: string, error: Error): number {
  const stated = STATED_POSITION.exec(error.message);
  if (stated) return Number(stated[1]);
  if (error.message.startsWith(ENDED_EARLY)) return text.length;
  let valid = 0;
  let invalid = text.length;
  while (invalid - valid > 1) {
    const middle = Math.floor((valid + invalid) / 2);
    if (cannotBecomeValid(text.slice(0, middle))) invalid = middle;
    else valid = middle;
  }
  return invalid - 1;
}

function cannotBecomeValid(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (error) {
    const { message } = error as Error;
    if (message.startsWith(ENDED_EARLY)) return false;
    const stated = STATED_POSITION.exec(message);
    return stated === null || Number(stated[1]) < prefix.length;
  }
}

/** 1-based line and column of `offset`; a line ends at LF (a CR before it is part of the line's end). */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** V8's words without the position (given as line and column instead) and without its echo of the text. */
function jsonProblem(text: string, error: Error): string {
  if (text.startsWith('\uFEFF')) return 'the file starts with a byte-order mark (save it as UTF-8 without one)';
  const offset = jsonErrorOffset(text, error);
  if (offset >= text.length) return 'the file ends before the JSON does';
  const words = error.message
    .replace(/ at position \d+.*$/s, '')
    .replace(/ in JSON$/, '')
    .replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, '');
  // The commonest hand-editing slip: JSON, unlike JavaScript, allows no comma after the last entry.
  const trailingComma = /,\s*$/.test(text.slice(0, offset)) && /^[}\]]/.test(text.slice(offset));
  return trailingComma ? `${words} (JSON allows no comma before the closing ${text[offset]})` : words;
}

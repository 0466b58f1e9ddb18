/**
 * SES's own `Authentication-Results` field, read by the layout SES really writes (samples 01 and 02):
 *
 *     Authentication-Results: amazonses.com;
 *      spf=pass (spfCheck: domain of <domain> designates <ip> as permitted sender) client-ip=<ip>; envelope-from=<MAIL FROM>; helo=<HELO>;
 *      dkim=pass header.i=@certificates.amazon.com;
 *      dmarc=pass header.from=certificates.amazon.com;
 *
 * It is not strict RFC 8601: the SPF statement's properties are `;`-separated pairs, and MAIL FROM and HELO are the
 * sender's own text (`"x; dkim=pass header.i=@certificates.amazon.com"@evil.example` is a valid MAIL FROM). So a
 * statement counts only where SES starts one: after the `amazonses.com;` authserv-id, and at the start of each
 * folded line. Each line holds exactly one statement, read token by token (RFC 5322 quoted strings and nested
 * comments respected), and must end with its `;`. Anything else is not SES's layout, and the whole field is refused:
 * a refusal is a finding (`malformed-ses-verdicts`), never a reason to trust.
 */

import { commentEnd, quotedString } from './rfc5322.js';

export interface AuthenticationStatement {
  /** `spf`, `dkim`, `dmarc`, or any other method SES may add; lower-case. */
  readonly method: string;
  /** `pass`, `fail`, `softfail`, `none`, ...; lower-case. */
  readonly result: string;
  /** Property name (lower-case, `header.i`, `envelope-from`) to its value, unquoted. */
  readonly properties: ReadonlyMap<string, string>;
}

export type SesAuthenticationResults =
  | { readonly ok: true; readonly statements: readonly AuthenticationStatement[] }
  | { readonly ok: false; readonly problem: string };

type Token =
  | { readonly kind: 'blank' }
  | { readonly kind: 'comment'; readonly text: string }
  | { readonly kind: 'quoted'; readonly text: string }
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: ';' | '=' };

const SES_AUTHSERV_ID = 'amazonses.com';
const METHOD = /^[a-z][a-z0-9-]*$/;
const RESULT = /^[a-z]+$/;
/** RFC 8601 `ptype.property` (`header.i`, `smtp.mailfrom`, `policy.dkim-rules`) or `reason`. */
const PROPERTY = /^(?:[a-z][a-z0-9-]*\.[a-z0-9_-]+|reason)$/;
/** The SPF statement's pairs, in the order SES writes them. */
const SES_SPF_PAIRS = ['client-ip', 'envelope-from', 'helo'] as const;
/** Bounds the work on a hostile line (HELO and MAIL FROM are the sender's; SMTP caps a command line at 512). */
const MAX_LINE_CHARS = 4096;

/**
 * Printable, and none of the delimiters of the layout (blank, tab, `(`, `)`, `"`, `;`, `=`, backslash; the blanks are
 * below 0x21 anyway). By code, because it runs for every character of SES's field.
 */
function isWordChar(code: number): boolean {
  return (
    code > 0x20 &&
    code !== 0x7f &&
    code !== 0x28 &&
    code !== 0x29 &&
    code !== 0x22 &&
    code !== 0x3b &&
    code !== 0x3d &&
    code !== 0x5c
  );
}

/** The tokens that carry no text are the same every time (tokens are read, never changed): one of each. */
const BLANK: Token = { kind: 'blank' };
const SEMICOLON: Token = { kind: ';' };
const EQUALS: Token = { kind: '=' };

/** One physical line as tokens; null when a quoted string or a comment does not close on it. */
function tokenize(line: string): Token[] | null {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const char = line[i] as string;
    if (char === ' ' || char === '\t') {
      while (line[i] === ' ' || line[i] === '\t') i += 1;
      tokens.push(BLANK);
    } else if (char === '(') {
      const end = commentEnd(line, i);
      if (end === -1) return null;
      tokens.push({ kind: 'comment', text: line.slice(i, end) });
      i = end;
    } else if (char === '"') {
      const quoted = quotedString(line, i);
      if (quoted === null) return null;
      tokens.push({ kind: 'quoted', text: quoted.content });
      i = quoted.end;
    } else if (char === ';' || char === '=') {
      tokens.push(char === ';' ? SEMICOLON : EQUALS);
      i += 1;
    } else if (!isWordChar(line.charCodeAt(i))) {
      return null; // a stray `)` or backslash, a control character
    } else {
      const start = i;
      while (i < line.length && isWordChar(line.charCodeAt(i))) i += 1;
      tokens.push({ kind: 'word', text: line.slice(start, i) });
    }
  }
  return tokens;
}

/** Reads a token list left to right; every method returns null rather than guess. */
class LineReader {
  private index = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  atEnd(): boolean {
    return this.index >= this.tokens.length;
  }

  /** Blanks and comments; RFC 8601 allows them between any two tokens. */
  skipBlanks(allowComments: boolean): void {
    for (let token = this.tokens[this.index]; token; token = this.tokens[this.index]) {
      if (token.kind === 'blank' || (allowComments && token.kind === 'comment')) this.index += 1;
      else break;
    }
  }

  take(kind: Token['kind']): Token | null {
    const token = this.tokens[this.index];
    if (token?.kind !== kind) return null;
    this.index += 1;
    return token;
  }

  word(): string | null {
    const token = this.take('word');
    return token?.kind === 'word' ? token.text : null;
  }

  /**
   * A property value: the run of words, quoted strings and `=` that touch one another (`"a;b"@evil.example`,
   * `bounce+id=x@y`); a blank, a comment or `;` ends it. Quoted strings are unquoted.
   */
  value(): string {
    let text = '';
    for (let token = this.tokens[this.index]; token; token = this.tokens[this.index]) {
      if (token.kind === 'word' || token.kind === 'quoted') text += token.text;
      else if (token.kind === '=') text += '=';
      else break;
      this.index += 1;
    }
    return text;
  }

  mark(): number {
    return this.index;
  }

  reset(mark: number): void {
    this.index = mark;
  }
}

/** `method=result`, then the properties in SES's SPF form or in RFC 8601's, then `;` and nothing else. */
function readStatement(reader: LineReader, lastLine: boolean): AuthenticationStatement | string {
  reader.skipBlanks(true);
  const method = reader.word()?.toLowerCase();
  if (method === undefined || !METHOD.test(method)) return 'a line does not start with a method';
  reader.skipBlanks(false);
  if (!reader.take('=')) return `${method}: no "=" after the method`;
  reader.skipBlanks(false);
  const result = reader.word()?.toLowerCase();
  if (result === undefined || !RESULT.test(result)) return `${method}: no result word`;
  const afterResult = reader.mark();
  let properties = method === 'spf' ? sesSpfPairs(reader, lastLine) : null;
  if (properties === null) {
    reader.reset(afterResult);
    properties = rfcProperties(reader, lastLine);
  }
  if (properties === null) return `${method}: properties do not fit the layout`;
  return { method, result, properties };
}

/** SES's SPF form: `(comment) client-ip=V; envelope-from=V; helo=V;` and the end of the line. */
function sesSpfPairs(reader: LineReader, lastLine: boolean): Map<string, string> | null {
  const properties = new Map<string, string>();
  reader.skipBlanks(true);
  for (const [index, name] of SES_SPF_PAIRS.entries()) {
    reader.skipBlanks(false);
    if (reader.word()?.toLowerCase() !== name || !reader.take('=')) return null;
    properties.set(name, reader.value());
    const closed = reader.take(';') !== null;
    if (!closed && !(lastLine && index === SES_SPF_PAIRS.length - 1 && reader.atEnd())) return null;
  }
  reader.skipBlanks(false);
  return reader.atEnd() ? properties : null;
}

/** RFC 8601 form: `(comment) ptype.property=value ...;` and the end of the line. */
function rfcProperties(reader: LineReader, lastLine: boolean): Map<string, string> | null {
  const properties = new Map<string, string>();
  for (;;) {
    reader.skipBlanks(true);
    if (reader.take(';')) break;
    // SES ends every statement with `;`; the field's very last one is forgiven a missing one, nothing else.
    if (reader.atEnd()) {
      if (lastLine) break;
      return null;
    }
    const name = reader.word()?.toLowerCase();
    if (name === undefined || !PROPERTY.test(name) || properties.has(name) || !reader.take('=')) return null;
    const value = reader.value();
    if (value === '') return null;
    properties.set(name, value);
  }
  reader.skipBlanks(false);
  return reader.atEnd() ? properties : null;
}

/**
 * Reads SES's field from its physical lines (`HeaderField.lines`: the first one starts with the field name).
 * `amazonses.com;` comes first; the first statement may follow it on that line; every folded line is one statement.
 */
export function readSesAuthenticationResults(lines: readonly string[]): SesAuthenticationResults {
  const refuse = (problem: string): SesAuthenticationResults => ({ ok: false, problem });
  const [first = '', ...folded] = lines;
  if ([first, ...folded].some((line) => line.length > MAX_LINE_CHARS)) return refuse('a line is too long');
  const colon = first.indexOf(':');
  const head = tokenize(first.slice(colon + 1));
  if (colon < 0 || head === null) return refuse('the first line is unreadable');
  const headReader = new LineReader(head);
  headReader.skipBlanks(true);
  if (headReader.word()?.toLowerCase() !== SES_AUTHSERV_ID) return refuse(`the authserv-id is not ${SES_AUTHSERV_ID}`);
  headReader.skipBlanks(true);
  if (!headReader.take(';')) return refuse('no ";" after the authserv-id');

  const statements: AuthenticationStatement[] = [];
  const read = (reader: LineReader, lastLine: boolean): string | null => {
    const statement = readStatement(reader, lastLine);
    if (typeof statement === 'string') return statement;
    statements.push(statement);
    return null;
  };
  headReader.skipBlanks(true);
  if (!headReader.atEnd()) {
    // `amazonses.com; none`: RFC 8601's "nothing was checked".
    const mark = headReader.mark();
    const none = headReader.word()?.toLowerCase() === 'none';
    headReader.skipBlanks(true);
    if (none && headReader.atEnd()) {
      return folded.length === 0 ? { ok: true, statements } : refuse('"none" followed by statements');
    }
    headReader.reset(mark);
    const problem = read(headReader, folded.length === 0);
    if (problem !== null) return refuse(problem);
  }
  for (const [index, line] of folded.entries()) {
    const tokens = tokenize(line);
    if (tokens === null) return refuse('a quoted string or comment does not close on its line');
    const problem = read(new LineReader(tokens), index === folded.length - 1);
    if (problem !== null) return refuse(problem);
  }
  return { ok: true, statements };
}

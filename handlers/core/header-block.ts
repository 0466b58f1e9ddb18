/**
 * Reads the top header block of raw mail bytes ourselves: order matters (SES's stamp is recognised by position),
 * repeated fields matter (mailparser keeps only the first), and where a folded line starts matters (SES starts each
 * verdict on its own line). mailparser merges all three away.
 */

export interface HeaderField {
  /** Lower-case field name. */
  readonly name: string;
  /** Unfolded value, trimmed. */
  readonly value: string;
  /** The field's physical lines as written, line breaks removed; the first starts with the name. */
  readonly lines: readonly string[];
  /** Where the field's first line starts in the bytes, and where its last line's line break ends. */
  readonly start: number;
  readonly end: number;
}

export interface HeaderBlock {
  readonly fields: readonly HeaderField[];
  /**
   * Lines of the block that are no field: no colon, a name with characters RFC 5322 does not allow, or a folded line
   * with no field above it. Such a line is read differently by different parsers (mailparser may take a name from
   * the next line), so ACM's own mail never has one and a mail that claims ACM with one is not believed.
   */
  readonly strayLines: number;
  /**
   * Where the header block's complete lines end: the body's start (blank line included), or, for a block cut by
   * the limit, the end of its last complete line. `bytes.subarray(0, headerEnd)` is a header block on its own.
   */
  readonly headerEnd: number;
  /** The block ends at its blank line (found within `maxBytes`): a body follows at `headerEnd`. */
  readonly endsAtBlankLine: boolean;
  /**
   * The block did not end within `maxBytes` and the mail goes on: `fields` are only its first part, and any field
   * may follow unseen (a second From, a probe field). ACM's mail and our probes have a few KB of header.
   */
  readonly cut: boolean;
  /**
   * For a cut block: a line past the cut, before the blank line and within `maxScanBytes` of the mail, starts an
   * `X-ACM-Mail-Probe` field (any case, blanks allowed before the colon). Found by looking at bytes, never by
   * building strings of what lies past the cut.
   */
  readonly probeFieldPastCut: boolean;
}

const LF = 0x0a;
const CR = 0x0d;
/** RFC 5322 field-name: printable ASCII but the colon; obsolete syntax allows blanks before the colon. */
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+[ \t]*$/;

/** `x-acm-mail-probe`, lower case, as bytes (core/canary/token.ts names the field; spelled here to stay byte-level). */
const PROBE_NAME = Buffer.from('x-acm-mail-probe', 'latin1');
const COLON = 0x3a;
const BLANK = 0x20;
const TAB = 0x09;

/** Whether the bytes at `at` name the probe field: its name in any case, blanks or tabs, then a colon. */
function namesProbeField(bytes: Uint8Array, at: number, end: number): boolean {
  if (at + PROBE_NAME.length >= end) return false;
  for (let index = 0; index < PROBE_NAME.length; index++) {
    const byte = bytes[at + index] as number;
    const lower = byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte;
    if (lower !== PROBE_NAME[index]) return false;
  }
  let next = at + PROBE_NAME.length;
  while (next < end && (bytes[next] === BLANK || bytes[next] === TAB)) next += 1;
  return next < end && bytes[next] === COLON;
}

/**
 * Whether a line from `from` up to the header block's blank line (or `end`) starts a probe field. A bare CR counts
 * as a line break here too: some readers break lines there, and seeing a probe field too often only makes a mail
 * suspicious.
 */
function probeFieldBetween(bytes: Uint8Array, from: number, end: number): boolean {
  let lineStart = true;
  for (let index = from; index < end; index++) {
    const byte = bytes[index] as number;
    if (byte === LF) {
      const next = bytes[index + 1];
      if (next === LF || (next === CR && bytes[index + 2] === LF)) return false;
      lineStart = true;
    } else if (byte === CR) {
      lineStart = true;
    } else {
      if (lineStart && (byte | 0x20) === 0x78 && namesProbeField(bytes, index, end)) return true;
      lineStart = false;
    }
  }
  return false;
}

/** Finds the blank line that ends the header block, looking no further than `maxBytes`. */
function findBodyOffset(bytes: Uint8Array, maxBytes: number): number | null {
  const end = Math.min(bytes.length, maxBytes);
  // A mail may start with a blank line (no headers at all).
  if (bytes[0] === LF) return 1;
  if (bytes[0] === CR && bytes[1] === LF) return 2;
  for (let i = bytes.indexOf(LF); i !== -1 && i < end; i = bytes.indexOf(LF, i + 1)) {
    if (bytes[i + 1] === LF) return i + 2;
    if (bytes[i + 1] === CR && bytes[i + 2] === LF) return i + 3;
  }
  return null;
}

/**
 * A field as read. Its value is unfolded the first time it is asked for: most fields' values (Received,
 * DKIM-Signature, SES's receipt) are never read, and unfolding every one was a third of reading a header block.
 */
class ReadField implements HeaderField {
  readonly lines: string[];
  #value: string | undefined;

  constructor(
    readonly name: string,
    private readonly colon: number,
    firstLine: string,
    readonly start: number,
    public end: number,
  ) {
    this.lines = [firstLine];
  }

  get value(): string {
    if (this.#value === undefined) {
      let value = (this.lines[0] as string).slice(this.colon + 1).trim();
      for (let index = 1; index < this.lines.length; index++) value += ` ${(this.lines[index] as string).trim()}`;
      this.#value = value;
    }
    return this.#value;
  }
}

/**
 * The header block as fields in order. Reads at most `maxBytes`; a block cut there yields the complete fields
 * before the cut, and the rest of the block, up to `maxScanBytes` of the mail (default `maxBytes`: no further), is
 * only searched for a probe field's start. Bytes are read as latin1 so that no byte sequence can fail to decode. An
 * mbox `From ` line at the very top (a saved mailbox file) is skipped, as mailparser skips it.
 */
export function readHeaderBlock(bytes: Uint8Array, maxBytes: number, maxScanBytes = maxBytes): HeaderBlock {
  const bodyOffset = findBodyOffset(bytes, maxBytes);
  // A block cut by the limit ends at its last complete line; a line cut mid-way is not a field.
  const cut = bodyOffset === null && bytes.length > maxBytes;
  const headerEnd = bodyOffset ?? (cut ? bytes.subarray(0, maxBytes).lastIndexOf(LF) + 1 : bytes.length);
  // latin1: one character per byte, so a position in `text` is an offset in `bytes`.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, headerEnd).toString('latin1');
  const fields: ReadField[] = [];
  let current: ReadField | null = null;
  let strayLines = 0;
  // Line by line as `text.split(/\r?\n/)` cuts it: a line ends before `\n`, or before the `\r` of a `\r\n`.
  for (let index = 0, lineStart = 0; lineStart < text.length; index++) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline + 1;
    const contentEnd =
      newline === -1 ? text.length : newline > lineStart && text[newline - 1] === '\r' ? newline - 1 : newline;
    const line = text.slice(lineStart, contentEnd);
    const start = lineStart;
    lineStart = lineEnd;
    if (line === '') break;
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (current === null) {
        strayLines += 1;
        continue;
      }
      current.lines.push(line);
      current.end = lineEnd;
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    if (!FIELD_NAME.test(name)) {
      if (!(index === 0 && line.startsWith('From '))) strayLines += 1;
      current = null;
      continue;
    }
    current = new ReadField(name.trim().toLowerCase(), colon, line, start, lineEnd);
    fields.push(current);
  }
  // Past the cut only a probe field's start is looked for: a mail carrying one must never pass for ordinary mail.
  const probeFieldPastCut =
    cut && probeFieldBetween(bytes, headerEnd, Math.min(bytes.length, Math.max(maxBytes, maxScanBytes)));
  return { fields, strayLines, headerEnd, endsAtBlankLine: bodyOffset !== null, cut, probeFieldPastCut };
}

/** How many fields of each of `names` the block has. */
export function fieldCounts(block: HeaderBlock, names: readonly string[]): Map<string, number> {
  const counts = new Map(names.map((name) => [name, 0]));
  for (const field of block.fields) {
    const count = counts.get(field.name);
    if (count !== undefined) counts.set(field.name, count + 1);
  }
  return counts;
}

/** The value of the first field of that name, or null. */
export function firstValue(block: HeaderBlock, name: string): string | null {
  return block.fields.find((field) => field.name === name)?.value ?? null;
}

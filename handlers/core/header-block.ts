/** Reads the top header block of raw mail bytes ourselves, because order matters and mailparser merges it away. */

export interface HeaderField {
  /** Lower-case field name. */
  readonly name: string;
  /** Unfolded value, trimmed. */
  readonly value: string;
}

export interface HeaderBlock {
  readonly fields: readonly HeaderField[];
  /**
   * Where the header block's complete lines end: the body's start (blank line included), or, for a block cut by
   * the limit, the end of its last complete line. `bytes.subarray(0, headerEnd)` is a header block on its own.
   */
  readonly headerEnd: number;
}

const LF = 0x0a;
const CR = 0x0d;

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
 * The header block as fields in order. Reads at most `maxBytes`; a block cut there yields the complete fields
 * before the cut. Bytes are read as latin1 so that no byte sequence can fail to decode.
 */
export function readHeaderBlock(bytes: Uint8Array, maxBytes: number): HeaderBlock {
  const bodyOffset = findBodyOffset(bytes, maxBytes);
  // A block cut by the limit ends at its last complete line; a line cut mid-way is not a field.
  const cut = bodyOffset === null && bytes.length > maxBytes;
  const headerEnd = bodyOffset ?? (cut ? bytes.subarray(0, maxBytes).lastIndexOf(LF) + 1 : bytes.length);
  const lines = Buffer.from(bytes.buffer, bytes.byteOffset, headerEnd).toString('latin1').split(/\r?\n/);
  const fields: HeaderField[] = [];
  let current: { name: string; value: string } | null = null;
  for (const line of lines) {
    if (line === '') break;
    if ((line.startsWith(' ') || line.startsWith('\t')) && current) {
      current.value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      current = null; // not a header line (mbox "From " line, garbage): skip it
      continue;
    }
    current = { name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).trim() };
    fields.push(current);
  }
  return { fields, headerEnd };
}

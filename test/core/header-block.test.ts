/**
 * The header block read line by line with indexOf, values unfolded when asked for: the same fields as reading the
 * block split on /\r?\n/ with every value unfolded at once (the reference below), for any bytes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readHeaderBlock } from '../../handlers/core/header-block.js';

/** The reading this module did before it was made faster: split the block, unfold every value as it goes. */
function referenceFields(text: string): { fields: { name: string; value: string; lines: string[] }[]; stray: number } {
  const fields: { name: string; value: string; lines: string[] }[] = [];
  let current: (typeof fields)[number] | null = null;
  let stray = 0;
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (line === '') break;
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (current === null) stray += 1;
      else {
        current.value += ` ${line.trim()}`;
        current.lines.push(line);
      }
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    if (!/^[\x21-\x39\x3b-\x7e]+[ \t]*$/.test(name)) {
      if (!(index === 0 && line.startsWith('From '))) stray += 1;
      current = null;
      continue;
    }
    current = { name: name.trim().toLowerCase(), value: line.slice(colon + 1).trim(), lines: [line] };
    fields.push(current);
  }
  return { fields, stray };
}

function read(text: string, maxBytes = 65_536) {
  const block = readHeaderBlock(Buffer.from(text, 'latin1'), maxBytes);
  return {
    block,
    fields: block.fields.map(({ name, value, lines }) => ({ name, value, lines: [...lines] })),
    spans: block.fields.map(({ start, end }) => text.slice(start, end)),
  };
}

describe('the header block', () => {
  it('reads CRLF, LF and stray CR line ends, folded values, stray lines and an mbox line', () => {
    const text = 'From x@example.com Mon\nSubject: a\r\n  b\r\nX-A: c\r\r\nno colon\r\n\tlost\r\nX-B:\td \n\r\nbody';
    const { block, fields, spans } = read(text);
    expect(fields).toEqual([
      { name: 'subject', value: 'a b', lines: ['Subject: a', '  b'] },
      { name: 'x-a', value: 'c', lines: ['X-A: c\r'] },
      { name: 'x-b', value: 'd', lines: ['X-B:\td '] },
    ]);
    expect(spans).toEqual(['Subject: a\r\n  b\r\n', 'X-A: c\r\r\n', 'X-B:\td \n']);
    expect(block).toMatchObject({ strayLines: 2, headerEnd: text.indexOf('body'), endsAtBlankLine: true });
  });

  it('reads any bytes as the split reading does, and each field spans exactly its lines', () => {
    const piece = fc.constantFrom(
      '\r\n',
      '\n',
      '\r',
      ' ',
      '\t',
      ':',
      'From ',
      'Subject',
      'X-A',
      'a',
      '\u00e9',
      'no colon',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.integer({ min: 1, max: 200 }), (pieces, maxBytes) => {
        const text = pieces.join('');
        const { block, fields, spans } = read(text, maxBytes);
        const expected = referenceFields(text.slice(0, block.headerEnd));
        expect(fields).toEqual(expected.fields);
        expect(block.strayLines).toBe(expected.stray);
        // A field's bytes are its lines, each with the line end it had (the block's last may have none).
        const linesOf = (span: string) =>
          span.endsWith('\n') ? span.split(/\r?\n/).slice(0, -1) : span.split(/\r?\n/);
        expect(spans.map(linesOf)).toEqual(fields.map((field) => field.lines));
      }),
      { numRuns: 20_000 },
    );
  });
});

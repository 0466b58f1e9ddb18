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

describe('a header block longer than the limit (red team H25)', () => {
  const top = 'From: acm-mail@notify.example.org\r\nX-Pad: ';
  const padded = (rest: string, pad = 2_000) => Buffer.from(`${top}${'p'.repeat(pad)}\r\n${rest}`, 'latin1');

  it('is cut, and a probe field past the cut is found in any case, with blanks before the colon', () => {
    for (const field of [
      'X-ACM-Mail-Probe: v1; x',
      'x-acm-mail-probe:v1',
      'X-Acm-Mail-Probe \t : v1',
      'Subject: a\rX-ACM-Mail-Probe: v1',
    ]) {
      const block = readHeaderBlock(padded(`${field}\r\nTo: a@b.example\r\n\r\nbody`), 1_000, 1_000_000);
      expect(block).toMatchObject({ cut: true, probeFieldPastCut: true, endsAtBlankLine: false });
      expect(block.fields.map((field) => field.name)).toEqual(['from']);
    }
  });

  it('finds no probe field in a folded line, another field, the body, or past the search limit', () => {
    const cases: [string, number][] = [
      ['Subject: about\r\n X-ACM-Mail-Probe: v1\r\n\r\n', 1_000_000],
      ['X-ACM-Mail-Probes: v1\r\nX-ACM-Mail-Probe v1\r\n\r\n', 1_000_000],
      ['To: a@b.example\r\n\r\nX-ACM-Mail-Probe: v1\r\n', 1_000_000],
      ['To: a@b.example\r\nX-ACM-Mail-Probe: v1\r\n\r\n', 2_020],
    ];
    for (const [rest, scan] of cases) {
      expect(readHeaderBlock(padded(rest), 1_000, scan)).toMatchObject({ cut: true, probeFieldPastCut: false });
    }
  });

  it('searches nothing past the cut unless asked, and a block read whole is never cut', () => {
    expect(readHeaderBlock(padded('X-ACM-Mail-Probe: v1\r\n\r\n'), 1_000)).toMatchObject({
      cut: true,
      probeFieldPastCut: false,
    });
    expect(readHeaderBlock(padded('X-ACM-Mail-Probe: v1\r\n\r\n'), 65_536, 1_000_000)).toMatchObject({
      cut: false,
      probeFieldPastCut: false,
      endsAtBlankLine: true,
    });
    // No blank line at all, but no more bytes than the limit either: the whole mail is its header, nothing is cut.
    expect(readHeaderBlock(padded('To: a@b.example'), 65_536)).toMatchObject({ cut: false });
  });

  it('searches a megabyte past the cut in bytes, quickly', () => {
    const bytes = padded(`${'X-Pad: q\r\n'.repeat(70_000)}X-ACM-Mail-Probe: v1\r\n\r\n`, 300_000);
    const started = performance.now();
    expect(readHeaderBlock(bytes, 262_144, 1_048_576).probeFieldPastCut).toBe(true);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

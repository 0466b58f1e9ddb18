/**
 * The template reader skips a scan where a cheaper test proves it cannot find anything. Each shortcut rests on a
 * claim about a pattern of template.ts; these tests hold the claims, so that a change to a pattern cannot leave a
 * shortcut skipping what the pattern would now find.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACM_SENDER_NAMED,
  EXPIRATION_LABEL,
  FIELD_LABELS,
  FORWARD_SEPARATORS,
  INNER_ACM_FROM_LINE,
  INVISIBLE_CHARACTERS,
  LABEL_ANCHORS,
  MAX_LINKS_PER_PART,
  URL_LIKE,
} from '../../handlers/core/template.js';
import {
  isTokenDelimiter,
  labelValues,
  linksIn,
  readTemplate,
  urlLikeIn,
} from '../../handlers/core/template-reader.js';

/** URL_LIKE's own global scan, as linksIn ran it before it learnt to skip: the reference for urlLikeIn. */
function urlLikeScan(text: string): string[] {
  const links = new Set<string>();
  for (const match of text.matchAll(new RegExp(URL_LIKE.source, URL_LIKE.flags))) {
    if (links.size >= MAX_LINKS_PER_PART) break;
    links.add(match[0].replace(/[.,;]+$/, ''));
  }
  return [...links];
}

describe('the shortcuts of the template reader', () => {
  it('ends a token on exactly the characters of /[\\s()<>"\']/', () => {
    const pattern = /[\s()<>"']/;
    const disagreements: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (pattern.test(String.fromCharCode(code)) !== isTokenDelimiter(code)) disagreements.push(code.toString(16));
    }
    expect(disagreements).toEqual([]);
  });

  it('knows no invisible character below U+00AD, the soft hyphen', () => {
    const below = Array.from({ length: 0xad }, (_, code) => String.fromCharCode(code)).join('');
    expect(below.replace(INVISIBLE_CHARACTERS, '')).toBe(below);
    expect('a\u00adb'.replace(INVISIBLE_CHARACTERS, '')).toBe('ab');
  });

  it('finds an inner From line only where ACM is named, with the same flags', () => {
    expect(INNER_ACM_FROM_LINE.source.endsWith(`(?:${ACM_SENDER_NAMED.source})`)).toBe(true);
    expect(INNER_ACM_FROM_LINE.flags.replace('m', '')).toBe(ACM_SENDER_NAMED.flags);
  });

  it('still removes invisible characters, carriage returns and quote markers where a part has them', () => {
    const reading = readTemplate(
      '> Greetings from Amazon Web Services,\r\n> Dom\u200bain: shop.example.com\r\n> AWS account ID: 123456789012',
      4096,
    );
    expect(reading.domains).toEqual(['shop.example.com']);
    expect(reading.accountIds).toEqual(['123456789012']);
    expect(reading.forwardMarkers).toBe(true);
  });

  it('finds approvals paths in any ASCII case, with or without U+0130 in the text', () => {
    for (const before of ['', '\u0130 ']) {
      const { approvalLinks } = linksIn(
        `${before}see eu-west-1.acm-certificates.amazon.com/APProvals?code=a (or /approvals)`,
      );
      expect(approvalLinks).toEqual(['eu-west-1.acm-certificates.amazon.com/APProvals?code=a', '/approvals']);
    }
  });

  it('finds what the URL pattern finds in its own scan, skipping ahead to the next `://` or `www.`', () => {
    const piece = fc.oneof(
      fc.constantFrom('://', 'www.', 'WWW.', 'https://', 'a://', '9a://', 'abcdefghijklmnop', 'abcdefghijklmnopq'),
      fc.constantFrom('x', '_', '-', '.', ' ', '\n', '(', '"', '\u00e9', '\u017f', 'w', 'ww', 'a+b.c-d'),
      fc.string({ maxLength: 5 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const text = pieces.join('');
        expect([...urlLikeIn(text)]).toEqual(urlLikeScan(text));
      }),
      { numRuns: 20_000 },
    );
    const many = Array.from({ length: 400 }, (_, i) => `http://h${i}.example/`).join(' ');
    expect([...urlLikeIn(many)]).toEqual(urlLikeScan(many));
    expect(urlLikeIn(many).size).toBe(MAX_LINKS_PER_PART);
  });

  it("reads each label as its own pattern's scan does, starting where the label's literal allows", () => {
    const labels = [...Object.entries(FIELD_LABELS), ['expiration', EXPIRATION_LABEL] as const] as const;
    const piece = fc.oneof(
      fc.constantFrom('Domain', 'Domain:', 'AWS account ID:', 'AWS account number:', 'Amazon Web Services account ID:'),
      fc.constantFrom('AWS Region name:', 'Amazon Web Services Region name:', 'Certificate identifier:'),
      fc.constantFrom('Certificate Identifier:', 'Expiration date:', ' account ', ' Region name', 'AWS', 'Amazon Web'),
      fc.constantFrom(' ', '\t', '\n', '\r\n', 'x', '-', '_', '\u00e9', '\u{1d400}', '1', 'a.example', ':'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const text = pieces.join('');
        for (const [name, pattern] of labels) {
          const own = Array.from(text.matchAll(new RegExp(pattern.source, pattern.flags)), (match) => match[1] ?? '');
          expect(labelValues(pattern, LABEL_ANCHORS[name as keyof typeof LABEL_ANCHORS], text)).toEqual(own);
        }
      }),
      { numRuns: 20_000 },
    );
  });

  it('tries a forward separator only where its cheaper test passes, which every separator line does', () => {
    const lines = [
      '---------- Forwarded message ---------',
      '-----Original Message-----',
      '-- Weitergeleitete Nachricht --',
      'Begin forwarded message:',
      '  BEGIN FORWARDED MESSAGE :',
      'Anfang der weitergeleiteten Nachricht:',
      'D\u00c9BUT DU MESSAGE R\u00c9EXP\u00c9DI\u00c9:',
      'Inicio del mensaje reenviado:',
    ];
    for (const line of lines) {
      const text = `Hello\n${line}\nFrom: someone`;
      const matching = FORWARD_SEPARATORS.filter(({ separator }) => separator.test(text));
      expect(matching.length, line).toBe(1);
      for (const { mayHold } of matching) expect(mayHold(text), line).toBe(true);
      expect(readTemplate(text, 4096).forwardMarkers, line).toBe(true);
    }
    expect(FORWARD_SEPARATORS.every(({ mayHold }) => !mayHold('Greetings from Amazon Web Services'))).toBe(true);
  });
});

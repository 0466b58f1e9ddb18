/**
 * The template reader skips a scan where a cheaper test proves it cannot find anything. Each shortcut rests on a
 * claim about a pattern of template.ts; these tests hold the claims, so that a change to a pattern cannot leave a
 * shortcut skipping what the pattern would now find.
 */
import { describe, expect, it } from 'vitest';
import { ACM_SENDER_NAMED, INNER_ACM_FROM_LINE, INVISIBLE_CHARACTERS } from '../../handlers/core/template.js';
import { isTokenDelimiter, linksIn, readTemplate } from '../../handlers/core/template-reader.js';

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
});

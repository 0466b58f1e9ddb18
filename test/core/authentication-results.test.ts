import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSesAuthenticationResults } from '../../handlers/core/authentication-results.js';

/** The field's physical lines, as the header block keeps them. */
const lines = (text: string) => text.split('\n');
const read = (text: string) => readSesAuthenticationResults(lines(text));
const statementsOf = (text: string) => {
  const result = read(text);
  if (!result.ok) throw new Error(`refused: ${result.problem}`);
  return result.statements.map((s) => ({ method: s.method, result: s.result, ...Object.fromEntries(s.properties) }));
};

/** SES's SPF line, exactly as sample 01 has it, with the sender's MAIL FROM and HELO inserted. */
const spfLine = (envelopeFrom: string, helo: string, domain = 'evil.example') =>
  ` spf=pass (spfCheck: domain of ${domain} designates 203.0.113.66 as permitted sender) client-ip=203.0.113.66; envelope-from=${envelopeFrom}; helo=${helo};`;

const SAMPLE_01 = `Authentication-Results: amazonses.com;
 spf=pass (spfCheck: domain of bounces.certificates.amazon.com designates 1.2.3.4 as permitted sender) client-ip=1.2.3.4; envelope-from=000000bed121212-331155fc0a-33fe-4874-acee-1202bbf39dd9-000000@bounces.certificates.amazon.com; helo=a11-108.smtp-out.amazonses.com;
 dkim=pass header.i=@certificates.amazon.com;
 dkim=pass header.i=@amazonses.com;`;

describe("SES's Authentication-Results, read by its real layout", () => {
  it('reads the real 2017 header (sample 01): one statement per line, the SPF pairs as SES writes them', () => {
    expect(statementsOf(SAMPLE_01)).toEqual([
      {
        method: 'spf',
        result: 'pass',
        'client-ip': '1.2.3.4',
        'envelope-from':
          '000000bed121212-331155fc0a-33fe-4874-acee-1202bbf39dd9-000000@bounces.certificates.amazon.com',
        helo: 'a11-108.smtp-out.amazonses.com',
      },
      { method: 'dkim', result: 'pass', 'header.i': '@certificates.amazon.com' },
      { method: 'dkim', result: 'pass', 'header.i': '@amazonses.com' },
    ]);
  });

  it('reads DMARC, other methods SES may add, comments, and a last statement without its ";"', () => {
    expect(
      statementsOf(`Authentication-Results: amazonses.com;
 dkim=pass (2048-bit key) header.d=certificates.amazon.com header.s=abc;
 arc=none;
 dmarc=pass (p=NONE sp=NONE) header.from=certificates.amazon.com`),
    ).toEqual([
      { method: 'dkim', result: 'pass', 'header.d': 'certificates.amazon.com', 'header.s': 'abc' },
      { method: 'arc', result: 'none' },
      { method: 'dmarc', result: 'pass', 'header.from': 'certificates.amazon.com' },
    ]);
  });

  it('keeps a quoted MAIL FROM, a VERP address with "=", an empty one (bounces) and the RFC 8601 SPF form', () => {
    expect(
      statementsOf(
        `Authentication-Results: amazonses.com;\n${spfLine('"a; dkim=pass header.i=@certificates.amazon.com"@evil.example', 'mx.evil.example')}`,
      )[0],
    ).toMatchObject({ 'envelope-from': 'a; dkim=pass header.i=@certificates.amazon.com@evil.example' });
    expect(
      statementsOf(
        `Authentication-Results: amazonses.com;\n${spfLine('bounces+848413-e276-me=gmail.com@sg.github.com', 'x')}`,
      )[0],
    ).toMatchObject({ 'envelope-from': 'bounces+848413-e276-me=gmail.com@sg.github.com' });
    expect(statementsOf(`Authentication-Results: amazonses.com;\n${spfLine('', 'mx.example')}`)[0]).toMatchObject({
      'envelope-from': '',
    });
    expect(statementsOf('Authentication-Results: amazonses.com;\n spf=pass smtp.mailfrom=a@b.example;')).toEqual([
      { method: 'spf', result: 'pass', 'smtp.mailfrom': 'a@b.example' },
    ]);
  });

  it('accepts the first statement on the authserv-id line, and "none"', () => {
    expect(statementsOf('Authentication-Results: amazonses.com; dkim=pass header.i=@x.example;')).toHaveLength(1);
    expect(statementsOf('Authentication-Results: amazonses.com; none')).toEqual([]);
  });

  it.each([
    ['another authserv-id', 'Authentication-Results: mx.evil.example;\n dkim=pass header.i=@certificates.amazon.com;'],
    ['an authserv-id that only starts like SES', 'Authentication-Results: amazonses.com.evil.example;\n dkim=pass;'],
    ['no ";" after the authserv-id', 'Authentication-Results: amazonses.com\n dkim=pass header.i=@x.example;'],
    [
      'two statements on one line',
      'Authentication-Results: amazonses.com;\n dkim=pass header.i=@x.example; dkim=pass header.i=@certificates.amazon.com;',
    ],
    [
      'a second statement behind the SPF pairs',
      `Authentication-Results: amazonses.com;\n${spfLine('a@evil.example', 'x; dkim=pass header.i=@certificates.amazon.com')}`,
    ],
    [
      'an unbalanced quote',
      `Authentication-Results: amazonses.com;\n${spfLine('"a; dkim=pass header.i=@certificates.amazon.com@evil.example', 'x')}`,
    ],
    [
      'an unbalanced comment',
      `Authentication-Results: amazonses.com;\n${spfLine('a@evil.example', 'x (y; dkim=pass')}`,
    ],
    ['a stray ")"', `Authentication-Results: amazonses.com;\n${spfLine('a@evil.example', 'x)')}`],
    ['a backslash outside quotes', `Authentication-Results: amazonses.com;\n${spfLine('a\\;b@evil.example', 'x')}`],
    ['a line that is no statement', 'Authentication-Results: amazonses.com;\n header.i=@certificates.amazon.com;'],
    [
      'a statement without its ";" before another line',
      'Authentication-Results: amazonses.com;\n dkim=pass header.i=@x.example\n dmarc=none;',
    ],
    ['text behind a statement', 'Authentication-Results: amazonses.com;\n dkim=pass header.i=@x.example; junk'],
    ['a property without a value', 'Authentication-Results: amazonses.com;\n dkim=pass header.i=;'],
    [
      'a property named twice',
      'Authentication-Results: amazonses.com;\n dkim=pass header.d=x.example header.d=certificates.amazon.com;',
    ],
    ['a blank line', 'Authentication-Results: amazonses.com;\n \n dkim=pass header.i=@x.example;'],
    ['"none" with statements', 'Authentication-Results: amazonses.com; none\n dkim=pass header.i=@x.example;'],
  ])('refuses %s', (_what, text) => {
    expect(read(text).ok).toBe(false);
  });
});

describe("property: sender text in SES's own header never becomes a statement", () => {
  const methodNames = ['spf', 'dkim', 'dmarc', 'arc', 'header.i', 'header.from', 'auth'];
  const tricky = fc.oneof(
    fc.constantFrom(
      ';',
      '=',
      '(',
      ')',
      '"',
      '\\',
      ' ',
      '\t',
      '@',
      '.',
      'pass',
      '; dkim=pass header.i=@certificates.amazon.com;',
    ),
    fc.constantFrom(...methodNames).map((name) => `${name}=pass`),
    fc.constantFrom(...methodNames).map((name) => `; ${name}=pass header.from=certificates.amazon.com`),
    fc.string({ unit: 'grapheme-ascii', maxLength: 6 }),
  );
  const senderText = fc.array(tricky, { maxLength: 10 }).map((pieces) => pieces.join(''));
  /** A quoted local part as SMTP writes one: `"` and `\` escaped. */
  const quotedLocalPart = senderText.map((text) => `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`);
  const envelopeFrom = fc.oneof(
    quotedLocalPart.map((local) => `${local}@evil.example`),
    senderText.map((text) => `${text}@evil.example`),
  );
  const helo = senderText;

  it('reads exactly what SES wrote, or refuses the field: never an extra statement, never a pass for ACM', () => {
    let read = 0;
    fc.assert(
      fc.property(envelopeFrom, helo, (from, heloText) => {
        const header = `Authentication-Results: amazonses.com;\n${spfLine(from, heloText)}\n dkim=pass header.i=@evil.example;\n dmarc=fail header.from=certificates.amazon.com;`;
        const result = readSesAuthenticationResults(lines(header));
        if (!result.ok) return;
        read += 1;
        expect(result.statements.map((s) => `${s.method}=${s.result}`)).toEqual([
          'spf=pass',
          'dkim=pass',
          'dmarc=fail',
        ]);
        expect(result.statements[1]?.properties.get('header.i')).toBe('@evil.example');
        expect(result.statements[2]?.properties.get('header.from')).toBe('certificates.amazon.com');
      }),
      { numRuns: 20_000 },
    );
    // The property would hold vacuously if every field were refused: many well-formed ones must be read.
    expect(read).toBeGreaterThan(1000);
  });

  it('a sender value in a comment or behind the authserv-id changes nothing either', () => {
    fc.assert(
      fc.property(senderText, (text) => {
        const comment = `(${text.replace(/[()\\]/g, (c) => `\\${c}`)})`;
        const header = `Authentication-Results: amazonses.com;\n spf=pass ${comment} client-ip=1.2.3.4; envelope-from=a@evil.example; helo=x;\n dkim=fail header.i=@certificates.amazon.com;`;
        const result = readSesAuthenticationResults(lines(header));
        expect(result.ok).toBe(true);
        if (result.ok)
          expect(result.statements.map((s) => `${s.method}=${s.result}`)).toEqual(['spf=pass', 'dkim=fail']);
      }),
      { numRuns: 5_000 },
    );
  });
});

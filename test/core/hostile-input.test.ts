/**
 * Untrusted input never crashes, hangs or eats unbounded memory: every entry point returns a result for any bytes.
 * Per-test timeouts are hang guards, not benchmarks (figures come from `npm run bench`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAcmMail, parseAcmMailStream } from '../../handlers/core/parse-mail.js';
import { fixtureBytes, sharedPath } from '../support/fixtures.js';

const CRLF = '\r\n';
const acmText = fixtureBytes('current-new-text-only').toString('latin1');
const acmBody = acmText.slice(acmText.indexOf(`${CRLF}${CRLF}`) + 4);

function nestedRfc822(levels: number, core: string): string {
  let mail = core;
  for (let i = 0; i < levels; i++)
    mail = `From: level${i}@example.com${CRLF}Content-Type: message/rfc822${CRLF}${CRLF}${mail}`;
  return mail;
}

/** Name, input, and the kind it must come out as: broken MIME around ACM's text still yields the request. */
const hostile: Array<[string, () => Buffer, 'not-acm' | 'acm-approval']> = [
  [
    'truncated MIME in a part header',
    () => Buffer.from(`Content-Type: multipart/mixed; boundary=B${CRLF}${CRLF}--B${CRLF}Content-Type: text/pl`),
    'not-acm',
  ],
  [
    'unterminated boundary',
    () =>
      Buffer.from(
        `Content-Type: multipart/alternative; boundary=B${CRLF}${CRLF}--B${CRLF}Content-Type: text/plain${CRLF}${CRLF}${acmBody}`,
      ),
    'acm-approval',
  ],
  [
    '10,000 parts',
    () => {
      const part = `--B${CRLF}Content-Type: text/plain${CRLF}${CRLF}x${CRLF}`;
      return Buffer.from(`Content-Type: multipart/mixed; boundary=B${CRLF}${CRLF}${part.repeat(10_000)}--B--${CRLF}`);
    },
    'not-acm',
  ],
  [
    '20 levels of nested message/rfc822',
    () => Buffer.from(nestedRfc822(20, `Subject: core${CRLF}${CRLF}hello`)),
    'not-acm',
  ],
  [
    'HTML nested 150,000 elements deep, never closed',
    () => Buffer.from(`Content-Type: text/html${CRLF}${CRLF}${'<div><span>'.repeat(75_000)}Domain: x${CRLF}`),
    'not-acm',
  ],
  ['a 5 MB line', () => Buffer.from(`Content-Type: text/plain${CRLF}${CRLF}${'a'.repeat(5 * 1024 * 1024)}`), 'not-acm'],
  [
    'invalid base64',
    () =>
      Buffer.from(
        `Content-Type: text/plain${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}!!!@@@###abc=def==${CRLF}`,
      ),
    'not-acm',
  ],
  [
    'invalid quoted-printable',
    () =>
      Buffer.from(
        `Content-Type: text/plain${CRLF}Content-Transfer-Encoding: quoted-printable${CRLF}${CRLF}=ZZ=4=${CRLF}=${CRLF}`,
      ),
    'not-acm',
  ],
  [
    'an unknown charset',
    () =>
      Buffer.concat([
        Buffer.from(`Content-Type: text/plain; charset=x-klingon${CRLF}${CRLF}`),
        Buffer.from([0xff, 0xfe, 0x80]),
      ]),
    'not-acm',
  ],
  [
    'NUL bytes in headers and body',
    () => Buffer.from(`Subject: a\0b${CRLF}From: \0@\0${CRLF}${CRLF}bo\0dy Domain: \0`),
    'not-acm',
  ],
  ['1 MB of headers', () => Buffer.from(`${`X-Junk: ${'a'.repeat(990)}${CRLF}`.repeat(1000)}${CRLF}body`), 'not-acm'],
  ['one 1 MB header line', () => Buffer.from(`X-Junk: ${'a'.repeat(1_000_000)}${CRLF}${CRLF}body`), 'not-acm'],
  ['no header block at all', () => Buffer.from(`${CRLF}${acmBody}`), 'acm-approval'],
  ['empty input', () => Buffer.alloc(0), 'not-acm'],
  ['random bytes', () => Buffer.from(Array.from({ length: 65_536 }, (_, i) => (i * 7919 + 13) % 256)), 'not-acm'],
  ['a header block that never ends', () => Buffer.from(`X-A: b${CRLF}`.repeat(200_000)), 'not-acm'],
];

describe('hostile input comes out as a result, never an exception', () => {
  it.each(hostile)('%s', { timeout: 2_000 }, async (_name, build, kind) => {
    const result = await parseAcmMail(build());
    expect(result.kind).toBe(kind);
    expect(['trusted', 'unverified', 'suspicious']).toContain(result.trust);
    // None of these came through SES, so none can be trusted.
    expect(result.trust).not.toBe('trusted');
    expect(result.reasons).toContain('no-ses-verdicts');
  });

  it('names mailparser giving up (too many parts) as mime-unreadable', async () => {
    const part = `--B${CRLF}Content-Type: text/plain${CRLF}${CRLF}x${CRLF}`;
    const result = await parseAcmMail(
      Buffer.from(
        `Subject: many${CRLF}Content-Type: multipart/mixed; boundary=B${CRLF}${CRLF}${part.repeat(10_000)}--B--${CRLF}`,
      ),
    );
    expect(result).toMatchObject({
      kind: 'not-acm',
      reasons: ['mime-unreadable', 'from-not-acm', 'no-ses-verdicts'].sort(),
      subject: 'many',
    });
  });

  it('does not open attached originals past the depth limit', async () => {
    const shallow = await parseAcmMail(Buffer.from(nestedRfc822(2, acmText)));
    const deep = await parseAcmMail(Buffer.from(nestedRfc822(20, acmText)));
    expect(shallow.kind).toBe('acm-approval');
    expect(shallow.reasons).toContain('forwarded-copy');
    expect(deep.kind).toBe('not-acm');
  });
});

describe('size limit', () => {
  const oversize = Buffer.concat([Buffer.from(acmText), Buffer.from(`${CRLF}${'x'.repeat(1024 * 1024)}`)]);

  it('reads mail above the limit only up to it: a template padded out to hide is found there, and is a finding', async () => {
    const result = await parseAcmMail(oversize);
    expect(result.kind).toBe('acm-approval');
    expect(result.reasons).toContain('oversize-template');
    expect(result.trust).toBe('suspicious');
    expect(result.subject).toBe('Certificate request for shop.example.com');
  });

  it('classifies mail above the limit without a template in its first MiB as not-acm oversize', async () => {
    const padded = Buffer.concat([
      Buffer.from(acmText.slice(0, acmText.indexOf(`${CRLF}${CRLF}`) + 4)),
      Buffer.from(`${'x'.repeat(1024 * 1024)}${CRLF}`),
      Buffer.from(acmText.slice(acmText.indexOf(`${CRLF}${CRLF}`) + 4)),
    ]);
    const result = await parseAcmMail(padded);
    expect(result.kind).toBe('not-acm');
    expect(result.reasons).toContain('oversize');
    expect(result.subject).toBe('Certificate request for shop.example.com');
    // SES's stamp and the From header are still read: a genuine ACM mail stays attributable.
    expect(result.trust).toBe('trusted');
  });

  it('parses the same mail in full under a larger limit', async () => {
    const result = await parseAcmMail(oversize, { limits: { maxMailBytes: 4 * 1024 * 1024 } });
    expect(result.kind).toBe('acm-approval');
  });

  it('stops reading a stream just past the limit', async () => {
    let consumed = 0;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    async function* fortyMegabytes(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(acmText);
      for (let i = 0; i < 640; i++) {
        consumed += chunk.length;
        yield chunk;
      }
    }
    const result = await parseAcmMailStream(fortyMegabytes());
    expect(result.reasons).toContain('oversize-template');
    expect(consumed).toBeLessThanOrEqual(1024 * 1024 + chunk.length);
  });

  it('rejects a nonsensical limit instead of running without one', async () => {
    await expect(parseAcmMail(Buffer.from(acmText), { limits: { maxMailBytes: 0 } })).rejects.toThrow(
      'limits.maxMailBytes: 0 is not a positive whole number',
    );
  });
});

const corpora = sharedPath('corpora');
describe.skipIf(corpora === null)("other projects' MIME corpora (../shared/corpora): all not-acm", () => {
  const files =
    corpora === null
      ? []
      : readdirSync(corpora, { recursive: true, encoding: 'utf8' })
          .map((file) => join(corpora, file))
          .filter((path) => statSync(path).isFile() && !/LICENSE|README/.test(path))
          .sort();

  it('has files to read', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files)('%s', { timeout: 2_000 }, async (path) => {
    const result = await parseAcmMail(readFileSync(path));
    expect(result.kind).toBe('not-acm');
  });
});

describe('HTML nested past maxHtmlDepth', () => {
  it('is read up to the limit and no further, in bounded time', async () => {
    const html = (depth: number) =>
      Buffer.from(
        `Content-Type: text/html${CRLF}${CRLF}${'<div>'.repeat(depth)}<p>${acmBody.replaceAll(CRLF, '<br>')}</p>${CRLF}`,
      );
    // Within the limit, ACM's template is found however deep it sits; past it, the rest of the part is unread.
    expect((await parseAcmMail(html(200))).kind).toBe('acm-approval');
    expect((await parseAcmMail(html(300))).kind).toBe('not-acm');
    expect((await parseAcmMail(html(300), { limits: { maxHtmlDepth: 400 } })).kind).toBe('acm-approval');
  });
});

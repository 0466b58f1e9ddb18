/**
 * mailparser is given only the top-level fields parseMime's answer depends on (mime.ts, mailparserInput). What it
 * answers must be exactly what it answers for the whole mail: same parts, subject, Message-ID, content type,
 * attachments, and the same refusals.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readHeaderBlock } from '../../handlers/core/header-block.js';
import { DEFAULT_LIMITS } from '../../handlers/core/limits.js';
import { mailparserInput, parseMime } from '../../handlers/core/mime.js';
import { fixtureBytes, goldenFixtures } from '../support/fixtures.js';

const blockOf = (mail: Uint8Array) => readHeaderBlock(mail, DEFAULT_LIMITS.maxHeaderBytes);

/** parseMime's answer for the whole mail and for what mailparser is given instead; a refusal is an answer too. */
async function bothWays(mail: Buffer): Promise<[unknown, unknown]> {
  const answer = (parse: Promise<unknown>) => parse.catch((error: Error) => `refused: ${error.message}`);
  return Promise.all([answer(parseMime(mail)), answer(parseMime(mail, blockOf(mail)))]);
}

describe('mailparser given the fields that matter only', () => {
  it('answers as for the whole mail on every golden fixture', async () => {
    for (const fixture of goldenFixtures()) {
      const [whole, trimmed] = await bothWays(readFileSync(fixture.emlPath));
      expect(trimmed, fixture.name).toEqual(whole);
    }
  });

  it("leaves out SES's stamp, the signatures, From, To and Date, keeping the MIME fields, Subject and Message-ID", () => {
    const mail = fixtureBytes('format-2017-text-html-dashed-account-uuid');
    const given = Buffer.from(mailparserInput(mail, blockOf(mail))).toString('latin1');
    const head = given.slice(0, given.indexOf('\r\n\r\n'));
    expect(head.match(/^[^\s:]+(?=:)/gm)).toEqual(['Message-ID', 'Subject', 'MIME-Version', 'Content-Type']);
    expect(given.slice(head.length)).toBe(mail.toString('latin1').slice(mail.indexOf('\r\n\r\n')));
  });

  it('gives a block it cannot vouch for whole: stray lines, an mbox line, no blank line, too many lines', () => {
    const body = '\r\n\r\nbody\r\n';
    const blocks = [
      `Received: x\r\nno colon here\r\nSubject: s${body}`,
      `From someone@example.com Mon Jan  1 00:00:00 2024\r\nReceived: x\r\nSubject: s${body}`,
      `From : a@example.com\r\nReceived: x\r\nSubject: s${body}`,
      `Received: x\r\nSubject: s\r\n`,
      `${'Received: x\r\n'.repeat(1024)}Subject: s${body}`,
    ];
    for (const text of blocks) {
      const mail = Buffer.from(text, 'latin1');
      expect(mailparserInput(mail, blockOf(mail)), JSON.stringify(text.slice(0, 40))).toBe(mail);
    }
  });

  it('answers as for the whole mail on header blocks built to tell the two apart', async () => {
    const names = [
      'Content-Type',
      'content-type',
      'CONTENT-TYPE ',
      'Content-Transfer-Encoding',
      'Content-Disposition',
      'Content-ID',
      'Subject',
      'Message-ID',
      'MIME-Version',
      'From',
      'To',
      'Date',
      'Received',
      'DKIM-Signature',
      'References',
      'List-Id',
      'X-Priority',
      'X-SES-Spam-Verdict',
    ];
    const values = [
      'multipart/alternative; boundary="B"',
      'multipart/mixed; boundary=C',
      'text/plain; charset=utf-8',
      'text/html; charset=iso-8859-1',
      'text/plain; format=flowed; delsp=yes',
      'message/rfc822',
      'application/octet-stream; name=a.txt',
      'base64',
      'quoted-printable',
      'attachment; filename="a.txt"',
      'inline',
      '=?utf-8?q?caf=C3=A9?= <a@example.com>',
      '<id@example.com>',
      'Tue, 12 Nov 2024 09:15:42 +0000',
      '(comment) text/plain',
      'a\rContent-Type: text/html',
      '',
    ];
    const folded = [' boundary="C"', '\tcharset=utf-8', ' ', '\t=?utf-8?b?w6k=?=', ' x\r'];
    const lineEnd = fc.constantFrom('\r\n', '\n', '\r\r\n');
    const field = fc
      .tuple(
        fc.constantFrom(...names),
        fc.constantFrom(': ', ':', ' : '),
        fc.constantFrom(...values),
        lineEnd,
        fc.array(fc.tuple(fc.constantFrom(...folded), lineEnd), { maxLength: 2 }),
      )
      .map(([name, colon, value, end, more]) => `${name}${colon}${value}${end}${more.map((l) => l.join('')).join('')}`);
    const oddLine = fc.constantFrom('From a@example.com Mon Jan  1 00:00:00 2024\r\n', 'no colon\r\n', ' folded\r\n');
    const body = fc.constantFrom(
      '--B\r\nContent-Type: text/plain\r\n\r\nDomain: a.example\r\n--B\r\nContent-Type: text/html\r\n\r\n<p>b</p>\r\n--B--\r\n',
      '--C\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\ninner text\r\n--C\r\nContent-Type: text/plain\r\nContent-Disposition: attachment\r\n\r\nattached\r\n--C--\r\n',
      'SGVsbG8gd29ybGQ=\r\n',
      'caf=C3=A9 =\r\nsoft break\r\n',
      'plain body\r\n',
    );
    const mail = fc
      .tuple(
        fc.oneof({ arbitrary: fc.constant(''), weight: 6 }, { arbitrary: oddLine, weight: 1 }),
        fc.array(field, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\r\n', '\n'),
        body,
      )
      .map(([odd, fields, blank, content]) => Buffer.from(`${odd}${fields.join('')}${blank}${content}`, 'latin1'));
    let trimmedRuns = 0;
    await fc.assert(
      fc.asyncProperty(mail, async (bytes) => {
        if (mailparserInput(bytes, blockOf(bytes)) !== bytes) trimmedRuns += 1;
        const [whole, trimmed] = await bothWays(bytes);
        expect(trimmed).toEqual(whole);
      }),
      { numRuns: 400 },
    );
    // The property is only worth something if most mails were in fact trimmed.
    expect(trimmedRuns).toBeGreaterThan(200);
  });
});

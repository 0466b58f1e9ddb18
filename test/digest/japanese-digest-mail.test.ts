/**
 * A Japanese digest as it leaves for SES: the composer writes the subject as UTF-8 encoded words and both bodies as
 * quoted-printable UTF-8, and a mail reader gets every character back.
 */
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeMail } from '../../handlers/adapters/mime-composer.js';
import { sampleMails } from '../support/digest-samples.js';

describe('a Japanese digest through the MIME composer', () => {
  it('reads back exactly: subject, text and HTML, with no raw 8-bit byte and no over-long line on the wire', async () => {
    // Prepare: the platform owner's digest in Japanese, with every kind of entry.
    const [digest] = sampleMails('ja', 1, false);
    if (!digest) throw new Error('no digest');
    expect(digest.subject).toMatch(/^ACM承認: /);

    // Act
    const raw = composeMail({
      from: 'acm-mail@notify.example.org',
      to: [...digest.to],
      subject: digest.subject,
      text: digest.text,
      html: digest.html,
      headers: { 'Auto-Submitted': 'auto-generated' },
      date: new Date('2026-11-23T08:00:00Z'),
    });
    const parsed = await simpleParser(raw);

    // Assess
    const wire = raw.toString('latin1');
    expect([...wire].every((character) => character.charCodeAt(0) < 0x80)).toBe(true);
    expect(wire.split('\r\n').every((line) => line.length <= 998)).toBe(true);
    expect(wire).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/im);
    expect(parsed.subject).toBe(digest.subject);
    expect(parsed.text?.replace(/\n$/, '')).toBe(digest.text.replace(/\n$/, ''));
    expect(parsed.html).toBe(digest.html);
    expect(parsed.text).toContain('2026年11月23日(月) 23:00 JST(本日期限、残り6時間0分)');
  });
});

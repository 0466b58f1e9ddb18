import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeMail, encodeHeaderText, quotedPrintable } from '../../handlers/adapters/mime-composer.js';

describe('composeMail', () => {
  it('builds a message mailparser reads back exactly: headers, threading, both bodies', async () => {
    const text = `Grüße from ACM ✓\nA line of exactly seventy-six characters and then it goes on and on and on, = sign\n\ttrailing space \nlast`;
    const html = '<p>Größe &amp; <a href="https://x.example/?a=1&amp;b=2">link</a></p>';
    const raw = composeMail({
      from: 'acm-mail@notify.example.org',
      to: ['a@tickets.example.org', 'b@tickets.example.org'],
      subject:
        'Re: [ACM approval] münchen.example (prod, eu-central-1) with a subject long enough to need several encoded words',
      text,
      html,
      inReplyTo: '<acm-request.1@notify.example.org>',
      references: ['<acm-request.1@notify.example.org>', '<0100@email.amazonses.com>'],
      headers: { 'Auto-Submitted': 'auto-generated' },
      date: new Date('2026-11-23T21:00:00Z'),
    });
    expect(
      raw
        .toString('latin1')
        .split('\r\n')
        .every((line) => line.length <= 998),
    ).toBe(true);
    // The header block within RFC 5322's 78 characters a line: the first encoded word shares its line with "Subject: ".
    const header = raw.toString('latin1').slice(0, raw.indexOf('\r\n\r\n'));
    expect(header.split('\r\n').filter((line) => line.length > 78)).toEqual([]);
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe(
      'Re: [ACM approval] münchen.example (prod, eu-central-1) with a subject long enough to need several encoded words',
    );
    expect(parsed.text).toBe(text.replace(/\n/g, '\n'));
    expect(parsed.html).toBe(html);
    expect(parsed.inReplyTo).toBe('<acm-request.1@notify.example.org>');
    expect(parsed.references).toEqual(['<acm-request.1@notify.example.org>', '<0100@email.amazonses.com>']);
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((a) => a.address) : []).toEqual([
      'a@tickets.example.org',
      'b@tickets.example.org',
    ]);
    expect(parsed.date?.toISOString()).toBe('2026-11-23T21:00:00.000Z');
  });

  it('folds a long ASCII subject at spaces within 78 characters a line, and reads back unchanged', async () => {
    const subject =
      '[ACM approval - UNVERIFIED COPY] renewal a-rather-long-service-name.payments.example.com (payments-prod) - approve by Sat 28 Nov 15:39 CET';
    const raw = composeMail({
      from: 'acm-mail@notify.example.org',
      to: ['a@tickets.example.org'],
      subject,
      text: 'x',
      html: '<p>x</p>',
    });
    const header = raw.toString('latin1').slice(0, raw.indexOf('\r\n\r\n'));
    expect(header).toMatch(/^Subject: \[ACM approval - UNVERIFIED COPY\] renewal\r\n a-rather-long/m);
    expect(header.split('\r\n').filter((line) => line.length > 78)).toEqual([]);
    expect((await simpleParser(raw)).subject).toBe(subject);
  });

  it('keeps ASCII subjects readable and folds quoted-printable lines at 76 characters', () => {
    expect(encodeHeaderText('[ACM approval] shop.example.net (shop-prod, eu-west-1)')).toBe(
      '[ACM approval] shop.example.net (shop-prod, eu-west-1)',
    );
    const encoded = quotedPrintable('x'.repeat(200));
    expect(encoded.split('\r\n').every((line) => line.length <= 76)).toBe(true);
    expect(quotedPrintable('a=b ')).toBe('a=3Db=20');
  });
});

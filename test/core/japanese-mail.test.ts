/**
 * Japanese mail as Japanese mail clients read it: our rendered ticket and summary composed into raw MIME, then parsed
 * back by mailparser, must give exactly the Japanese we rendered (subject, text, the HTML's text), with nothing but
 * 7-bit ASCII in the header block and no header line longer than RFC 5322's 78 characters.
 */
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeMail } from '../../handlers/adapters/mime-composer.js';
import { renderNotAcmSummary } from '../../handlers/core/routing/alerts.js';
import type { RenderedMail } from '../../handlers/core/routing/presentation.js';
import { renderTicket, type TicketFacts } from '../../handlers/core/routing/ticket.js';
import { htmlLines } from '../support/html-text.js';

const tokyo: TicketFacts = {
  approval: {
    domain: 'pay.example.com',
    accountId: '788441577080',
    region: 'ap-northeast-1',
    certificateId: '6f0e7b5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b',
    certificateArn: 'arn:aws:acm:ap-northeast-1:788441577080:certificate/6f0e7b5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b',
    approvalUrl: 'https://ap-northeast-1.acm-certificates.amazon.com/approvals?code=5ec7e7-c0de&context=c0n7e47',
    renewal: true,
    expiresAt: '2026-12-20T23:59:59.000Z',
  },
  ownerName: 'data',
  accountName: 'data-test',
  authenticated: true,
  firstReceivedAt: '2026-11-25T14:39:00.000Z',
  approvalDeadline: '2026-11-28T14:39:00.000Z',
  addresses: ['admin@example.com'],
  rawMail: 's3://archive/inbound/m-1',
  now: new Date('2026-11-25T14:41:00.000Z'),
  followUp: false,
  locale: 'ja',
  timeZone: 'Asia/Tokyo',
  firstTicketSubject: null,
};
const first = renderTicket(tokyo);

const MAILS: [string, RenderedMail][] = [
  ['a trusted ticket', first],
  ['an unverified ticket', renderTicket({ ...tokyo, authenticated: false })],
  ['a follow-up', renderTicket({ ...tokyo, followUp: true, firstTicketSubject: first.subject })],
  [
    'a not-ACM summary',
    renderNotAcmSummary({
      from: 'mailer-daemon@example.jp',
      subject: '配信不能のお知らせ: 長い件名が何行にもわたって続く場合でも文字が壊れないことを確かめる',
      sizeBytes: 4096,
      rawMail: 's3://archive/inbound/m-2',
      reasons: ['no-acm-template'],
      receivedAt: '2026-11-25T14:39:00.000Z',
      recipients: ['postmaster@example.com'],
      locale: 'ja',
      timeZone: 'Asia/Tokyo',
    }),
  ],
];

describe('Japanese mail through our composer and back through mailparser', () => {
  it.each(MAILS)('%s: subject, text and HTML come back exactly as rendered', async (_, mail) => {
    expect(mail.subject).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    const raw = composeMail({
      from: 'acm-mail@notify.example.org',
      to: ['data-tickets@tickets.example.org'],
      ...mail,
      inReplyTo: '<acm-request.0123456789abcdef0123456789abcdef@notify.example.org>',
      references: ['<acm-request.0123456789abcdef0123456789abcdef@notify.example.org>'],
      headers: { 'Auto-Submitted': 'auto-generated' },
      date: new Date('2026-11-25T14:41:00.000Z'),
    });

    const headerBlock = raw.subarray(0, raw.indexOf('\r\n\r\n'));
    expect([...headerBlock].every((byte) => byte < 0x80)).toBe(true);
    const headerLines = headerBlock.toString('ascii').split('\r\n');
    expect(headerLines.filter((line) => line.length > 78)).toEqual([]);
    // The body is 7-bit too (quoted-printable), so no relay has to convert it.
    expect([...raw].every((byte) => byte < 0x80)).toBe(true);

    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe(mail.subject);
    expect(parsed.text).toBe(mail.text);
    expect(parsed.html).toBe(mail.html);
    expect(htmlLines(parsed.html || '')).toEqual(htmlLines(mail.html));
  });

  it('a subject is cut into encoded words only between characters, each word within 75 characters', () => {
    const raw = composeMail({
      from: 'acm-mail@notify.example.org',
      to: ['data-tickets@tickets.example.org'],
      ...first,
    }).toString('ascii');
    const field = /^Subject: (.*(?:\r\n .*)*)/m.exec(raw)?.[1] ?? '';
    const words = [...field.matchAll(/=\?UTF-8\?B\?([^?]*)\?=/g)].map((match) => match[1] as string);
    expect(words.length).toBeGreaterThan(2);
    for (const word of words) {
      expect(`=?UTF-8?B?${word}?=`.length).toBeLessThanOrEqual(75);
      // A word that ends inside a character would not survive this: the replacement character would appear.
      const decoded = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(word, 'base64'));
      expect(decoded.length).toBeGreaterThan(0);
    }
    expect(words.map((word) => Buffer.from(word, 'base64').toString('utf8')).join('')).toBe(first.subject);
  });
});

/**
 * The ticket and the not-ACM summary as their readers get them: the subject (trust first when unverified, then kind,
 * domain, account, deadline) in each locale, every time in the owner's zone with UTC beside it, the text part saying
 * what the HTML part says in the same order, and the approval link clickable only in a trusted ticket.
 */
import { describe, expect, it } from 'vitest';
import { renderNotAcmSummary } from '../../../handlers/core/routing/alerts.js';
import { displayWidth, textRows } from '../../../handlers/core/routing/presentation.js';
import { renderTicket, type TicketFacts } from '../../../handlers/core/routing/ticket.js';
import type { ApprovalRequest } from '../../../handlers/core/types.js';
import { htmlLines, textLines } from '../../support/html-text.js';

const LINK = 'https://ap-northeast-1.acm-certificates.amazon.com/approvals?code=5ec7e7-c0de&context=c0n7e47';

const approval: ApprovalRequest = {
  domain: 'pay.example.com',
  accountId: '117199156352',
  region: 'ap-northeast-1',
  certificateId: '6f0e7b5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b',
  certificateArn: 'arn:aws:acm:ap-northeast-1:117199156352:certificate/6f0e7b5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b',
  approvalUrl: LINK,
  renewal: true,
  expiresAt: '2026-12-20T23:59:59.000Z',
};

/** First copy at 14:39 UTC on 25 Nov: the deadline is 14:39 UTC on 28 Nov, 15:39 in Berlin, 23:39 in Tokyo. */
const berlin: TicketFacts = {
  approval,
  ownerName: 'payments',
  accountName: 'payments-prod',
  authenticated: true,
  firstReceivedAt: '2026-11-25T14:39:00.000Z',
  approvalDeadline: '2026-11-28T14:39:00.000Z',
  addresses: ['admin@example.com', 'hostmaster@example.com'],
  rawMail: 's3://archive/inbound/m-1',
  now: new Date('2026-11-25T14:41:00.000Z'),
  followUp: false,
  locale: 'en',
  timeZone: 'Europe/Berlin',
  firstTicketSubject: null,
};
const tokyo: TicketFacts = { ...berlin, locale: 'ja', timeZone: 'Asia/Tokyo' };

describe('the ticket subject', () => {
  it.each([
    [
      'en',
      true,
      true,
      'payments-prod',
      '[ACM approval] renewal pay.example.com (payments-prod) - approve by Sat 28 Nov 15:39 CET',
    ],
    [
      'en',
      true,
      false,
      'payments-prod',
      '[ACM approval] new pay.example.com (payments-prod) - approve by Sat 28 Nov 15:39 CET',
    ],
    [
      'en',
      false,
      true,
      'payments-prod',
      '[ACM approval - UNVERIFIED COPY] renewal pay.example.com (payments-prod) - approve by Sat 28 Nov 15:39 CET',
    ],
    [
      'en',
      false,
      false,
      null,
      '[ACM approval - UNVERIFIED COPY] new pay.example.com (117199156352) - approve by Sat 28 Nov 15:39 CET',
    ],
    ['en', true, true, null, '[ACM approval] renewal pay.example.com (117199156352) - approve by Sat 28 Nov 15:39 CET'],
    [
      'ja',
      true,
      true,
      'payments-prod',
      '[ACM承認] 更新 pay.example.com (payments-prod) - 11月28日(土) 23:39 JST までに承認',
    ],
    [
      'ja',
      true,
      false,
      'payments-prod',
      '[ACM承認] 新規 pay.example.com (payments-prod) - 11月28日(土) 23:39 JST までに承認',
    ],
    [
      'ja',
      false,
      true,
      'payments-prod',
      '[ACM承認 - 未検証のコピー] 更新 pay.example.com (payments-prod) - 11月28日(土) 23:39 JST までに承認',
    ],
    [
      'ja',
      false,
      false,
      null,
      '[ACM承認 - 未検証のコピー] 新規 pay.example.com (117199156352) - 11月28日(土) 23:39 JST までに承認',
    ],
    ['ja', true, false, null, '[ACM承認] 新規 pay.example.com (117199156352) - 11月28日(土) 23:39 JST までに承認'],
  ] as const)('%s, trusted %s, renewal %s, account name %s', (locale, authenticated, renewal, accountName, subject) => {
    const facts = locale === 'en' ? berlin : tokyo;
    const ticket = renderTicket({ ...facts, authenticated, accountName, approval: { ...approval, renewal } });
    expect(ticket.subject).toBe(subject);
  });

  it('a follow-up repeats the first ticket’s subject as sent behind "Re: "; its own deadline is in the body', () => {
    const first = renderTicket(berlin);
    const resentAt = '2026-11-26T08:00:00.000Z';
    const followUp = renderTicket({
      ...berlin,
      followUp: true,
      authenticated: false,
      approvalDeadline: '2026-11-29T08:00:00.000Z',
      now: new Date(resentAt),
      firstTicketSubject: first.subject,
    });
    // Unchanged even though this copy is unverified and its deadline later: subject-threading systems need it whole.
    expect(followUp.subject).toBe(`Re: ${first.subject}`);
    expect(followUp.text).toContain('Approve before:      Sun 29 Nov 2026 09:00 CET (08:00 UTC), 72 h 0 min left');
    expect(followUp.text.split('\n')[0]).toMatch(/^Another copy of this request .* NOT authenticated/);
  });

  it('a follow-up without a stored first subject gets "Re: " and the subject it would have had', () => {
    const followUp = renderTicket({ ...tokyo, followUp: true, firstTicketSubject: null });
    expect(followUp.subject).toBe(`Re: ${renderTicket(tokyo).subject}`);
  });
});

describe('times in the ticket', () => {
  it('English: every time in the owner’s zone with UTC beside it, and the time left', () => {
    const { text } = renderTicket(berlin);
    expect(text).toContain('Approve before:      Sat 28 Nov 2026 15:39 CET (14:39 UTC), 71 h 58 min left');
    // The expiry is on another day in UTC than in Berlin: the UTC date is written out.
    expect(text).toContain('Certificate expires: Mon 21 Dec 2026 00:59 CET (2026-12-20 23:59 UTC)');
    expect(text).toContain('First received:      Wed 25 Nov 2026 15:39 CET (14:39 UTC)');
  });

  it('Japanese: dates written the Japanese way, in Tokyo time, UTC beside, and the time left in words', () => {
    const { text } = renderTicket(tokyo);
    expect(text).toMatch(/承認期限: +2026年11月28日\(土\) 23:39 JST \(14:39 UTC\)、残り71時間58分/);
    expect(text).toMatch(/証明書の有効期限: +2026年12月21日\(月\) 08:59 JST \(2026-12-20 23:59 UTC\)/);
    expect(text).toMatch(/最初の受信: +2026年11月25日\(水\) 23:39 JST \(14:39 UTC\)/);
  });

  it('a passed deadline says how long ago, in each language', () => {
    const late = new Date('2026-11-28T17:44:00.000Z');
    expect(renderTicket({ ...berlin, now: late }).text).toContain('(14:39 UTC), expired 3 h 5 min ago');
    expect(renderTicket({ ...tokyo, now: late }).text).toContain('(14:39 UTC)、3時間5分前に期限切れ');
  });

  it('Japanese labels line their values up in a monospaced font (kana and kanji are two columns wide)', () => {
    expect(displayWidth('承認期限')).toBe(8);
    expect(displayWidth('AWS アカウント')).toBe(4 + 10);
    const rows = textRows([
      ['承認期限', 'a'],
      ['AWS アカウント', 'b'],
    ]).split('\n');
    expect(rows.map((row) => displayWidth(row.slice(0, -1)))).toEqual([16, 16]);
    // English output is unchanged by it.
    expect(
      textRows([
        ['Domain', 'x'],
        ['Region', 'y'],
      ]),
    ).toBe('Domain: x\nRegion: y');
  });
});

/** Every ticket a reader can get: trusted, unverified, without a usable link, first or follow-up, in each language. */
const VARIANTS: [string, TicketFacts][] = [];
for (const [language, facts] of [
  ['en', berlin],
  ['ja', tokyo],
] as const) {
  VARIANTS.push(
    [`${language} trusted`, facts],
    [`${language} unverified`, { ...facts, authenticated: false }],
    [`${language} no usable link`, { ...facts, approval: { ...approval, approvalUrl: null } }],
    [`${language} trusted follow-up`, { ...facts, followUp: true }],
    [`${language} unverified follow-up`, { ...facts, followUp: true, authenticated: false }],
  );
}

describe('text and HTML parts', () => {
  it.each(VARIANTS)('%s: the text part says what the HTML part shows, line for line, in the same order', (_, facts) => {
    const ticket = renderTicket(facts);
    const html = htmlLines(ticket.html);
    expect(html.length).toBeGreaterThan(15);
    expect(textLines(ticket.text)).toEqual(html);
  });

  it.each(VARIANTS)('%s: the approval link is clickable only in a trusted ticket', (_, facts) => {
    const ticket = renderTicket(facts);
    const anchors = [...ticket.html.matchAll(/<a href="([^"]*)"/g)].map((match) => match[1]);
    if (facts.authenticated && facts.approval.approvalUrl !== null) {
      expect(anchors).toEqual([LINK.replace('&', '&amp;')]);
      expect(ticket.text).toContain(LINK);
    } else {
      expect(anchors).toEqual([]);
      expect(`${ticket.subject}${ticket.text}${ticket.html}`).not.toMatch(
        /5ec7e7-c0de|c0n7e47|https:\/\/ap-northeast-1\.acm/,
      );
    }
  });

  it('the HTML part declares its language', () => {
    expect(renderTicket(tokyo).html).toContain('<html lang="ja">');
    expect(renderTicket(berlin).html).toContain('<html lang="en">');
  });
});

describe('the not-ACM summary', () => {
  const summary = {
    from: 'bounce@mailer.example',
    subject: 'Undeliverable: https://evil.example/approvals?code=5ec',
    sizeBytes: 2048,
    rawMail: 's3://archive/inbound/m-2',
    reasons: ['no-acm-template'] as const,
    receivedAt: '2026-11-25T14:39:00.000Z',
    recipients: ['postmaster@example.com'],
  };

  it('is written in the fallback owner’s language and zone, the mail’s subject defanged', () => {
    const en = renderNotAcmSummary({ ...summary, locale: 'en', timeZone: 'Europe/Berlin' });
    expect(en.subject).toBe(
      '[ACM mailbox] Not an approval request: Undeliverable: hxxps://evil[.]example/approvals?code=<redacted>',
    );
    expect(en.text).toContain('Received:    Wed 25 Nov 2026 15:39 CET (14:39 UTC)');
    const ja = renderNotAcmSummary({ ...summary, locale: 'ja', timeZone: 'Asia/Tokyo' });
    expect(ja.subject).toBe(
      '[ACMメールボックス] 承認依頼ではないメール: Undeliverable: hxxps://evil[.]example/approvals?code=<redacted>',
    );
    expect(ja.text).toMatch(/受信日時: +2026年11月25日\(水\) 23:39 JST \(14:39 UTC\)/);
    expect(ja.text).toMatch(/サイズ: +2048 バイト/);
    expect(ja.text.split('\n')[0]).toBe(
      '監視中のメールボックスに、ACM の承認依頼ではないメールが届きました。メールの内容はここには載せていません。',
    );
    expect(textLines(ja.text)).toEqual(htmlLines(ja.html));
    expect(renderNotAcmSummary({ ...summary, subject: '', locale: 'ja', timeZone: 'UTC' }).subject).toBe(
      '[ACMメールボックス] 承認依頼ではないメール: (件名なし)',
    );
  });
});

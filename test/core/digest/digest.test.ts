import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfiguration } from '../../../handlers/core/configuration/index.js';
import { buildDigests } from '../../../handlers/core/digest/digest.js';
import {
  digestSubject,
  localTime,
  renderOwnerDigest,
  renderSecurityDigest,
} from '../../../handlers/core/digest/render.js';
import { en } from '../../../handlers/core/i18n/en.js';
import type { DigestRequest, SecurityEvent } from '../../../handlers/core/state.js';
import { digestMails } from '../../../handlers/digest/digest.js';
import { exampleWith } from '../../support/configuration.js';
import { SAMPLE_NOW, sampleConfiguration, sampleRequests } from '../../support/digest-samples.js';

const asHtml = (value: string) =>
  value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

const NOW = new Date('2026-11-23T08:00:00.000Z'); // 09:00 in Berlin
const configuration = parseConfiguration(
  exampleWith((c) => {
    c.digest = { schedule: 'cron(0 9 ? * MON-FRI *)', timeZone: 'Europe/Berlin', lookbackDays: 7 };
  }),
  'test',
);

const LINK = 'https://eu-west-1.acm-certificates.amazon.com/approvals?code=c0de&context=c0n7';

/** A request whose one link came in mail of the request's own trust, unless the test gives its links. */
function request(over: Partial<DigestRequest> & { readonly approvalUrl?: string }): DigestRequest {
  const { approvalUrl = LINK, ...rest } = over;
  return {
    key: `arn:aws:acm:eu-west-1:184694211251:certificate/x|${over.domain ?? 'shop.example.com'}`,
    domain: 'shop.example.com',
    accountId: '184694211251',
    region: 'eu-west-1',
    certificateArn: 'arn:aws:acm:eu-west-1:184694211251:certificate/x',
    owner: 'web-shop',
    renewal: false,
    trust: 'trusted',
    firstReceivedAt: '2026-11-21T10:00:00.000Z',
    approvalDeadline: '2026-11-24T10:00:00.000Z',
    addresses: ['admin@example.com'],
    certificateExpiresAt: null,
    ticketSubject: '[ACM approval] shop.example.com (shop-prod, eu-west-1)',
    ticketMessageId: '0100@email.amazonses.com',
    links: [{ url: approvalUrl, trust: over.trust ?? 'trusted', receivedAt: '2026-11-21T10:00:00.000Z' }],
    ...rest,
  };
}

const foreign: SecurityEvent = {
  messageId: 'm-foreign',
  outcome: 'foreign-account',
  recordedAt: '2026-11-22T12:00:00.000Z',
  requestKey: 'arn:aws:acm:us-east-1:999999999999:certificate/y|pay.shop.example.com',
  subject: 'Certificate request for pay.shop.example.com',
  domain: 'pay.shop.example.com',
  accountId: '999999999999',
  region: 'us-east-1',
  certificateArn: 'arn:aws:acm:us-east-1:999999999999:certificate/y',
  authenticated: true,
  reasons: [],
};

describe('buildDigests', () => {
  const requests = [
    request({ domain: 'later.shop.example.com', approvalDeadline: '2026-11-25T10:00:00.000Z' }),
    request({ domain: 'today.shop.example.com', approvalDeadline: '2026-11-23T20:00:00.000Z' }),
    request({ domain: 'tomorrow-early.shop.example.com', approvalDeadline: '2026-11-23T23:30:00.000Z' }),
    request({
      domain: 'expired.shop.example.com',
      approvalDeadline: '2026-11-22T10:00:00.000Z',
      approvalUrl: 'https://eu-west-1.acm-certificates.amazon.com/approvals?code=old&context=old',
    }),
    request({ domain: 'long-gone.shop.example.com', approvalDeadline: '2026-11-10T10:00:00.000Z' }),
    request({
      domain: 'renew.shop.example.com',
      renewal: true,
      certificateExpiresAt: '2026-12-20T00:00:00.000Z',
      approvalDeadline: '2026-11-26T10:00:00.000Z',
    }),
    request({ domain: 'api.example.com', owner: 'platform', accountId: '147588208287' }),
  ];
  const { owners, security } = buildDigests({
    configuration,
    requests,
    securityEvents: [foreign, { ...foreign, messageId: 'm-foreign-2' }],
    now: NOW,
  });
  const shop = owners.find((digest) => digest.owner.name === 'web-shop');

  it('groups by owner, leaves out owners with nothing to report, and drops windows older than the lookback', () => {
    expect(owners.map((digest) => digest.owner.name)).toEqual(['platform', 'web-shop']);
    expect(shop?.entries.map((entry) => entry.domain)).not.toContain('long-gone.shop.example.com');
  });

  it('puts what needs action first, soonest deadline first, then expired, then foreign-account entries', () => {
    expect(shop?.entries.map((entry) => [entry.state, entry.domain])).toEqual([
      ['open', 'today.shop.example.com'],
      ['open', 'tomorrow-early.shop.example.com'],
      ['open', 'later.shop.example.com'],
      ['open', 'renew.shop.example.com'],
      ['expired', 'expired.shop.example.com'],
      ['foreign-account', 'pay.shop.example.com'],
    ]);
  });

  it('counts "expiring today" by the calendar day in the digest time zone, and flags renewals within 45 days', () => {
    // 23:30 UTC on the 23rd is 00:30 on the 24th in Berlin: not today there.
    expect(shop?.entries.filter((entry) => entry.expiringToday).map((entry) => entry.domain)).toEqual([
      'today.shop.example.com',
    ]);
    expect(shop?.entries.find((entry) => entry.domain === 'renew.shop.example.com')?.renewalDueInDays).toBe(27);
    expect(shop?.counts).toEqual({ done: 0, open: 4, expiringToday: 1, expired: 1, security: 1 });
    expect(digestSubject(shop?.counts ?? { done: 0, open: 0, expiringToday: 0, expired: 0, security: 0 })).toBe(
      'ACM approvals: 4 open, 1 expiring today, 1 expired, 1 security',
    );
  });

  it("uses an owner's own time zone for times and for today", () => {
    const tokyo = parseConfiguration(
      exampleWith((c) => {
        c.owners[1].timeZone = 'Asia/Tokyo';
      }),
      'test',
    );
    // At 08:00 UTC it is 17:00 in Tokyo; a deadline at 14:00 UTC is 23:00 there, still today. In Berlin too, but
    // a deadline at 16:00 UTC is 01:00 tomorrow in Tokyo and 17:00 today in Berlin.
    const { owners: tokyoOwners } = buildDigests({
      configuration: tokyo,
      requests: [
        request({ domain: 'late.shop.example.com', approvalDeadline: '2026-11-23T14:00:00.000Z' }),
        request({ domain: 'next.shop.example.com', approvalDeadline: '2026-11-23T16:00:00.000Z' }),
      ],
      securityEvents: [],
      now: NOW,
    });
    expect(tokyoOwners[0]?.entries.map((entry) => [entry.domain, entry.expiringToday])).toEqual([
      ['late.shop.example.com', true],
      ['next.shop.example.com', false],
    ]);
    const [mail] = digestMails(tokyo, [request({})], [], NOW);
    expect(mail?.text).toContain('Approve by Tue 24 Nov 2026 19:00 GMT+9 (26 h 0 min left)');
  });

  it('makes one security event of the copies of one request', () => {
    expect(security.events).toHaveLength(1);
    expect(security.counts).toEqual({ foreignAccount: 1, suspicious: 0, unparseable: 0 });
  });

  it('marks a request done when ACM says its certificate is issued, and says unknown without a status role', () => {
    const issued = request({ domain: 'issued.shop.example.com', key: 'issued' });
    const waiting = request({ domain: 'waiting.shop.example.com', key: 'waiting' });
    const digest = buildDigests({
      configuration,
      requests: [issued, waiting],
      securityEvents: [],
      now: NOW,
      statuses: new Map([['issued', 'issued']]),
    }).owners[0];
    expect(digest?.entries.map((entry) => [entry.domain, entry.state, entry.certificateStatus])).toEqual([
      ['waiting.shop.example.com', 'open', 'unknown'],
      ['issued.shop.example.com', 'done', 'issued'],
    ]);
    expect(digest?.counts).toMatchObject({ open: 1, done: 1 });
    const mail = renderOwnerDigest(digest ?? ({} as never), { timeZone: 'Europe/Berlin', now: NOW });
    expect(mail.subject).toBe('ACM approvals: 1 open, 1 done');
    expect(mail.text).toMatch(/\n {3}ACM status: +unknown \(no status role\)\n/);
    expect(mail.text).toMatch(/\n {3}ACM status: +issued \(ACM\)\n/);
    expect(mail.text).toContain('\nDone (1)\n\n2. Done: ACM reports the certificate issued\n   Nothing to do.\n');
  });

  it('sends an empty digest only when asked', () => {
    const quiet = { requests: [], securityEvents: [], now: NOW };
    expect(buildDigests({ configuration, ...quiet }).owners).toEqual([]);
    const always = parseConfiguration(
      exampleWith((c) => {
        c.digest.sendEmpty = true;
      }),
      'test',
    );
    expect(buildDigests({ configuration: always, ...quiet }).owners.map((digest) => digest.counts.open)).toEqual([
      0, 0, 0,
    ]);
  });
});

describe('rendering', () => {
  it('writes times in the digest time zone, across the daylight-saving change, in the forms tickets use', () => {
    expect(localTime('2026-10-24T23:30:00.000Z', 'Europe/Berlin')).toBe('Sun 25 Oct 2026 01:30 CEST');
    expect(localTime('2026-10-25T01:30:00.000Z', 'Europe/Berlin')).toBe('Sun 25 Oct 2026 02:30 CET');
    expect(localTime('2026-03-08T07:30:00.000Z', 'America/New_York')).toBe('Sun 8 Mar 2026 03:30 EDT');
    expect(localTime('2026-03-08T06:30:00.000Z', 'America/New_York')).toBe('Sun 8 Mar 2026 01:30 EST');
    expect(localTime('2026-11-28T06:39:00.000Z', 'Asia/Tokyo', 'ja')).toBe('2026年11月28日(土) 15:39 JST');
  });

  it('shows the real link only for a trusted open request; expired, unverified and foreign ones get none or defanged', () => {
    const digest = buildDigests({
      configuration,
      requests: [
        request({ domain: 'open.shop.example.com' }),
        request({ domain: 'copy.shop.example.com', trust: 'unverified' }),
        request({ domain: 'old.shop.example.com', approvalDeadline: '2026-11-22T10:00:00.000Z' }),
      ],
      securityEvents: [foreign],
      now: NOW,
    }).owners[0];
    if (!digest) throw new Error('no digest');
    const mail = renderOwnerDigest(digest, { timeZone: 'Europe/Berlin', now: NOW });
    expect(mail.html.match(/<a href=/g)).toHaveLength(1);
    expect(mail.text.match(/https:\/\/eu-west-1\.acm-certificates/g)).toHaveLength(1);
    expect(mail.text).toContain(
      'hxxps://eu-west-1[.]acm-certificates[.]amazon[.]com/approvals?code=<redacted>&context=<redacted>',
    );
    expect(mail.text).toContain('\nNot our account: do not approve (1)\n');
    expect(mail.text).toContain('\nExpired: resend needed (1)\n');
    // Each entry without a link to click says why, and what to do.
    expect(mail.text).toContain(
      'Link withheld: it came only in an unverified copy (a forward or a forgery). Resend the approval mail from the ACM console.',
    );
    expect(mail.text).toContain('The approval window has closed. Resend the approval mail from the ACM console.');
    expect(mail.text).toContain('Do not approve: requested from account 999999999999, which is not ours');
    expect(mail.html).not.toMatch(/<script|<img|@import|url\(/i);
  });

  it('shows a link clickable only when that very link came in trusted mail, and never a newer unverified one', () => {
    const forwarded = 'https://eu-west-1.acm-certificates.amazon.com/approvals?code=f0rw&context=f0rw';
    const at = (hour: string) => `2026-11-21T${hour}:00:00.000Z`;
    const digestOf = (links: DigestRequest['links']) => {
      const digest = buildDigests({
        configuration,
        requests: [request({ domain: 'open.shop.example.com', links })],
        securityEvents: [],
        now: NOW,
      }).owners[0];
      if (!digest) throw new Error('no digest');
      return renderOwnerDigest(digest, { timeZone: 'Europe/Berlin', now: NOW });
    };
    // Trusted first, then an unverified copy with another link: the trusted one stays, the other is only mentioned.
    const trustedFirst = digestOf([
      { url: LINK, trust: 'trusted', receivedAt: at('10') },
      { url: forwarded, trust: 'unverified', receivedAt: at('11') },
    ]);
    expect(trustedFirst.html.match(/<a href="([^"]+)"/)?.[1]).toBe(LINK.replace('&', '&amp;'));
    expect(trustedFirst.text).toContain('A later UNAUTHENTICATED copy brought another link: not shown.');
    expect(`${trustedFirst.text}${trustedFirst.html}`).not.toContain('f0rw');
    // Only an unverified link: shown defanged and redacted, never clickable, and the entry says UNAUTHENTICATED.
    const onlyForwarded = digestOf([{ url: forwarded, trust: 'unverified', receivedAt: at('11') }]);
    expect(onlyForwarded.html).not.toMatch(/<a href=/);
    expect(onlyForwarded.text).toMatch(/\n {3}Trust: +UNAUTHENTICATED\n/);
    expect(`${onlyForwarded.text}${onlyForwarded.html}`).not.toContain('f0rw');
    // The forward first, then ACM's own mail with another link: ACM's link is the one shown, clickable.
    const trustedLater = digestOf([
      { url: forwarded, trust: 'unverified', receivedAt: at('10') },
      { url: LINK, trust: 'trusted', receivedAt: at('11') },
    ]);
    expect(trustedLater.html.match(/<a href="([^"]+)"/)?.[1]).toBe(LINK.replace('&', '&amp;'));
    expect(trustedLater.text).not.toContain('UNAUTHENTICATED copy');
  });

  it('picks the link to show as the newest trusted one, else the newest, the first of equally new ones', () => {
    // The rule as first written, over the two lists: the reference the single pass must agree with.
    const newest = (list: readonly DigestRequest['links'][number][]) =>
      list.reduce<DigestRequest['links'][number] | null>(
        (best, link) => (best === null || link.receivedAt > best.receivedAt ? link : best),
        null,
      );
    const link = fc.record({
      url: fc.constantFrom(LINK, `${LINK}1`, `${LINK}2`, `${LINK}3`),
      trust: fc.constantFrom('trusted' as const, 'unverified' as const),
      // Few distinct times, so that ties are common.
      receivedAt: fc.constantFrom('2026-11-21T10:00:00.000Z', '2026-11-21T11:00:00.000Z', '2026-11-21T12:00:00.000Z'),
    });
    fc.assert(
      fc.property(fc.array(link, { maxLength: 6 }), (links) => {
        const entry = buildDigests({ configuration, requests: [request({ links })], securityEvents: [], now: NOW })
          .owners[0]?.entries[0];
        const trusted = newest(links.filter((seen) => seen.trust === 'trusted'));
        const latest = newest(links);
        const shown = trusted ?? latest;
        expect(entry?.approvalUrl).toBe(shown?.url ?? null);
        expect(entry?.linkTrust).toBe(shown?.trust ?? null);
        expect(entry?.laterUnverifiedLink).toBe(trusted !== null && latest !== null && latest !== trusted);
      }),
      { numRuns: 2_000 },
    );
  });

  it('escapes hostile values in HTML, and the text part carries the same entries', () => {
    const hostile = request({
      domain: '<b>x</b>.shop.example.com',
      ticketSubject: '"><script>alert(1)</script>',
      addresses: ['<img src=x onerror=alert(1)>@example.com'],
    });
    const digest = buildDigests({ configuration, requests: [hostile], securityEvents: [], now: NOW }).owners[0];
    if (!digest) throw new Error('no digest');
    const mail = renderOwnerDigest(digest, { timeZone: 'Europe/Berlin', now: NOW });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).not.toContain('<b>x');
    expect(mail.html).toContain('&lt;b&gt;x&lt;/b&gt;.shop.example.com');
    expect(mail.text).toContain('"><script>alert(1)</script>');
    // Every value of the text part is in the HTML part too.
    for (const line of mail.text.split('\n').filter((l) => /^ {3}\S[^:]*: /.test(l))) {
      const value = line.slice(line.indexOf(':') + 1).trim();
      expect(mail.html).toContain(
        value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;'),
      );
    }
  });

  it('writes a digest of more than 100 entries one line an entry in both parts, with the same values and link rules', () => {
    // Prepare: 101 entries of every kind (trusted and open, unverified, expired), and a foreign-account event.
    const forwarded = 'https://eu-west-1.acm-certificates.amazon.com/approvals?code=f0rw&context=f0rw';
    const many = Array.from({ length: 100 }, (_, index) =>
      request({
        domain: `svc${index}.shop.example.com`,
        key: `k${index}`,
        ...(index % 3 === 1 ? { trust: 'unverified' as const, approvalUrl: forwarded } : {}),
        ...(index % 3 === 2 ? { approvalDeadline: '2026-11-22T10:00:00.000Z' } : {}),
      }),
    );
    const digest = buildDigests({ configuration, requests: many, securityEvents: [foreign], now: NOW }).owners[0];
    if (!digest) throw new Error('no digest');
    const context = { timeZone: 'Europe/Berlin', now: NOW };

    // Act: the 101 entries in one digest, and the same entries as two digests of at most 100 (blocks).
    const compact = renderOwnerDigest(digest, context);
    const labelled = [digest.entries.slice(0, 60), digest.entries.slice(60)].map(
      (entries) => renderOwnerDigest({ ...digest, entries }, context).text,
    );

    // Assess: a legend, then one line an entry whose values are the block's, in order, '-' where a block has none.
    expect(digest.entries).toHaveLength(101);
    expect(compact.text).toContain(`\n${en.digest.compactLegend}\n`);
    const lines = compact.text.split('\n').filter((line) => /^\d+\. /.test(line));
    const blocks = labelled.flatMap((text) => text.split(/\n(?=\d+\. )/).slice(1));
    expect(lines).toHaveLength(101);
    expect(blocks).toHaveLength(101);
    const labels = Object.values(en.digest.labels);
    const htmlLines = [...compact.html.matchAll(/<p style="margin:0 0 8px 0">(.*?)<\/p>/g)].map((match) =>
      (match[1] as string).replace(/<a href="[^"]*">|<\/a>/g, ''),
    );
    expect(htmlLines).toHaveLength(101);
    lines.forEach((line, index) => {
      const [first = '', ...rest] = (blocks[index] ?? '').split('\n\n')[0]?.split('\n') ?? [];
      const labelled = new Map<string, string>();
      const unlabelled: string[] = [];
      for (const row of rest.filter((line) => line !== '')) {
        const match = /^ {3}([^:]+): +(.*)$/.exec(row);
        if (match && [...labels, en.digest.approvalPageLabel].includes(match[1] as string)) {
          labelled.set(match[1] as string, match[2] as string);
        } else unlabelled.push(row.trim());
      }
      const action = labelled.get(en.digest.approvalPageLabel) ?? unlabelled[0] ?? '-';
      const note = labelled.has(en.digest.approvalPageLabel) ? (unlabelled[0] ?? '-') : (unlabelled[1] ?? '-');
      const values = [first.replace(/^\d+\. /, ''), action, ...labels.map((label) => labelled.get(label) ?? '-'), note];
      expect(line).toBe(`${index + 1}. ${values.join(' | ')}`);
      // The HTML part has the same line, escaped, its clickable link (if any) a link.
      expect(htmlLines[index]).toBe(`${index + 1}. ${asHtml(values.join(' | '))}`);
    });
    // Only the open trusted requests' own link, never the forwarded one's secrets, in either part.
    const open = digest.entries.filter((entry) => entry.state === 'open' && entry.linkTrust === 'trusted');
    expect(compact.text.match(/https:\/\/eu-west-1\.acm-certificates/g)).toHaveLength(open.length);
    expect(compact.html.match(/<a href=/g)).toHaveLength(open.length);
    expect(`${compact.text}${compact.html}`).not.toContain('f0rw');
    expect(compact.text).toContain('\nNot our account: do not approve (1)\n');
    // One entry fewer keeps the blocks.
    const hundred = renderOwnerDigest({ ...digest, entries: digest.entries.slice(1) }, context).text;
    expect(hundred).not.toContain(en.digest.compactLegend);
    expect(hundred).toMatch(/\n100\. Do not approve: requested from account 999999999999, which is not ours\n/);
  });

  it('is mail-safe HTML: inline styles only, one column at most 600 px wide, nothing fetched, nothing run', () => {
    // Prepare: every kind of entry, as blocks (21) and as lines (105).
    for (const perKind of [3, 15]) {
      const { requests, securityEvents, statuses } = sampleRequests(perKind, true);
      const mails = digestMails(sampleConfiguration('en'), requests, securityEvents, SAMPLE_NOW, statuses);

      // Act
      const html = mails.map((mail) => mail.html).join('\n');

      // Assess: no style sheet or class to lose, no script, image, frame, form or external resource of any kind.
      expect(html).not.toMatch(/<style|<link|<script|<img|<iframe|<form|<object|<svg|@import|url\(|\bsrc=|\bclass=/i);
      expect(html).not.toMatch(/\bon[a-z]+=/i);
      for (const mail of mails) {
        expect(mail.html).toContain(
          '<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" style="width:100%;max-width:600px;',
        );
        // Outlook for Windows ignores max-width: its own 600 px table, in a conditional comment only it reads.
        expect(mail.html).toContain(
          '<!--[if mso]><table role="presentation" cellpadding="0" cellspacing="0" border="0" width="600"',
        );
      }
      // Every link is an approval link of an open request that came in trusted mail.
      const hrefs = [...html.matchAll(/<a href="([^"]+)"/g)].map((match) => match[1]);
      const clickable = requests.filter(
        (r) =>
          r.trust === 'trusted' &&
          Date.parse(r.approvalDeadline) > SAMPLE_NOW.getTime() &&
          statuses.get(r.key) !== 'issued',
      );
      expect(hrefs.map((href) => href?.replaceAll('&amp;', '&')).sort()).toEqual(
        clickable.map((r) => r.links[0]?.url).sort(),
      );
    }
  });

  it('keeps a large digest near the size of its text: one line an entry, not a block of styled rows', () => {
    const many = Array.from({ length: 1_000 }, (_, index) =>
      request({ domain: `svc${index}.shop.example.com`, key: `k${index}` }),
    );
    const digest = buildDigests({ configuration, requests: many, securityEvents: [], now: NOW }).owners[0];
    if (!digest) throw new Error('no digest');
    const mail = renderOwnerDigest(digest, { timeZone: 'Europe/Berlin', now: NOW });
    expect(mail.html.match(/<p style="margin:0 0 8px 0">/g)).toHaveLength(1_000);
    expect(mail.html.length / 1_000).toBeLessThan(700);
    // A block is about 4 KB an entry: the reason for the line form above a hundred.
    const hundred = renderOwnerDigest(
      { ...digest, entries: digest.entries.slice(0, 100) },
      { timeZone: 'Europe/Berlin', now: NOW },
    );
    expect(hundred.html.match(/<p style="margin:0 0 8px 0">/g)).toBeNull();
    expect(hundred.html.length / 100).toBeLessThan(5_000);
  });

  it('the security summary lists events newest first, escaped, without links', () => {
    const suspicious: SecurityEvent = {
      ...foreign,
      messageId: 's1',
      outcome: 'suspicious',
      requestKey: null,
      subject: '<i>phish</i>',
      recordedAt: '2026-11-23T07:00:00.000Z',
      reasons: ['link-host-not-allowed'],
    };
    const { security } = buildDigests({ configuration, requests: [], securityEvents: [foreign, suspicious], now: NOW });
    const mail = renderSecurityDigest(security, { timeZone: 'Europe/Berlin', now: NOW });
    expect(mail.subject).toBe('ACM security: 1 foreign-account, 1 suspicious, 0 unreadable');
    expect(mail.text).toContain('\n1. suspicious: pay.shop.example.com\n');
    expect(mail.text).toContain('\n2. foreign-account: pay.shop.example.com\n');
    expect(mail.html).toContain('&lt;i&gt;phish&lt;/i&gt;');
    expect(mail.html).not.toContain('<a ');
  });
});

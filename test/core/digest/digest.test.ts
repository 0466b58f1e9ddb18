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
import type { DigestRequest, SecurityEvent } from '../../../handlers/core/state.js';
import { digestMails } from '../../../handlers/digest/digest.js';
import { exampleWith } from '../../support/configuration.js';

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

  it('puts expired and foreign-account entries first, then the open ones by deadline', () => {
    expect(shop?.entries.map((entry) => [entry.state, entry.domain])).toEqual([
      ['expired', 'expired.shop.example.com'],
      ['foreign-account', 'pay.shop.example.com'],
      ['open', 'today.shop.example.com'],
      ['open', 'tomorrow-early.shop.example.com'],
      ['open', 'later.shop.example.com'],
      ['open', 'renew.shop.example.com'],
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
    expect(mail?.text).toContain('Tue, 24 Nov 2026, 19:00 GMT+9');
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
    expect(mail.text).toContain('ACM status:          unknown (no status role)');
    expect(mail.text).toContain('ACM status:          issued (ACM)');
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
  it('writes times in the digest time zone, across the daylight-saving change', () => {
    expect(localTime('2026-10-24T23:30:00.000Z', 'Europe/Berlin')).toBe('Sun, 25 Oct 2026, 01:30 CEST');
    expect(localTime('2026-10-25T01:30:00.000Z', 'Europe/Berlin')).toBe('Sun, 25 Oct 2026, 02:30 CET');
    expect(localTime('2026-03-08T07:30:00.000Z', 'America/New_York')).toBe('Sun, 8 Mar 2026, 03:30 GMT-4');
    expect(localTime('2026-03-08T06:30:00.000Z', 'America/New_York')).toBe('Sun, 8 Mar 2026, 01:30 GMT-5');
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
    expect(mail.text).toContain('NOT OUR ACCOUNT: do not approve');
    expect(mail.text).toContain('EXPIRED: resend needed');
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
    expect(trustedFirst.text).toContain('a later UNAUTHENTICATED copy brought another link: not shown');
    expect(`${trustedFirst.text}${trustedFirst.html}`).not.toContain('f0rw');
    // Only an unverified link: shown defanged and redacted, never clickable, and the entry says UNAUTHENTICATED.
    const onlyForwarded = digestOf([{ url: forwarded, trust: 'unverified', receivedAt: at('11') }]);
    expect(onlyForwarded.html).not.toMatch(/<a href=/);
    expect(onlyForwarded.text).toContain('Trust:               UNAUTHENTICATED');
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

  it('writes the text of a digest of more than 100 entries one line an entry, with the same values and link rules', () => {
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

    // Act: the 101 entries in one digest, and the same entries as two digests of at most 100 (labelled blocks).
    const compact = renderOwnerDigest(digest, context).text;
    const labelled = [digest.entries.slice(0, 60), digest.entries.slice(60)].map(
      (entries) => renderOwnerDigest({ ...digest, entries }, context).text,
    );

    // Assess: a line naming the columns, then one line an entry whose values are the labelled block's, in order.
    expect(digest.entries).toHaveLength(101);
    expect(compact).toContain(
      '\nOne line an entry: Status | Domain | Account | Region | Kind | Approve before | First received | ' +
        'Certificate expires | Reached | Ticket | Trust | ACM status | Approval link\n',
    );
    const lines = compact.split('\n').filter((line) => /^\d+\. /.test(line));
    const blocks = labelled.flatMap((text) => text.split(/\n\d+\.\n/).slice(1));
    expect(lines).toHaveLength(101);
    expect(blocks).toHaveLength(101);
    lines.forEach((line, index) => {
      const values = (blocks[index] ?? '')
        .split('\n')
        .filter((row) => row.startsWith('   '))
        .map((row) => row.slice(24));
      expect(values).toHaveLength(13);
      expect(line).toBe(`${index + 1}. ${values.join(' | ')}`);
    });
    // Only the open trusted requests' own link, never the forwarded one's secrets.
    const open = digest.entries.filter((entry) => entry.state === 'open' && entry.linkTrust === 'trusted');
    expect(compact.match(/https:\/\/eu-west-1\.acm-certificates/g)).toHaveLength(open.length);
    expect(compact).not.toContain('f0rw');
    expect(compact).toContain('NOT OUR ACCOUNT: do not approve');
    // One entry fewer keeps the labelled blocks.
    const hundred = renderOwnerDigest({ ...digest, entries: digest.entries.slice(1) }, context).text;
    expect(hundred).not.toContain('One line an entry');
    expect(hundred).toContain('\n100.\n   Status:');
  });

  it("keeps the cells' look in one style sheet in the head, and the table draws its grid without it", () => {
    // Prepare: 1,000 open requests, the size at which the look repeated on every cell made megabytes.
    const many = Array.from({ length: 1_000 }, (_, index) =>
      request({ domain: `svc${index}.shop.example.com`, key: `k${index}` }),
    );
    const digest = buildDigests({ configuration, requests: many, securityEvents: [], now: NOW }).owners[0];
    if (!digest) throw new Error('no digest');

    // Act
    const mail = renderOwnerDigest(digest, { timeZone: 'Europe/Berlin', now: NOW });

    // Assess: the look once, in the head; the grid, alignment and wrapping from attributes any client applies; the
    // status colour inline; about 600 bytes an entry (1,640 with the look on every cell).
    const head = mail.html.slice(0, mail.html.indexOf('</head>'));
    expect(head).toContain('<style>td{border:1px solid #dadce0;padding:4px 8px;vertical-align:top;}</style>');
    expect(mail.html).toContain('<table border="1" cellpadding="4" cellspacing="0"');
    expect(mail.html).toContain('<tbody valign="top">');
    expect(mail.html).toContain('<td style="color:#1b5e20;font-weight:bold">open</td><td>svc');
    expect(mail.html).toMatch(/<td nowrap>shop-prod \(184694211251\)<\/td>/);
    expect(mail.html.match(/<td[ >]/g)).toHaveLength(13_000);
    expect(mail.html.match(/border:1px/g)).toHaveLength(1 + 13);
    expect(mail.html.length / 1_000).toBeLessThan(700);
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
    expect(mail.text.indexOf('suspicious')).toBeLessThan(mail.text.indexOf('foreign-account\n'));
    expect(mail.html).toContain('&lt;i&gt;phish&lt;/i&gt;');
    expect(mail.html).not.toContain('<a ');
  });
});

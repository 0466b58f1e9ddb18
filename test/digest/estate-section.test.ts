/** The digest's estate section: per owner, the email-validated certificates they own, in English and Japanese. */
import { describe, expect, it } from 'vitest';
import { buildDigests } from '../../handlers/core/digest/digest.js';
import { estateSectionOf } from '../../handlers/core/digest/estate.js';
import { renderOwnerDigest } from '../../handlers/core/digest/render.js';
import { type EstateReport, estateCertificateOf } from '../../handlers/core/estate/certificate.js';
import { makeDigest } from '../../handlers/digest/digest.js';
import type { OutgoingMail } from '../../handlers/ports/mail.js';
import { exampleConfiguration } from '../support/configuration.js';

const NOW = new Date('2026-11-26T07:00:00Z');
const configuration = { ...exampleConfiguration(), digest: { ...exampleConfiguration().digest, sendEmpty: true } };

const certificate = (
  account: [string, string],
  domain: string,
  method: 'EMAIL' | 'DNS',
  notAfter: string,
  inUse = true,
) =>
  estateCertificateOf(
    {
      CertificateArn: `arn:aws:acm:eu-west-1:${account[0]}:certificate/${domain}`,
      DomainName: domain,
      DomainValidationOptions: [{ DomainName: domain, ValidationMethod: method }],
      Status: 'ISSUED',
      NotAfter: notAfter,
      InUseBy: inUse ? ['arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/x/1'] : [],
    },
    { accountId: account[0], accountName: account[1], region: 'eu-west-1' },
  );

const SHOP: [string, string] = ['184694211251', 'shop-prod'];
const DATA: [string, string] = ['788441577080', 'data-test'];
const report: EstateReport = {
  listedAt: '2026-11-26T06:00:00.000Z',
  regions: ['eu-west-1', 'us-east-1'],
  accountsListed: 2,
  certificates: [
    // web-shop: two by email (one in the known zone example.com, one not), one by DNS (not counted).
    certificate(SHOP, 'shop.example.com', 'EMAIL', '2027-02-08T00:00:00Z'),
    certificate(SHOP, 'shop.example.net', 'EMAIL', '2027-01-04T00:00:00Z'),
    certificate(SHOP, 'api.shop.example.com', 'DNS', '2026-12-01T00:00:00Z'),
    // data (by its account, Japanese): one by email, not in use, expiring in 20 days.
    certificate(DATA, 'analytics.example.org', 'EMAIL', '2026-12-16T00:00:00Z', false),
  ],
  unlisted: [],
  withoutRole: [],
  mailHistoryNote: null,
};

describe('estateSectionOf', () => {
  it('counts the owner email-validated certificates, those ready now, and the next expiry', () => {
    const shop = configuration.owners.find((owner) => owner.name === 'web-shop');
    expect(estateSectionOf(shop as never, report, configuration, NOW)).toEqual({
      emailValidated: 2,
      readyNow: 1,
      unusedExpiringSoon: 0,
      nextExpiry: { domain: 'shop.example.net', account: 'shop-prod', notAfter: '2027-01-04T00:00:00.000Z' },
      listedAt: '2026-11-26T06:00:00.000Z',
      incomplete: false,
    });
    // The platform owner owns none of these by email: no section.
    expect(estateSectionOf({ name: 'platform' }, report, configuration, NOW)).toBeNull();
    const partial = { ...report, unlisted: [{ accountId: '1', accountName: 'x', region: null, reason: 'denied' }] };
    expect(estateSectionOf(shop as never, partial, configuration, NOW)?.incomplete).toBe(true);
  });
});

describe('the estate section as rendered', () => {
  const digests = buildDigests({ configuration, requests: [], securityEvents: [], now: NOW, estate: report });
  const of = (name: string) => digests.owners.find((digest) => digest.owner.name === name);

  it('says it in English, in both parts', () => {
    const mail = renderOwnerDigest(of('web-shop') as never, { timeZone: 'Europe/Berlin', now: NOW, locale: 'en' });
    const expected = [
      'Certificates still validated by email (2)',
      '2 certificates you own renew only when someone approves a mail; 1 could move to DNS validation now (every name in a Route 53 zone we know).',
      'Next expiry: shop.example.net (shop-prod) on Mon 4 Jan 2027 01:00 CET.',
      'Listed Thu 26 Nov 2026 07:00 CET. The steps per certificate: npx acm-mail estate (README, &quot;Moving off email validation&quot;).',
    ];
    for (const line of expected) {
      expect(mail.html).toContain(line);
      expect(mail.text).toContain(line.replaceAll('&quot;', '"'));
    }
    expect(mail.text).not.toContain('not in use');
    expect(renderOwnerDigest(of('platform') as never, { timeZone: 'Europe/Berlin', now: NOW }).text).not.toContain(
      'validated by email',
    );
  });

  it('says it in Japanese, with the unused certificate called out in the alarm colour', () => {
    const mail = renderOwnerDigest(of('data') as never, { timeZone: 'Asia/Tokyo', now: NOW, locale: 'ja' });
    for (const line of [
      'メール検証のままの証明書(1件)',
      '担当の証明書のうち1件は、誰かがメールを承認しないと更新されません。そのうち0件は、すべての名前が既知のRoute 53ホストゾーンにあり、今すぐDNS検証へ移行できます。',
      '1件は使用されておらず、45日以内に失効します。',
    ]) {
      expect(mail.text).toContain(line);
      expect(mail.html).toContain(line);
    }
    expect(mail.text).toMatch(
      /次に有効期限を迎えるのは analytics\.example\.org\(data-test\)で、2026年12月16日.* 09:00 JSTです。/,
    );
    expect(mail.html).toContain('color:#b00020">メール検証のままの証明書(1件)');
  });
});

describe('the digest function with an estate source', () => {
  const run = (estate: () => Promise<EstateReport>) => {
    const warnings: string[] = [];
    const sent: OutgoingMail[] = [];
    const digest = makeDigest({
      configuration,
      store: { requestsOf: async () => [], securityEvents: async () => [] },
      mailer: {
        sendMail: async (mail) => {
          sent.push(mail);
          return 'id';
        },
      },
      logger: { info: () => undefined, warn: (message) => warnings.push(message), error: () => undefined },
      clock: () => NOW,
      estate: { estate },
    });
    return { digest, warnings, sent };
  };

  it('lists once and shows each owner their section in the mail it sends', async () => {
    let listings = 0;
    const { digest, sent } = run(async () => {
      listings += 1;
      return report;
    });
    const result = await digest();
    expect(listings).toBe(1);
    expect(result.estate).toBe(report);
    const shop = sent.find((mail) => mail.to.includes('shop-leads@example.org'));
    expect(shop?.text).toContain('Certificates still validated by email (2)');
  });

  it('leaves the section out and says why when the estate cannot be listed, and still sends', async () => {
    const { digest, warnings, sent } = run(async () => Promise.reject(new Error('ExpiredToken')));
    const result = await digest();
    expect(result.estate).toBeNull();
    expect(warnings).toEqual(['estate unlisted: the digests have no estate section']);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.some((mail) => mail.text.includes('validated by email'))).toBe(false);
  });
});

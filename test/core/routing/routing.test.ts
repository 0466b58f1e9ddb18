import { describe, expect, it } from 'vitest';
import { parseConfiguration } from '../../../handlers/core/configuration/index.js';
import { renderNotAcmSummary } from '../../../handlers/core/routing/alerts.js';
import { decideMail } from '../../../handlers/core/routing/decide.js';
import {
  defangLink,
  linkForLog,
  MAX_PRESENTED_CHARS,
  presentAddress,
  presentMailText,
} from '../../../handlers/core/routing/defang.js';
import { routeToOwner } from '../../../handlers/core/routing/owner-routing.js';
import { consoleLink, timeLeft } from '../../../handlers/core/routing/presentation.js';
import { securityAlertFor, securityRecordFor } from '../../../handlers/core/routing/security-outcome.js';
import { renderTicket } from '../../../handlers/core/routing/ticket.js';
import type { AcmMailResult, ApprovalRequest } from '../../../handlers/core/types.js';
import { exampleWith } from '../../support/configuration.js';

const config = parseConfiguration(
  exampleWith((c) => {
    c.routing = [
      { owner: 'platform', domainSuffix: 'example.com' },
      { owner: 'web-shop', domainSuffix: 'shop.example.com' },
      { owner: 'data', domainSuffix: 'eu.shop.example.com', accountId: '788441577080' },
      { owner: 'data', accountId: '788441577080' },
    ];
  }),
  'test',
);

const approval: ApprovalRequest = {
  domain: 'www.shop.example.com',
  accountId: '184694211251',
  region: 'eu-west-1',
  certificateId: '975243f7-b501-4ee8-a0dc-69991761dbe0',
  certificateArn: 'arn:aws:acm:eu-west-1:184694211251:certificate/975243f7-b501-4ee8-a0dc-69991761dbe0',
  approvalUrl: 'https://eu-west-1.acm-certificates.amazon.com/approvals?code=c0de&context=c0n7',
  renewal: false,
  expiresAt: null,
};

describe('routeToOwner', () => {
  it.each([
    ['www.shop.example.com', '184694211251', 'web-shop', 'the most specific suffix wins'],
    ['example.com', '184694211251', 'platform', 'a suffix matches the domain itself'],
    ['badexample.com', '184694211251', 'platform', 'never across a label boundary: falls back'],
    ['*.shop.example.com', '184694211251', 'web-shop', 'a wildcard is routed by the name under it'],
    ['api.eu.shop.example.com', '788441577080', 'data', 'a suffix rule with an account needs both'],
    ['api.eu.shop.example.com', '184694211251', 'web-shop', 'the same suffix from another account does not match it'],
    ['data.example.org', '788441577080', 'data', 'an account rule when no suffix matches'],
    ['unknown.example.org', '184694211251', 'platform', 'the fallback owner last'],
  ])('%s from %s goes to %s (%s)', (domain, accountId, owner) => {
    expect(routeToOwner({ domain, accountId }, config).owner.name).toBe(owner);
  });

  it('prefers any matching suffix over an account-only rule', () => {
    expect(routeToOwner({ domain: 'x.shop.example.com', accountId: '788441577080' }, config).owner.name).toBe(
      'web-shop',
    );
  });
});

const result = (over: Partial<AcmMailResult>): AcmMailResult => ({
  kind: 'acm-approval',
  trust: 'trusted',
  reasons: [],
  subject: 'Certificate request for www.shop.example.com',
  messageId: '<m@email.amazonses.com>',
  approval,
  ...over,
});
const facts = {
  from: 'no-reply@certificates.amazon.com',
  claimedFrom: ['no-reply@certificates.amazon.com'],
  autoSubmitted: null,
  projectHeader: false,
  bulk: false,
};

describe('decideMail', () => {
  it('routes a trusted request from our account to its owner with a clickable link allowed', () => {
    expect(decideMail(result({}), facts, config)).toMatchObject({
      outcome: 'route',
      authenticated: true,
      owner: { name: 'web-shop' },
    });
  });

  it('decides trust first: a suspicious mail naming a foreign account is suspicious, not foreign-account', () => {
    const decision = decideMail(
      result({ trust: 'suspicious', reasons: ['dkim-fail'], approval: { ...approval, accountId: '999999999999' } }),
      facts,
      config,
    );
    expect(decision.outcome).toBe('suspicious');
  });

  it('a trusted or unverified request from an account that is not ours is foreign-account, marked when unverified', () => {
    const foreign = { ...approval, accountId: '999999999999' };
    expect(decideMail(result({ approval: foreign }), facts, config)).toMatchObject({
      outcome: 'foreign-account',
      authenticated: true,
    });
    expect(
      decideMail(result({ trust: 'unverified', reasons: ['forwarded-copy'], approval: foreign }), facts, config),
    ).toMatchObject({ outcome: 'foreign-account', authenticated: false });
  });

  it('an unverified copy from our account is routed, unauthenticated', () => {
    expect(decideMail(result({ trust: 'unverified', reasons: ['forwarded-copy'] }), facts, config)).toMatchObject({
      outcome: 'route',
      authenticated: false,
    });
  });

  it('missing fields alone make it unparseable; with a failed check besides, suspicious', () => {
    expect(
      decideMail(result({ trust: 'suspicious', reasons: ['missing-account-id'], approval: null }), facts, config)
        .outcome,
    ).toBe('unparseable');
    expect(
      decideMail(
        result({ trust: 'suspicious', reasons: ['dkim-fail', 'missing-account-id'], approval: null }),
        facts,
        config,
      ).outcome,
    ).toBe('suspicious');
    expect(
      decideMail(result({ trust: 'suspicious', reasons: ['multiple-domain-lines'], approval: null }), facts, config)
        .outcome,
    ).toBe('suspicious');
  });

  it('loop guard: quiets mail that is not ACM template from our sender, Auto-Submitted or bulk, and nothing else', () => {
    const notAcm = result({ kind: 'not-acm', trust: 'unverified', reasons: ['no-acm-template'], approval: null });
    expect(decideMail(notAcm, { ...facts, from: 'acm-mail@notify.example.org' }, config)).toMatchObject({
      outcome: 'not-acm',
      loop: 'from-our-sender',
    });
    expect(decideMail(notAcm, { ...facts, autoSubmitted: 'auto-replied' }, config)).toMatchObject({
      loop: 'auto-submitted',
    });
    expect(decideMail(notAcm, { ...facts, bulk: true }, config)).toMatchObject({ loop: 'bulk' });
    expect(decideMail(notAcm, { ...facts, from: 'x@y.example', autoSubmitted: 'No' }, config)).toMatchObject({
      outcome: 'not-acm',
      loop: null,
    });
  });

  // An attacker writes any header it likes: on a mail carrying ACM's template, none may switch the decision off.
  const loud = [
    { ...facts, from: 'acm-mail@notify.example.org' },
    { ...facts, autoSubmitted: 'auto-generated' },
    { ...facts, bulk: true },
  ];
  it.each(loud)('a foreign-account request is alerted whatever the headers say (%j)', (headers) => {
    const foreign = { ...approval, accountId: '999999999999' };
    expect(decideMail(result({ approval: foreign }), headers, config).outcome).toBe('foreign-account');
    expect(
      decideMail(result({ trust: 'unverified', reasons: ['forwarded-copy'], approval: foreign }), headers, config)
        .outcome,
    ).toBe('foreign-account');
  });

  it.each(loud)('suspicious and unparseable mail is alerted whatever the headers say (%j)', (headers) => {
    expect(decideMail(result({ trust: 'suspicious', reasons: ['dkim-fail'] }), headers, config).outcome).toBe(
      'suspicious',
    );
    expect(
      decideMail(result({ trust: 'suspicious', reasons: ['missing-region'], approval: null }), headers, config).outcome,
    ).toBe('unparseable');
  });

  it.each(loud)('a request from our account gets its ticket whatever the headers say (%j)', (headers) => {
    expect(decideMail(result({}), headers, config).outcome).toBe('route');
    expect(decideMail(result({ trust: 'unverified', reasons: ['forwarded-copy'] }), headers, config).outcome).toBe(
      'route',
    );
  });

  it('alerts mail that is not ACM template but claims ACM and fails a check, whatever its headers', () => {
    const dressed = result({
      kind: 'not-acm',
      trust: 'suspicious',
      reasons: ['delivery-report', 'duplicate-header-field'],
      approval: null,
    });
    for (const headers of [facts, ...loud]) {
      expect(decideMail(dressed, { ...headers, claimedFrom: ['no-reply@certificates.amazon.com'] }, config)).toEqual({
        outcome: 'suspicious',
        reasons: dressed.reasons,
        approval: null,
      });
    }
    // Not claiming ACM, the same mail is only not ACM's.
    expect(decideMail(dressed, { ...facts, from: 'x@y.example', claimedFrom: ['x@y.example'] }, config).outcome).toBe(
      'not-acm',
    );
  });

  it('a note beside missing fields keeps the mail unparseable', () => {
    expect(
      decideMail(
        result({ trust: 'suspicious', reasons: ['missing-region', 'own-dkim-unavailable'], approval: null }),
        facts,
        config,
      ).outcome,
    ).toBe('unparseable');
  });
});

describe('links outside a trusted ticket', () => {
  it('are defanged with every query value redacted', () => {
    expect(defangLink('https://us-east-1.acm-certificates.amazon.com/approvals?code=abc&context=def')).toBe(
      'hxxps://us-east-1[.]acm-certificates[.]amazon[.]com/approvals?code=<redacted>&context=<redacted>',
    );
    expect(defangLink('not a url')).toBe('<unreadable link redacted>');
  });

  it('reach logs as host and path only, defanged', () => {
    expect(linkForLog('https://us-east-1.acm-certificates.amazon.com/approvals?code=abc&context=def')).toBe(
      'hxxps://us-east-1[.]acm-certificates[.]amazon[.]com/approvals',
    );
    expect(linkForLog(null)).toBeNull();
  });
});

describe('text from mail, presented', () => {
  it.each([
    [
      'a whole approval URL',
      'https://us-east-1.acm-certificates.amazon.com/approvals?code=5ec&context=c0n',
      'hxxps://us-east-1[.]acm-certificates[.]amazon[.]com/approvals?code=<redacted>&context=<redacted>',
    ],
    [
      'a URL without a scheme',
      'Go to us-east-1.acm-certificates.amazon.com/approvals?code=5ec',
      'Go to us-east-1[.]acm-certificates[.]amazon[.]com/approvals?code=<redacted>',
    ],
    ['an escaped secret', 'x?code%3D5ec%26context%3Dc0n', 'x?code=<redacted>&context=<redacted>'],
    ['a plain http URL and www', 'see http://www.evil.example/x', 'see hxxp://www[.]evil[.]example/x'],
    ['another scheme', 'ftp://files.example/x', 'ftp[:]//files[.]example/x'],
    [
      'backslashes for slashes',
      'https:\\\\evil.example\\approvals?code=5ec',
      'hxxps:\\\\evil[.]example\\approvals?code=<redacted>',
    ],
    [
      'one slash, or none',
      'https:/evil.example and HTTPS:evil.example',
      'hxxps:/evil[.]example and HxxPS:evil[.]example',
    ],
    ['zero-width and direction characters', 'ht\u200btps://\u202eevil.example', 'hxxps://evil[.]example'],
    ['ideographic and fullwidth dots', 'evil\u3002example\uff0ecom', 'evil[.]example[.]com'],
    ['line breaks and tabs', 'a\r\nSubject: b\tc', 'a Subject: b c'],
    ['a name with no link', 'Amazon Certificates', 'Amazon Certificates'],
    [
      'escaped host and parameter names',
      '[Approve](//us-east-1%2Eacm-certificates%2Eamazon%2Ecom/approvals?%63ode=5ec&%2563ontext=c0n)',
      '[Approve](//us-east-1[.]acm-certificates[.]amazon[.]com/approvals?code=<redacted>&context=<redacted>)',
    ],
    [
      'an encoded word of an encoded word, which a client would decode again',
      `=?UTF-8?B?${Buffer.from('=?UTF-8?Q?https=3A//x=2Eexample/approvals=3Fcode=3D5ec?=').toString('base64')}?=`,
      'hxxps://x[.]example/approvals?code=<redacted>',
    ],
    ['encoded-word syntax that decodes to nothing', '=?x?Q?=?', '=[?]x?Q?=[?]'],
    ['variation selectors after dots', 'evil.\ufe0fexample.\ufe0fcom/approvals', 'evil[.]example[.]com/approvals'],
    [
      'a canary probe token (its nonce and MAC would let anyone send the probe again)',
      'v1; run=20261126T060000Z-1a2b3c4d; to=admin@example.net; at=2026-11-26T06:00:00Z; nonce=AAAAAAAAAAAAAAAAAAAAAA; mac=BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB',
      'v1; run=20261126T060000Z-1a2b3c4d; to=admin@example[.]net; at=2026-11-26T06:00:00Z; nonce=<redacted> mac=<redacted>',
    ],
    [
      'a code and context written as words, not parameters',
      'code: 0b2c8f1e-4c4e-4b7e-9e0c-7d2f3a1b5c6d context &#61;Zx9sKq2LmP4vR8tY1uWn',
      'code: <redacted> context &#61;<redacted>',
    ],
    ['ordinary words after "code" stay', 'Your code review is ready', 'Your code review is ready'],
    [
      'schemes that run or carry content, with no slashes',
      '[x](javascript:alert(1)) data:text/html;base64,PHNjcmlwdD4 VBScript :msgbox',
      '[x](javascript[:]alert(1)) data[:]text/html;base64,PHNjcmlwdD4 VBScript[:]msgbox',
    ],
  ])('%s', (_what, text, presented) => {
    expect(presentMailText(text)).toBe(presented);
  });

  it('caps what it shows at 200 characters', () => {
    expect(presentMailText('a'.repeat(5000))).toHaveLength(MAX_PRESENTED_CHARS);
  });

  it('defangs a link without ever printing a parameter name but code and context', () => {
    expect(
      defangLink(
        'https://us-east-1.acm-certificates.amazon.com/approvals?code=1&context=2&https://us-east-1.acm-certificates.amazon.com.evil.example/approvals?code',
      ),
    ).toBe(
      'hxxps://us-east-1[.]acm-certificates[.]amazon[.]com/approvals?code=<redacted>&context=<redacted>&<parameter>=<redacted>',
    );
    expect(defangLink('https://x.example/a/https://evil.example/approvals?code=1')).toBe(
      'hxxps://x[.]example/a/hxxps://evil[.]example/approvals?code=<redacted>',
    );
  });

  it('keeps a plain address readable and presents anything else as free text', () => {
    expect(presentAddress('admin@example.net')).toBe('admin@example.net');
    expect(presentAddress('https%3A%2F%2Fevil.example%2Fapprovals%3Fcode%3D5ec@evil.example')).toBe(
      'hxxps://evil[.]example/approvals?code=<redacted>@evil[.]example',
    );
    expect(presentAddress('"https://evil.example/approvals?code=5ec"@evil.example')).toBe(
      '"hxxps://evil[.]example/approvals?code=<redacted>"@evil[.]example',
    );
  });
});

describe('rendering', () => {
  const base = {
    approval,
    ownerName: 'web-shop',
    accountName: 'shop-prod',
    firstReceivedAt: '2026-11-23T09:00:00.000Z',
    approvalDeadline: '2026-11-26T09:00:00.000Z',
    addresses: ['admin@example.com'],
    rawMail: 's3://archive/inbound/m',
    now: new Date('2026-11-24T10:30:00.000Z'),
    followUp: false,
    locale: 'en' as const,
    timeZone: 'Europe/Berlin',
    firstTicketSubject: null,
  };

  it('a trusted ticket: subject, time left, clickable link; an unverified one: no anchor, link withheld', () => {
    const trusted = renderTicket({ ...base, authenticated: true });
    expect(trusted.subject).toBe(
      '[ACM approval] new www.shop.example.com (shop-prod) - approve by Thu 26 Nov 10:00 CET',
    );
    expect(trusted.text).toContain('Thu 26 Nov 2026 10:00 CET (09:00 UTC), 46 h 30 min left');
    expect(trusted.html).toContain(
      '<a href="https://eu-west-1.acm-certificates.amazon.com/approvals?code=c0de&amp;context=c0n7">',
    );
    const unverified = renderTicket({ ...base, authenticated: false });
    expect(unverified.html).not.toContain('<a ');
    expect(unverified.text).not.toContain('https://eu-west-1.acm-certificates');
    expect(unverified.text).toContain(
      'hxxps://eu-west-1[.]acm-certificates[.]amazon[.]com/approvals?code=<redacted>&context=<redacted>',
    );
    expect(`${unverified.text}${unverified.html}`).not.toMatch(/c0de|c0n7/);
    expect(unverified.text).toContain('"Resend validation email"');
  });

  it('a follow-up says use the new link only when its mail is authenticated', () => {
    const trusted = renderTicket({
      ...base,
      authenticated: true,
      followUp: true,
      firstTicketSubject: '[ACM approval] new www.shop.example.com (shop-prod) - approve by Thu 26 Nov 10:00 CET',
    });
    expect(trusted.subject).toBe(
      'Re: [ACM approval] new www.shop.example.com (shop-prod) - approve by Thu 26 Nov 10:00 CET',
    );
    expect(trusted.text).toContain('Use this link; the earlier one may no longer work.');
    const unverified = renderTicket({ ...base, authenticated: false, followUp: true });
    expect(unverified.text).toContain('NOT authenticated (a forward, or a forgery). Its link is withheld.');
    expect(unverified.text).not.toContain('Use this link');
    expect(`${unverified.text}${unverified.html}`).not.toMatch(/c0de|c0n7/);
  });

  it('escapes what comes from the mail in HTML', () => {
    const summary = renderNotAcmSummary({
      from: 'x@evil.example',
      subject: '<img src=x onerror=alert(1)> "hi"',
      sizeBytes: 10,
      rawMail: 's3://a/inbound/m',
      reasons: ['no-acm-template'],
      receivedAt: '2026-11-23T09:00:00.000Z',
      recipients: ['admin@example.net'],
      locale: 'en',
      timeZone: 'UTC',
    });
    expect(summary.html).not.toContain('<img');
    expect(summary.html).toContain('&lt;img src=x onerror=alert(1)&gt; &quot;hi&quot;');
  });

  it('time left and the console link of each partition', () => {
    expect(timeLeft('2026-11-23T10:00:00.000Z', new Date('2026-11-23T12:05:00.000Z'))).toBe('expired 2 h 5 min ago');
    expect(
      consoleLink({ ...approval, certificateArn: 'arn:aws-cn:acm:cn-north-1:1:certificate/x', region: 'cn-north-1' }),
    ).toBe(
      'https://cn-north-1.console.amazonaws.cn/acm/home?region=cn-north-1#/certificates/975243f7-b501-4ee8-a0dc-69991761dbe0',
    );
    expect(
      consoleLink({
        ...approval,
        certificateArn: 'arn:aws-us-gov:acm:us-gov-west-1:1:certificate/x',
        region: 'us-gov-west-1',
      }),
    ).toMatch(/^https:\/\/us-gov-west-1\.console\.amazonaws-us-gov\.com\//);
  });
});

describe("the state table's security record", () => {
  it('stores the subject as outputs show it: no approval secret or probe token, and the digest shows it the same', () => {
    const subject =
      'Re: https://us-east-1.acm-certificates.amazon.com/approvals?code=c0de&context=c0n7 v1; nonce=AAAA; mac=BBBB';
    const suspicious = { outcome: 'suspicious' as const, reasons: ['from-not-acm' as const], approval: null };
    const stored = securityRecordFor(suspicious, result({ trust: 'suspicious', subject, approval: null })).security;
    expect(stored.subject).not.toMatch(/c0de|c0n7|AAAA|BBBB/);
    expect(stored.subject).toContain('mac=<redacted>');
    // The digest presents what it reads again: that changes nothing.
    expect(presentMailText(stored.subject)).toBe(stored.subject);
  });
});

describe('which alerts the hourly forgery budget holds back', () => {
  const context = {
    receivedAt: '2026-11-26T06:00:00.000Z',
    recipients: ['admin@example.net'],
    from: 'x@evil.example',
    envelopeFrom: null,
    verdicts: 'SPF PASS',
    rawMail: 's3://a/inbound/m',
    quarantined: null,
    messageId: 'm',
  };
  it('a cut header block that names no request: budgeted; a request, or any other reason: never', () => {
    const cut = { outcome: 'suspicious' as const, reasons: ['header-block-cut' as const], approval: null };
    const cutMail = result({ kind: 'not-acm', trust: 'suspicious', reasons: cut.reasons, approval: null });
    expect(securityAlertFor(cut, cutMail, context).budgeted).toBe(true);
    const withRequest = { ...cut, approval };
    expect(securityAlertFor(withRequest, result({ trust: 'suspicious' }), context).budgeted).toBe(false);
    const forged = { outcome: 'suspicious' as const, reasons: ['from-acm-unauthenticated' as const], approval: null };
    expect(securityAlertFor(forged, cutMail, context).budgeted).toBe(false);
    const foreign = { outcome: 'foreign-account' as const, approval, authenticated: true, reasons: [] };
    expect(securityAlertFor(foreign, result({}), context).budgeted).toBeFalsy();
  });
});

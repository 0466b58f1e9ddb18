import { describe, expect, it } from 'vitest';
import { readHeaderBlock } from '../../handlers/core/header-block.js';
import { parseAcmMail } from '../../handlers/core/parse-mail.js';
import { readSesVerdicts, sesStamp } from '../../handlers/core/ses-verdicts.js';
import type { SesReceipt } from '../../handlers/core/types.js';
import { fixtureBytes, fixtureDkim } from '../support/fixtures.js';

const fields = (text: string) => readHeaderBlock(Buffer.from(text.replaceAll('\n', '\r\n')), 65_536).fields;
const RECEIVED = 'Received: from a8-30.smtp-out.amazonses.com by inbound-smtp.eu-west-1.amazonaws.com with SMTP id abc';
const stamp = (statements: string, extra = '') => `Return-Path: <x@bounces.certificates.amazon.com>
${RECEIVED}
X-SES-Spam-Verdict: PASS
X-SES-Virus-Verdict: PASS
Received-SPF: pass (spfCheck: ok) client-ip=1.2.3.4; envelope-from=x@bounces.certificates.amazon.com; helo=a;
Authentication-Results: amazonses.com;
 spf=pass (spfCheck: ok) client-ip=1.2.3.4; envelope-from=x@bounces.certificates.amazon.com; helo=a;
${statements}
X-SES-RECEIPT: AEFBQ
X-SES-DKIM-SIGNATURE: a=rsa-sha256; d=amazonses.com;
${extra}From: a@b.example

body`;
const GENUINE = ` dkim=pass header.i=@certificates.amazon.com;
 dkim=fail header.d=amazonses.com;
 dmarc=pass header.from=certificates.amazon.com;`;
const receipt = (status: Partial<Record<keyof SesReceipt, string>>): SesReceipt =>
  Object.fromEntries(Object.entries(status).map(([key, value]) => [key, { status: value }]));

describe("SES's stamp: only SES's fields, in SES's order, at the very top", () => {
  it('takes the fields SES writes, in its order, up to the first that is out of it', () => {
    expect([...(sesStamp(fields(stamp(GENUINE))) ?? new Map()).keys()]).toEqual([
      'return-path',
      'received',
      'x-ses-spam-verdict',
      'x-ses-virus-verdict',
      'received-spf',
      'authentication-results',
      'x-ses-receipt',
      'x-ses-dkim-signature',
    ]);
  });

  it("is no stamp without SES's own Received on top", () => {
    expect(
      sesStamp(
        fields(`Authentication-Results: amazonses.com; dkim=pass header.i=@certificates.amazon.com
X-SES-Spam-Verdict: PASS
From: no-reply@certificates.amazon.com

body`),
      ),
    ).toBeNull();
  });

  it("ends at a field out of order or repeated: a sender's verdicts below are never read", () => {
    const below = stamp(GENUINE, 'Authentication-Results: amazonses.com;\n dkim=pass header.i=@evil.example;\n');
    expect(readSesVerdicts(fields(below))?.dkimResults).toEqual([
      { domain: 'certificates.amazon.com', status: 'PASS' },
      { domain: 'amazonses.com', status: 'FAIL' },
    ]);
    const outOfOrder = `${RECEIVED}
X-SES-Virus-Verdict: PASS
X-SES-Spam-Verdict: FAIL
From: a@b.example

body`;
    expect(readSesVerdicts(fields(outOfOrder))).toMatchObject({ virus: 'PASS', spam: null });
  });

  it('reads no verdicts from a stamp without Authentication-Results, and none from the sender below it', () => {
    const bare = `${RECEIVED}
X-SES-Spam-Verdict: PASS
X-SES-RECEIPT: AEFBQ
Authentication-Results: amazonses.com;
 dkim=pass header.i=@certificates.amazon.com;
From: a@b.example

body`;
    expect(readSesVerdicts(fields(bare))).toMatchObject({
      hasAuthenticationResults: false,
      dkimResults: [],
      findings: [],
    });
  });

  it('refuses verdicts that SES did not seal with X-SES-RECEIPT after them', () => {
    const unsealed = `${RECEIVED}
Authentication-Results: amazonses.com;
 dkim=pass header.i=@certificates.amazon.com;
From: a@b.example

body`;
    expect(readSesVerdicts(fields(unsealed))).toMatchObject({
      hasAuthenticationResults: false,
      findings: ['malformed-ses-verdicts'],
    });
  });
});

describe('readSesVerdicts', () => {
  it("reads per-domain DKIM results (header.d before header.i) and DMARC's From", () => {
    expect(readSesVerdicts(fields(stamp(GENUINE)))).toEqual({
      source: 'headers',
      spf: 'PASS',
      dkim: 'PASS',
      dmarc: 'PASS',
      spam: 'PASS',
      virus: 'PASS',
      stamped: { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'PASS', virus: 'PASS' },
      hasAuthenticationResults: true,
      dkimResults: [
        { domain: 'certificates.amazon.com', status: 'PASS' },
        { domain: 'amazonses.com', status: 'FAIL' },
      ],
      dmarcHeaderFrom: 'certificates.amazon.com',
      findings: [],
    });
  });

  it.each([
    [
      'two DMARC results',
      ` dkim=pass header.i=@certificates.amazon.com;\n dmarc=fail;\n dmarc=pass header.from=certificates.amazon.com;`,
    ],
    [
      'two SPF results',
      ` spf=fail (x) client-ip=1.2.3.4; envelope-from=a@b; helo=c;\n dkim=pass header.i=@certificates.amazon.com;`,
    ],
    [
      'a pass and a fail for one domain',
      ` dkim=pass header.i=@certificates.amazon.com;\n dkim=fail header.d=certificates.amazon.com;`,
    ],
  ])('names %s conflicting, and reads nothing from them', (_what, statements) => {
    expect(readSesVerdicts(fields(stamp(statements)))).toMatchObject({
      findings: ['conflicting-verdicts'],
      hasAuthenticationResults: false,
      dkimResults: [],
    });
  });

  it('names Received-SPF and the SPF statement saying different things conflicting', () => {
    const text = stamp(GENUINE).replace('Received-SPF: pass', 'Received-SPF: fail');
    expect(readSesVerdicts(fields(text))?.findings).toEqual(['conflicting-verdicts']);
  });

  it('names a layout SES does not write malformed', () => {
    expect(
      readSesVerdicts(fields(stamp(' dkim=pass header.i=@x; dkim=pass header.i=@certificates.amazon.com;'))),
    ).toMatchObject({
      findings: ['malformed-ses-verdicts'],
      hasAuthenticationResults: false,
    });
  });
});

describe('the receipt event is the authority; the stamp must agree with it', () => {
  const agreeing = receipt({
    spamVerdict: 'PASS',
    virusVerdict: 'PASS',
    spfVerdict: 'PASS',
    dkimVerdict: 'PASS',
    dmarcVerdict: 'PASS',
  });

  it('takes statuses from the event and per-domain results from the stamp', () => {
    expect(readSesVerdicts(fields(stamp(GENUINE)), agreeing)).toMatchObject({
      source: 'event+headers',
      dkim: 'PASS',
      dkimResults: [
        { domain: 'certificates.amazon.com', status: 'PASS' },
        { domain: 'amazonses.com', status: 'FAIL' },
      ],
      findings: [],
    });
  });

  it.each([
    ['spam', { ...agreeing, spamVerdict: { status: 'FAIL' } }],
    ['virus', { ...agreeing, virusVerdict: { status: 'GRAY' } }],
    ['DKIM', { ...agreeing, dkimVerdict: { status: 'FAIL' } }],
    ['DMARC', { ...agreeing, dmarcVerdict: { status: 'GRAY' } }],
    ['SPF', { ...agreeing, spfVerdict: { status: 'FAIL' } }],
  ])('names a %s verdict that disagrees with the stamp', (_what, event) => {
    expect(readSesVerdicts(fields(stamp(GENUINE)), event)?.findings).toEqual(['event-verdicts-disagree']);
  });

  it('compares only pass-ness where SES words things differently, and skips what the event lacks', () => {
    const softfail = stamp(` dkim=pass header.i=@certificates.amazon.com;`)
      .replaceAll('spf=pass', 'spf=softfail')
      .replace('Received-SPF: pass', 'Received-SPF: softfail');
    expect(readSesVerdicts(fields(softfail), receipt({ spfVerdict: 'GRAY', dkimVerdict: 'PASS' }))?.findings).toEqual(
      [],
    );
  });

  it('keeps what the stamp alone says, so a stamped FAIL is not lost where the event is silent (red team D28)', () => {
    const spamFail = stamp(GENUINE).replace('X-SES-Spam-Verdict: PASS', 'X-SES-Spam-Verdict: FAIL');
    const silent = receipt({ spfVerdict: 'PASS', dkimVerdict: 'PASS', dmarcVerdict: 'PASS' });
    expect(readSesVerdicts(fields(spamFail), silent)).toMatchObject({
      spam: null,
      stamped: { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'FAIL', virus: 'PASS' },
    });
  });

  it('with the event alone (no stamp) has statuses but names no signing domain', () => {
    expect(readSesVerdicts([], agreeing)).toMatchObject({
      source: 'event',
      dkim: 'PASS',
      hasAuthenticationResults: false,
    });
  });
});

describe('parseAcmMail with the SES receipt event', () => {
  const genuine = fixtureBytes('current-new-text-html');
  const dkim = fixtureDkim();
  const event = (over: Partial<Record<keyof SesReceipt, string>> = {}) =>
    receipt({
      spamVerdict: 'PASS',
      virusVerdict: 'PASS',
      spfVerdict: 'PASS',
      dkimVerdict: 'PASS',
      dmarcVerdict: 'PASS',
      ...over,
    });

  it('is trusted when the event agrees with the stamp and our own DKIM check', async () => {
    expect(await parseAcmMail(genuine, { receipt: event(), dkim })).toMatchObject({ trust: 'trusted', reasons: [] });
  });

  it('is suspicious when the event says the virus scan failed, whatever the stored headers say', async () => {
    const result = await parseAcmMail(genuine, { receipt: event({ virusVerdict: 'FAIL' }), dkim });
    expect(result).toMatchObject({
      trust: 'suspicious',
      reasons: ['event-verdicts-disagree', 'from-acm-unauthenticated', 'virus-fail'],
    });
  });

  it('is suspicious when the event says DMARC failed while the stamp says it passed', async () => {
    const result = await parseAcmMail(genuine, { receipt: event({ dmarcVerdict: 'FAIL' }), dkim });
    expect(result.reasons).toEqual(['dmarc-fail', 'event-verdicts-disagree', 'from-acm-unauthenticated']);
  });

  it("does not take the event's overall DKIM PASS for ACM's signature when the stamp names no domain", async () => {
    const stripped = Buffer.from(
      genuine.toString('latin1').replace(/Authentication-Results:[\s\S]*?(?=X-SES-RECEIPT)/, ''),
      'latin1',
    );
    const result = await parseAcmMail(stripped, { receipt: event(), dkim });
    expect(result).toMatchObject({ trust: 'unverified', reasons: ['no-ses-verdicts'] });
  });
});

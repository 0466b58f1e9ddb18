import { describe, expect, it } from 'vitest';
import { readHeaderBlock } from '../../handlers/core/header-block.js';
import { parseAcmMail } from '../../handlers/core/parse-mail.js';
import { isAcmAuthenticated, readSesAuthentication } from '../../handlers/core/ses-verdicts.js';
import type { SesReceipt } from '../../handlers/core/types.js';
import { fixtureBytes } from '../support/fixtures.js';

const fields = (text: string) => readHeaderBlock(Buffer.from(text.replaceAll('\n', '\r\n')), 65_536).fields;
const SES_TOP = `Return-Path: <x@bounces.certificates.amazon.com>
Received: from a8-30.smtp-out.amazonses.com by inbound-smtp.eu-west-1.amazonaws.com with SMTP id abc
X-SES-Spam-Verdict: PASS
X-SES-Virus-Verdict: PASS
Authentication-Results: amazonses.com; spf=pass; dkim=pass header.i=@certificates.amazon.com; dkim=fail header.d=amazonses.com; dmarc=pass header.from=certificates.amazon.com;
`;
const receipt = (status: Partial<Record<keyof SesReceipt, string>>): SesReceipt =>
  Object.fromEntries(Object.entries(status).map(([key, value]) => [key, { status: value }]));

describe('readSesAuthentication', () => {
  it('reads the block SES stamped on top, with per-domain DKIM results', () => {
    expect(readSesAuthentication(fields(`${SES_TOP}From: a@b.c\n\nbody`))).toEqual({
      source: 'headers',
      spf: 'PASS',
      dkim: 'PASS',
      dmarc: 'PASS',
      spam: 'PASS',
      virus: 'PASS',
      dkimPassDomains: ['certificates.amazon.com'],
      dkimFailDomains: ['amazonses.com'],
    });
  });

  it('finds nothing in a mail SES never received, even with amazonses.com results written by the sender', () => {
    const forged = `Authentication-Results: amazonses.com; dkim=pass header.i=@certificates.amazon.com
X-SES-Spam-Verdict: PASS
From: no-reply@certificates.amazon.com

body`;
    expect(readSesAuthentication(fields(forged))).toBeNull();
  });

  it("ignores a second Authentication-Results right under SES's own", () => {
    const block = `Received: from x by inbound-smtp.us-east-1.amazonaws.com with SMTP id a
Authentication-Results: amazonses.com; dkim=pass header.i=@evil.example; dmarc=fail
Authentication-Results: amazonses.com; dkim=pass header.i=@certificates.amazon.com; dmarc=pass
`;
    const ses = readSesAuthentication(fields(`${block}\nbody`));
    expect(ses?.dkimPassDomains).toEqual(['evil.example']);
    expect(ses?.dmarc).toBe('FAIL');
  });

  it('ignores an Authentication-Results from another authserv-id', () => {
    const block = `Received: from x by inbound-smtp.us-east-1.amazonaws.com with SMTP id a
Authentication-Results: mx.evil.example; dkim=pass header.i=@certificates.amazon.com
`;
    expect(readSesAuthentication(fields(`${block}\nbody`))?.dkimPassDomains).toEqual([]);
  });

  it("prefers the receipt event's statuses and keeps the stamped per-domain results", () => {
    const ses = readSesAuthentication(
      fields(`${SES_TOP}\nbody`),
      receipt({
        spamVerdict: 'FAIL',
        virusVerdict: 'PASS',
        spfVerdict: 'GRAY',
        dkimVerdict: 'PASS',
        dmarcVerdict: 'PASS',
      }),
    );
    expect(ses).toMatchObject({
      source: 'event+headers',
      spam: 'FAIL',
      spf: 'GRAY',
      dkimPassDomains: ['certificates.amazon.com'],
    });
  });
});

describe('isAcmAuthenticated', () => {
  const base = readSesAuthentication([], receipt({ dkimVerdict: 'PASS', dmarcVerdict: 'GRAY' }));
  it("does not take the event's overall DKIM PASS for ACM's signature", () => {
    expect(base && isAcmAuthenticated(base, 'certificates.amazon.com')).toBe(false);
  });
  it('takes a DMARC pass aligned with an ACM From', () => {
    const dmarc = readSesAuthentication([], receipt({ dmarcVerdict: 'PASS' }));
    expect(dmarc && isAcmAuthenticated(dmarc, 'certificates.amazon.com')).toBe(true);
    expect(dmarc && isAcmAuthenticated(dmarc, 'evil.example')).toBe(false);
  });
});

describe('parseAcmMail with the SES receipt event', () => {
  const genuine = fixtureBytes('current-new-text-html');

  it('is trusted when the event agrees with the stamp', async () => {
    const result = await parseAcmMail(genuine, {
      receipt: receipt({
        spamVerdict: 'PASS',
        virusVerdict: 'PASS',
        spfVerdict: 'PASS',
        dkimVerdict: 'PASS',
        dmarcVerdict: 'PASS',
      }),
    });
    expect(result.trust).toBe('trusted');
  });

  it('is suspicious when the event says the virus scan failed, whatever the stored headers say', async () => {
    const result = await parseAcmMail(genuine, { receipt: receipt({ virusVerdict: 'FAIL', dkimVerdict: 'PASS' }) });
    expect(result).toMatchObject({ trust: 'suspicious', reasons: ['virus-fail'] });
  });

  it('is suspicious when the event says DMARC failed', async () => {
    const result = await parseAcmMail(genuine, { receipt: receipt({ dmarcVerdict: 'FAIL', dkimVerdict: 'PASS' }) });
    expect(result.reasons).toEqual(['dmarc-fail']);
  });
});

import { describe, expect, it } from 'vitest';
import { checkProbe, probeTokenValue, speaksForSender } from '../../../handlers/core/canary/probe-check.js';
import type { ProbeToken } from '../../../handlers/core/canary/token.js';
import type { SesVerdicts } from '../../../handlers/core/ses-verdicts.js';
import { exampleConfiguration } from '../../support/configuration.js';

describe('which DKIM signing domains speak for our sender', () => {
  it.each([
    ['notify.example.org', 'notify.example.org', true],
    ['NOTIFY.Example.ORG', 'notify.example.org', true],
    ['example.org', 'notify.example.org', true],
    ['org', 'notify.example.org', false],
    ['amazonses.com', 'notify.example.org', false],
    ['notify-example.org', 'notify.example.org', false],
    ['xnotify.example.org', 'notify.example.org', false],
    ['notify.example.org.attacker.example', 'notify.example.org', false],
    ['mail.notify.example.org', 'notify.example.org', false],
    ['other.example.org', 'notify.example.org', false],
    ['xample.org', 'notify.example.org', false],
    ['example.org.', 'notify.example.org', false],
    ['example.com', 'notify.example.org', false],
    // Private suffixes (PSL private section) count as public ones: github.io signs for no one's site.
    ['github.io', 'notify.team.github.io', false],
    ['team.github.io', 'notify.team.github.io', true],
    // A public suffix is never an organisation: co.uk cannot vouch for mail.shop.co.uk.
    ['shop.co.uk', 'mail.shop.co.uk', true],
    ['co.uk', 'mail.shop.co.uk', false],
    ['uk', 'mail.shop.co.uk', false],
  ])('%s for a sender at %s: %s', (signer, sender, expected) => {
    expect(speaksForSender(signer, sender)).toBe(expected);
  });

  it('a statement that names no domain speaks for no one', () => {
    expect(speaksForSender(null, 'notify.example.org')).toBe(false);
  });
});

describe('the value to verify', () => {
  it('is the one field on one line, and nothing else', () => {
    expect(probeTokenValue([{ value: 'v1; x', folded: false }])).toBe('v1; x');
    expect(probeTokenValue([{ value: 'v1; x', folded: true }])).toBeNull();
    expect(probeTokenValue([])).toBeNull();
    expect(
      probeTokenValue([
        { value: 'a', folded: false },
        { value: 'a', folded: false },
      ]),
    ).toBeNull();
  });
});

describe('checkProbe', () => {
  const config = exampleConfiguration();
  const token: ProbeToken = {
    runId: '20261126T060000Z-1a2b3c4d',
    address: 'admin@example.net',
    sentAt: '2026-11-26T06:00:00Z',
    nonce: 'A'.repeat(22),
    mac: 'B'.repeat(43),
  };
  const ses: SesVerdicts = {
    source: 'event+headers',
    spf: 'PASS',
    dkim: 'PASS',
    dmarc: 'PASS',
    spam: 'PASS',
    virus: 'PASS',
    stamped: { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'PASS', virus: 'PASS' },
    hasAuthenticationResults: true,
    dkimResults: [{ domain: 'notify.example.org', status: 'PASS' }],
    dmarcHeaderFrom: 'notify.example.org',
    findings: [],
  };
  const evidence = {
    probeFields: [{ value: 'v1; ...', folded: false }],
    headerCut: false,
    from: 'acm-mail@notify.example.org',
    ses,
    recipients: ['admin@example.net'],
    token: { ok: true as const, token },
  };

  it('passes a probe that holds every rule, with its target', () => {
    expect(checkProbe(evidence, config)).toEqual({
      ok: true,
      token,
      target: { address: 'admin@example.net', domain: 'example.net', path: 'ses' },
    });
  });

  it('gives every failed rule its own reason, sorted', () => {
    const check = checkProbe(
      {
        ...evidence,
        from: 'mallory@attacker.example',
        ses: { ...ses, spam: 'FAIL', dkimResults: [{ domain: 'amazonses.com', status: 'PASS' }] },
        recipients: ['webmaster@example.net'],
      },
      config,
    );
    expect(check).toEqual({
      ok: false,
      reasons: ['probe-not-from-our-sender', 'probe-spam-or-virus', 'probe-without-our-dkim', 'probe-wrong-recipient'],
      claimed: { runId: token.runId, address: token.address },
    });
  });

  it('refuses a DMARC result for another From, an event DKIM FAIL, and verdicts with findings', () => {
    const reasonsOf = (changed: Partial<SesVerdicts>) => {
      const check = checkProbe({ ...evidence, ses: { ...ses, ...changed } }, config);
      return check.ok ? [] : check.reasons;
    };
    expect(reasonsOf({ dmarcHeaderFrom: 'attacker.example' })).toEqual(['probe-without-our-dkim']);
    expect(reasonsOf({ dkim: 'FAIL' })).toEqual(['probe-without-our-dkim']);
    expect(reasonsOf({ findings: ['event-verdicts-disagree'] })).toEqual([
      'probe-ses-verdicts-unreliable',
      'probe-without-our-dkim',
    ]);
  });

  it('needs all five verdicts in the receipt event, and its DKIM verdict PASS (red team D23, D30)', () => {
    const reasonsOf = (changed: Partial<SesVerdicts>) => {
      const check = checkProbe({ ...evidence, ses: { ...ses, ...changed } }, config);
      return check.ok ? [] : check.reasons;
    };
    // No event at all: the statuses are the stamp's, which a probe never stands on alone.
    expect(reasonsOf({ source: 'headers' })).toEqual(['probe-ses-event-incomplete']);
    expect(reasonsOf({ dkim: null })).toEqual(['probe-ses-event-incomplete', 'probe-without-our-dkim']);
    for (const verdict of ['spf', 'dmarc', 'spam', 'virus'] as const) {
      expect(reasonsOf({ [verdict]: null })).toEqual(['probe-ses-event-incomplete']);
    }
    // Not FAIL is not enough for DKIM: GRAY or PROCESSING_FAILED says SES could not tell.
    expect(reasonsOf({ dkim: 'GRAY' })).toEqual(['probe-without-our-dkim']);
    expect(reasonsOf({ dkim: 'PROCESSING_FAILED' })).toEqual(['probe-without-our-dkim']);
    // SPF need not pass: the corporate forward breaks it.
    expect(reasonsOf({ spf: 'FAIL' })).toEqual([]);
  });

  it("refuses a FAIL in SES's stamp where the event says nothing or PASS (red team D28, D29)", () => {
    const reasonsOf = (event: Partial<SesVerdicts>, stamped: Partial<SesVerdicts['stamped']>) => {
      const check = checkProbe(
        { ...evidence, ses: { ...ses, ...event, stamped: { ...ses.stamped, ...stamped } } },
        config,
      );
      return check.ok ? [] : check.reasons;
    };
    expect(reasonsOf({ spam: null }, { spam: 'FAIL' })).toEqual(['probe-ses-event-incomplete', 'probe-spam-or-virus']);
    expect(reasonsOf({ virus: null }, { virus: 'FAIL' })).toEqual([
      'probe-ses-event-incomplete',
      'probe-spam-or-virus',
    ]);
    expect(reasonsOf({}, { spam: 'FAIL' })).toEqual(['probe-spam-or-virus']);
    expect(reasonsOf({}, { virus: 'FAIL' })).toEqual(['probe-spam-or-virus']);
    expect(reasonsOf({}, { dmarc: 'FAIL' })).toEqual(['probe-without-our-dkim']);
    expect(reasonsOf({}, { dkim: 'FAIL' })).toEqual(['probe-without-our-dkim']);
  });

  it('is never a probe from a header block cut at the limit, and reads no token from one (red team H25)', () => {
    const check = checkProbe({ ...evidence, headerCut: true }, config);
    expect(check.ok).toBe(false);
    expect(check.ok ? [] : check.reasons).toEqual(['probe-header-cut']);
    expect(probeTokenValue([{ value: 'v1; x', folded: false }], true)).toBeNull();
  });

  it('is never a probe without a verified token, even when nothing else failed', () => {
    const check = checkProbe({ ...evidence, token: null }, config);
    expect(check.ok).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { duration, lateArrivalNotice, lateArrivalRecipients } from '../../../handlers/core/canary/late-arrival.js';
import { missingProbeAnchor, missingProbeSubject } from '../../../handlers/core/canary/missing-alert.js';
import type { ProbeRecord } from '../../../handlers/core/state.js';
import { exampleConfiguration } from '../../support/configuration.js';

const probe: ProbeRecord = {
  runId: '20261126T060000Z-1a2b3c4d',
  address: 'admin@example.com',
  domain: 'example.com',
  path: 'forwarded',
  sentAt: '2026-11-26T06:00:00Z',
  checkAt: '2026-11-26T06:30:00Z',
  arrivedAt: '2026-11-26T09:45:00.000Z',
  arrivalMessageId: 'm-1',
  missingAlertedAt: '2026-11-26T06:30:04.000Z',
  lateClearedAt: null,
};

describe('the late-arrival follow-up', () => {
  it('threads on the missing alert by subject and anchor, as the canary writes them', () => {
    const notice = lateArrivalNotice({
      probe,
      arrivedAt: probe.arrivedAt as string,
      senderDomain: 'notify.example.org',
    });
    expect(missingProbeSubject(probe.address, probe.runId)).toBe(
      '[ACM canary] No probe arrived at admin@example.com (run 20261126T060000Z-1a2b3c4d)',
    );
    expect(notice.mail.subject).toBe(`Re: ${missingProbeSubject(probe.address, probe.runId)}`);
    expect(missingProbeAnchor(probe.runId, probe.address, 'notify.example.org')).toMatch(
      /^<acm-canary\.[0-9a-f]{32}@notify\.example\.org>$/,
    );
    expect(notice.anchor).toBe(missingProbeAnchor(probe.runId, probe.address, 'notify.example.org'));
  });

  it('says which address, sent when, arrived when and how late, the same in text and HTML', () => {
    const { mail } = lateArrivalNotice({ probe, arrivedAt: '2026-11-26T09:45:00.000Z', senderDomain: 'x.example' });
    for (const [label, value] of [
      ['Address', 'admin@example.com'],
      ['Sent', '2026-11-26 06:00 UTC'],
      ['Expected by', '2026-11-26 06:30 UTC'],
      ['Reported missing', '2026-11-26 06:30 UTC'],
      ['Arrived', '2026-11-26 09:45 UTC'],
      ['Late by', '3 h 15 min'],
    ]) {
      expect(mail.text).toMatch(new RegExp(`${label}: +${value}`));
      expect(mail.html).toContain(`>${label}</th><td>${value}</td>`);
    }
    expect(mail.text).toContain(
      'It arrived 3 h 45 min after it was sent, 3 h 15 min after the canary reported it missing.',
    );
  });

  it('goes to the security contact and the digest recipients of every owner whose rule covers the domain', () => {
    const config = exampleConfiguration();
    expect(lateArrivalRecipients('example.com', config)).toEqual([
      'security@example.org',
      'platform-leads@example.org',
    ]);
    expect(lateArrivalRecipients('shop.example.net', config)).toEqual([
      'security@example.org',
      'shop-leads@example.org',
    ]);
    // No rule covers example.net itself: the fallback owner's.
    expect(lateArrivalRecipients('example.net', config)).toEqual([
      'security@example.org',
      'platform-leads@example.org',
    ]);
  });

  it('counts durations in whole minutes, never negative', () => {
    expect(duration('2026-11-26T06:00:00Z', '2026-11-26T06:00:59Z')).toBe('0 min');
    expect(duration('2026-11-26T06:00:00Z', '2026-11-26T07:05:00Z')).toBe('1 h 5 min');
    expect(duration('2026-11-26T07:00:00Z', '2026-11-26T06:00:00Z')).toBe('0 min');
  });
});

/** The events handler's decisions, one test per branch: pure values in, one decision out. */
import { describe, expect, it } from 'vitest';
import { type AcmCertificateEvent, readAcmEvent } from '../../../handlers/core/acm-events/acm-event.js';
import {
  type DescribedCertificate,
  decideAcmEvent,
  mailExpectation,
  RENEWAL_MAIL_GRACE_DAYS,
  renewalWindowOf,
} from '../../../handlers/core/acm-events/decide.js';
import { type AcmEventFixture, acmEventWith, requestState } from '../../support/acm-events.js';

function event(name: AcmEventFixture, change: Parameters<typeof acmEventWith>[1] = {}): AcmCertificateEvent {
  const reading = readAcmEvent(acmEventWith(name, change));
  if (reading.kind !== 'event') throw new Error(`fixture ${name} unreadable: ${reading.reasons.join('; ')}`);
  return reading.event;
}

const emailDescribed: DescribedCertificate = {
  type: 'AMAZON_ISSUED',
  validationMethod: 'EMAIL',
  domainName: 'api.example.com',
  notAfter: '2026-12-21T06:51:08.000Z',
};

describe('ACM Certificate Available', () => {
  it('closes the open requests of the certificate', () => {
    const open = requestState();
    const decision = decideAcmEvent({ event: event('available'), requests: [open], described: null });
    expect(decision).toEqual({ outcome: 'issued', close: [open] });
  });

  it('leaves requests another event already recorded as issued, and resumes its own', () => {
    const byOther = requestState({ key: 'a', issuedAt: '2026-11-20T00:00:00Z', issuedByEvent: 'other' });
    const byThis = requestState({
      key: 'b',
      issuedAt: '2026-11-20T00:00:00Z',
      issuedByEvent: '4f1a8c3e-2b7d-4e59-9a61-0c5d8e7f3b21',
    });
    const decision = decideAcmEvent({ event: event('available'), requests: [byOther, byThis], described: null });
    expect(decision).toEqual({ outcome: 'issued', close: [byThis] });
  });

  it('is issued-no-request with no open request (DNS-validated, or its mail never came to us)', () => {
    expect(decideAcmEvent({ event: event('available'), requests: [], described: null })).toEqual({
      outcome: 'issued-no-request',
    });
  });
});

describe('ACM Certificate Expired', () => {
  it('is recorded with the requests still open', () => {
    const open = requestState();
    expect(decideAcmEvent({ event: event('expired'), requests: [open], described: null })).toEqual({
      outcome: 'expired',
      openRequestKeys: [open.key],
    });
  });
});

describe('a renewal due (Renewal Action Required, Approaching Expiration)', () => {
  it('alerts when the certificate is email-validated and no mail arrived since the window opened', () => {
    const decision = decideAcmEvent({ event: event('renewal-action-required'), requests: [], described: null });
    expect(decision).toEqual({
      outcome: 'renewal-mail-missing',
      domain: 'www.example.com',
      window: { start: '2026-11-05T23:59:59.000Z', certificateExpiresAt: '2026-12-20T23:59:59.000Z' },
      expectation: { expected: true, because: 'event' },
    });
  });

  it('does nothing when approval mail for it arrived in the window', () => {
    const arrived = requestState({ key: 'r', renewal: true, latestReceivedAt: '2026-11-10T00:00:00.000Z' });
    const before = requestState({ key: 'old', latestReceivedAt: '2025-11-10T00:00:00.000Z' });
    const decision = decideAcmEvent({
      event: event('renewal-action-required'),
      requests: [before, arrived],
      described: null,
    });
    expect(decision).toEqual({ outcome: 'renewal-mail-arrived', requestKeys: ['r'] });
  });

  it('alerts when the only mail for it came before the window (last year)', () => {
    const before = requestState({ latestReceivedAt: '2025-11-10T00:00:00.000Z' });
    expect(
      decideAcmEvent({ event: event('renewal-action-required'), requests: [before], described: null }).outcome,
    ).toBe('renewal-mail-missing');
  });

  it(`waits ${RENEWAL_MAIL_GRACE_DAYS} days after the window opens before calling mail missing`, () => {
    const early = event('renewal-action-required', { time: '2026-11-07T00:00:00Z' });
    expect(decideAcmEvent({ event: early, requests: [], described: null })).toMatchObject({
      outcome: 'renewal-window-opening',
    });
    const due = event('renewal-action-required', { time: '2026-11-09T00:00:00Z' });
    expect(decideAcmEvent({ event: due, requests: [], described: null }).outcome).toBe('renewal-mail-missing');
  });

  it('expects no mail for a DNS-validated, imported or private certificate', () => {
    const dns = event('renewal-action-required', { detail: { DomainValidationMethod: 'DNS' } });
    expect(decideAcmEvent({ event: dns, requests: [], described: null })).toEqual({
      outcome: 'renewal-not-email-validated',
      method: 'DNS',
    });
    const imported = event('approaching-expiration');
    expect(
      decideAcmEvent({ event: imported, requests: [], described: { ...emailDescribed, type: 'IMPORTED' } }),
    ).toEqual({ outcome: 'renewal-not-email-validated', method: 'IMPORTED' });
    const privateCa = event('renewal-action-required', { detail: { CertificateType: 'PRIVATE' } });
    expect(decideAcmEvent({ event: privateCa, requests: [], described: null }).outcome).toBe(
      'renewal-not-email-validated',
    );
  });

  it("asks ACM's answer when the event does not say (Approaching Expiration): EMAIL alerts, DNS does not", () => {
    const approaching = event('approaching-expiration');
    expect(decideAcmEvent({ event: approaching, requests: [], described: emailDescribed })).toMatchObject({
      outcome: 'renewal-mail-missing',
      domain: 'api.example.com',
      expectation: { expected: true, because: 'acm' },
      window: { certificateExpiresAt: '2026-12-21T06:51:08.000Z', start: '2026-11-06T06:51:08.000Z' },
    });
    expect(
      decideAcmEvent({ event: approaching, requests: [], described: { ...emailDescribed, validationMethod: 'DNS' } }),
    ).toEqual({ outcome: 'renewal-not-email-validated', method: 'DNS' });
  });

  it('takes a certificate whose approval mail reached us before as email-validated', () => {
    const before = requestState({ latestReceivedAt: '2025-11-10T00:00:00.000Z' });
    expect(mailExpectation(event('approaching-expiration'), null, [before])).toEqual({
      expected: true,
      because: 'mail-seen',
    });
    expect(
      decideAcmEvent({ event: event('approaching-expiration'), requests: [before], described: null }).outcome,
    ).toBe('renewal-mail-missing');
  });

  it('does not alert when it cannot be known whether mail is expected (no status role, no mail ever)', () => {
    expect(decideAcmEvent({ event: event('approaching-expiration'), requests: [], described: null })).toEqual({
      outcome: 'renewal-unknown',
      why: 'validation method unknown (no status role for the account, or ACM unreachable)',
    });
  });

  it('does not alert without an expiry (no DaysToExpiry, no expiration date, no ACM answer)', () => {
    const noExpiry = event('approaching-expiration', { detail: { DaysToExpiry: null } });
    expect(decideAcmEvent({ event: noExpiry, requests: [], described: { ...emailDescribed, notAfter: null } })).toEqual(
      { outcome: 'renewal-unknown', why: 'the certificate expiry is unknown' },
    );
    expect(renewalWindowOf(noExpiry, emailDescribed)).toEqual({
      start: '2026-11-06T06:51:08.000Z',
      certificateExpiresAt: '2026-12-21T06:51:08.000Z',
    });
  });

  it('has no window, rather than a crash, when the expiry lies where no date can be written', () => {
    // The reader refuses such times (acm-event.test.ts); this guard holds for any event value that reaches it.
    const atTheEdge: AcmCertificateEvent = {
      ...event('approaching-expiration', { detail: { DaysToExpiry: 3650 } }),
      time: '+275760-09-12T00:00:00.000Z',
    };
    expect(() => renewalWindowOf(atTheEdge, null)).not.toThrow();
    expect(renewalWindowOf(atTheEdge, null)).toBeNull();
  });
});

/** Reading ACM's events: every documented type, and untrusted input that is not one. */
import { describe, expect, it } from 'vitest';
import { ACM_EVENT_TYPES, readAcmEvent } from '../../../handlers/core/acm-events/acm-event.js';
import { ACM_EVENT_FIXTURES, acmEventFixture, acmEventWith } from '../../support/acm-events.js';

describe('readAcmEvent', () => {
  it.each(ACM_EVENT_FIXTURES)('reads the %s fixture', (name) => {
    const reading = readAcmEvent(acmEventFixture(name));
    expect(reading.kind).toBe('event');
  });

  it('reads every field of Available', () => {
    expect(readAcmEvent(acmEventFixture('available'))).toEqual({
      kind: 'event',
      event: {
        id: '4f1a8c3e-2b7d-4e59-9a61-0c5d8e7f3b21',
        type: ACM_EVENT_TYPES.available,
        accountId: '184694211251',
        region: 'eu-west-1',
        time: '2026-11-20T09:41:17.000Z',
        certificateArn: 'arn:aws:acm:eu-west-1:184694211251:certificate/975243f7-b501-4ee8-a0dc-69991761dbe0',
        commonName: 'shop.example.net',
        daysToExpiry: 395,
        expiresAt: '2027-12-19T23:59:59.000Z',
        validationMethod: 'EMAIL',
        certificateType: 'AMAZON_ISSUED',
        action: 'ISSUANCE',
        renewalStatusReason: null,
      },
    });
  });

  it("reads Approaching Expiration's two detail fields, the rest null", () => {
    const reading = readAcmEvent(acmEventFixture('approaching-expiration'));
    expect(reading.kind === 'event' && reading.event).toMatchObject({
      type: 'ACM Certificate Approaching Expiration',
      daysToExpiry: 31,
      commonName: 'api.example.com',
      expiresAt: null,
      validationMethod: null,
      certificateType: null,
    });
  });

  it.each([
    ['another source', { source: 'acm-validation-mail' }, /source: "acm-validation-mail" is not "aws.acm"/],
    ['another detail-type', { 'detail-type': 'ACM Certificate Rotated' }, /detail-type: "ACM Certificate Rotated"/],
    ['no certificate', { resources: [] }, /resources\[0\]: missing is not valid/],
    [
      'a certificate of another account',
      { account: '133914839485' },
      /account 184694211251 is not the event's account 133914839485/,
    ],
    [
      'a certificate of another region',
      { region: 'us-east-1' },
      /region eu-west-1 is not the event's region us-east-1/,
    ],
    ['a bad time', { time: 'yesterday' }, /time: "yesterday" is not valid/],
    ['a bad account', { account: '1234' }, /account: "1234" is not valid/],
    // The same certificate written under another partition would be a second certificate, alerted again.
    [
      'a certificate in another partition than its region',
      {
        resources: ['arn:aws-cn:acm:eu-west-1:184694211251:certificate/975243f7-b501-4ee8-a0dc-69991761dbe0'],
      },
      /partition aws-cn is not the partition of region eu-west-1/,
    ],
    ['a time past what a date can hold', { time: '+275760-09-13T00:00:00Z' }, /time: "\+275760-09-13T00:00:00Z"/],
  ])('finds %s unreadable, naming the field and the value', (_, change, reason) => {
    const reading = readAcmEvent(acmEventWith('available', change));
    expect(reading.kind).toBe('unreadable');
    expect(reading.kind === 'unreadable' && reading.reasons.join('; ')).toMatch(reason);
  });

  it('never crashes on input that is not an object, and keeps no long text', () => {
    for (const raw of [null, 42, 'text', [], { detail: 'x' }]) expect(readAcmEvent(raw).kind).toBe('unreadable');
    const long = readAcmEvent(
      acmEventWith('available', { detail: { CommonName: 'a'.repeat(10_000), DaysToExpiry: 1e9 } }),
    );
    expect(long.kind === 'event' && [long.event.commonName, long.event.daysToExpiry]).toEqual([null, null]);
    const reading = readAcmEvent({ ...acmEventFixture('available'), source: 'x'.repeat(10_000) });
    expect(reading.kind === 'unreadable' && reading.reasons[0]?.length).toBeLessThan(200);
  });

  it("keeps a renewal status reason only in ACM's vocabulary: a link or other text in it is dropped", () => {
    const reason = (value: unknown) => {
      const reading = readAcmEvent(acmEventWith('renewal-action-required', { detail: { RenewalStatusReason: value } }));
      return reading.kind === 'event' ? reading.event.renewalStatusReason : 'unreadable';
    };
    expect(reason('PENDING_DOMAIN_VALIDATION')).toBe('PENDING_DOMAIN_VALIDATION');
    expect(reason('https://eu-west-1.certificates.amazon.com/approvals?code=x&context=y')).toBeNull();
    expect(reason('NO_AVAILABLE_CONTACTS\nBcc: x@example.org')).toBeNull();
    expect(reason(42)).toBeNull();
  });

  it('takes an unknown validation method as unknown', () => {
    const reading = readAcmEvent(
      acmEventWith('renewal-action-required', { detail: { DomainValidationMethod: 'HTTP' } }),
    );
    expect(reading.kind === 'event' && reading.event.validationMethod).toBeNull();
  });
});

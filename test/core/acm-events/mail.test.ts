/** The closing follow-up and the missing-mail alert: what they say and what they never carry. */
import { describe, expect, it } from 'vitest';
import { readAcmEvent } from '../../../handlers/core/acm-events/acm-event.js';
import { renderIssuedFollowUp, renderRenewalMailMissingAlert } from '../../../handlers/core/acm-events/mail.js';
import { acmEventFixture, acmEventWith, requestState } from '../../support/acm-events.js';

const eventOf = (raw: Record<string, unknown>) => {
  const reading = readAcmEvent(raw);
  if (reading.kind !== 'event') throw new Error('unreadable fixture');
  return reading.event;
};

describe('the issued follow-up', () => {
  it("replies under the first ticket's subject and says the ticket can be closed", () => {
    const mail = renderIssuedFollowUp(requestState(), eventOf(acmEventFixture('available')), 'shop-prod');
    expect(mail.subject).toBe('Re: [ACM approval] new shop.example.net (shop-prod)');
    expect(mail.text).toMatch(
      /^Issued: ACM says the certificate for shop\.example\.net is issued\. You can close this ticket/,
    );
    expect(mail.text).toContain('shop-prod (184694211251)');
    expect(mail.text).toContain('2026-11-20 09:41 UTC');
    expect(mail.html).toContain('You can close this ticket');
  });

  it('says renewed for a renewal', () => {
    const mail = renderIssuedFollowUp(
      requestState(),
      eventOf(acmEventWith('available', { detail: { Action: 'RENEWAL' } })),
      null,
    );
    expect(mail.text).toContain('is issued (renewed)');
  });
});

describe('the missing-mail alert', () => {
  const event = eventOf(acmEventFixture('renewal-action-required'));
  const facts = {
    event,
    window: { start: '2026-11-05T23:59:59.000Z', certificateExpiresAt: '2026-12-20T23:59:59.000Z' },
    domain: 'www.example.com',
    accountName: 'portal-prod',
    owner: 'platform',
    knownBy: 'event' as const,
    receivingRegion: 'eu-west-1',
  };

  it('names the certificate and what to check: MX, the five mailboxes of the validation domain, forwarding', () => {
    const mail = renderRenewalMailMissingAlert(facts);
    expect(mail.subject).toBe('[ACM renewal] Renewal due but no approval mail arrived: www.example.com (portal-prod)');
    expect(mail.text).toContain('MX 10 inbound-smtp.eu-west-1.amazonaws.com');
    expect(mail.text).toContain(
      'admin@example.com, administrator@example.com, hostmaster@example.com, postmaster@example.com, webmaster@example.com',
    );
    expect(mail.text).toMatch(/Forwarding: /);
    expect(mail.text).toContain(event.certificateArn);
    expect(mail.text).toContain('PENDING_DOMAIN_VALIDATION');
    expect(mail.text).toContain('2026-12-20 23:59 UTC');
  });

  it('defangs a CommonName that carries a link (anyone who can put events on the bus wrote it)', () => {
    const mail = renderRenewalMailMissingAlert({ ...facts, domain: 'https://evil.example/approvals?code=1' });
    expect(mail.text).not.toContain('https://evil.example');
    expect(mail.subject).not.toContain('https://');
  });
});

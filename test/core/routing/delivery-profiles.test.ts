import { describe, expect, it } from 'vitest';
import { TICKET_SYSTEMS } from '../../../handlers/core/configuration/schema.js';
import {
  DELIVERY_PROFILES,
  PROJECT_HEADER,
  personMailHeaders,
  projectHeaderValue,
  queueMailHeaders,
  queueThreading,
} from '../../../handlers/core/routing/delivery-profiles.js';
import { requestDigest, requestKey, threadAnchor } from '../../../handlers/core/routing/request-key.js';

const ANCHOR = '<acm-request.0123456789abcdef0123456789abcdef@notify.example.org>';
const FIRST_TICKET = '<0102019a-first@eu-west-1.amazonses.com>';
const TICKET_SYSTEMS_BUT_MAIL = TICKET_SYSTEMS.filter((system) => system !== 'mail');

describe('delivery profiles: header fields', () => {
  it.each(TICKET_SYSTEMS_BUT_MAIL)('%s: only the project header, nothing that says "automatic" or "bulk"', (system) => {
    for (const kind of ['ticket', 'follow-up', 'summary'] as const) {
      const headers = queueMailHeaders(system, kind, 'abc');
      expect(headers).toEqual({ [PROJECT_HEADER]: projectHeaderValue(kind, 'abc') });
      const names = Object.keys(headers).map((name) => name.toLowerCase());
      for (const dropped of ['auto-submitted', 'x-auto-response-suppress', 'precedence', 'return-path']) {
        expect(names).not.toContain(dropped);
      }
    }
  });

  it('mail: the project header and the automatic headers a mailbox or list needs (RFC 3834)', () => {
    expect(queueMailHeaders('mail', 'ticket', 'abc')).toEqual({
      'X-ACM-Validation-Mail': 'ticket; request=abc',
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
    });
    expect(Object.keys(queueMailHeaders('mail', 'ticket', 'abc'))).not.toContain('Precedence');
  });

  it('mail to people (alerts, digests) is automatic and ours', () => {
    expect(personMailHeaders('alert')).toEqual({
      'X-ACM-Validation-Mail': 'alert',
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
    });
  });

  it('the project header names the request by the digest its thread anchor carries, nothing of the ARN', () => {
    const key = requestKey({
      certificateArn: 'arn:aws:acm:eu-west-1:184694211251:certificate/0b5c1f3e-0000-4000-8000-000000000001',
      domain: 'shop.example.com',
    });
    const value = projectHeaderValue('ticket', requestDigest(key));
    expect(value).toMatch(/^ticket; request=[0-9a-f]{32}$/);
    expect(threadAnchor(key, 'notify.example.org')).toBe(`<acm-request.${requestDigest(key)}@notify.example.org>`);
    expect(value).not.toContain('184694211251');
    expect(projectHeaderValue('summary')).toBe('summary');
  });

  it('every system has a profile, and only mail may say it is automatic', () => {
    expect(Object.keys(DELIVERY_PROFILES).sort()).toEqual([...TICKET_SYSTEMS].sort());
    expect(TICKET_SYSTEMS.filter((system) => DELIVERY_PROFILES[system].marksAutomatic)).toEqual(['mail']);
  });
});

describe('delivery profiles: threading', () => {
  it.each(TICKET_SYSTEMS)('%s: a first ticket references the anchor and replies to nothing', (system) => {
    expect(queueThreading(system, { anchor: ANCHOR, firstTicket: null }, false)).toEqual({
      references: [ANCHOR],
      inReplyTo: undefined,
    });
  });

  it.each(TICKET_SYSTEMS_BUT_MAIL)('%s: a follow-up replies to the first ticket mail the queue received', (system) => {
    expect(queueThreading(system, { anchor: ANCHOR, firstTicket: FIRST_TICKET }, true)).toEqual({
      references: [ANCHOR, FIRST_TICKET],
      inReplyTo: FIRST_TICKET,
    });
  });

  it('mail: a follow-up replies to the anchor, as before, and references the first ticket', () => {
    expect(queueThreading('mail', { anchor: ANCHOR, firstTicket: FIRST_TICKET }, true)).toEqual({
      references: [ANCHOR, FIRST_TICKET],
      inReplyTo: ANCHOR,
    });
  });

  it.each(
    TICKET_SYSTEMS,
  )('%s: a follow-up to a queue that never got the first ticket replies to the anchor', (system) => {
    expect(queueThreading(system, { anchor: ANCHOR, firstTicket: null }, true)).toEqual({
      references: [ANCHOR],
      inReplyTo: ANCHOR,
    });
  });
});

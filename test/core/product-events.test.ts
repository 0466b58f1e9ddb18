/** The product events' size rule (core/product-events.ts) and the builders of the router's events, pure. */
import { describe, expect, it } from 'vitest';
import { parseConfiguration } from '../../handlers/core/configuration/index.js';
import {
  type ProductEvent,
  PUT_EVENTS_MAX_ENTRY_BYTES,
  productEventEntryBytes,
  shrinkToFit,
} from '../../handlers/core/product-events.js';
import type { RouteDecision } from '../../handlers/core/routing/delivery.js';
import { approvalRequestedEvent, securityAlertEvent } from '../../handlers/core/routing/product-events-out.js';
import { exampleJson } from '../support/configuration.js';

const config = parseConfiguration(exampleJson(), 'example');
const owner = config.owners.find((o) => o.name === 'web-shop');
if (owner === undefined) throw new Error('the example has no web-shop owner');
const LINK = 'https://eu-west-1.acm-certificates.amazon.com/approvals?code=74d429cc&context=0f8c4a2e';
const ARN = 'arn:aws:acm:eu-west-1:184694211251:certificate/0f8c4a2e-0000-4000-8000-000000000001';

function decision(authenticated: boolean, snsApprovalLinks: boolean): RouteDecision {
  return {
    outcome: 'route',
    approval: {
      domain: 'shop.example.com',
      accountId: '184694211251',
      region: 'eu-west-1',
      certificateId: '0f8c4a2e-0000-4000-8000-000000000001',
      certificateArn: ARN,
      approvalUrl: LINK,
      renewal: false,
      expiresAt: null,
    },
    owner: { ...(owner as RouteDecision['owner']), snsApprovalLinks },
    authenticated,
    reasons: [],
  };
}

const routed = (authenticated: boolean, optedIn: boolean) =>
  approvalRequestedEvent({
    decision: decision(authenticated, optedIn),
    arrival: { messageId: 'm1', receivedAt: '2026-11-25T09:00:00.000Z', recipients: ['admin@example.com'] },
    requestKey: `${ARN}|shop.example.com`,
    followUp: false,
    accountName: 'shop-prod',
    approvalDeadline: '2026-11-28T09:00:00.000Z',
    ticketSubject: '[ACM approval] new shop.example.com',
    at: new Date('2026-11-25T09:00:05Z'),
  });

describe('ACM Approval Requested', () => {
  it('carries the link only from trusted mail, for an owner who opted in', () => {
    expect(routed(true, true).detail).toHaveProperty('approvalLink', LINK);
    for (const [authenticated, optedIn] of [
      [true, false],
      [false, true],
      [false, false],
    ] as const) {
      const event = routed(authenticated, optedIn);
      expect(event.detail).not.toHaveProperty('approvalLink');
      expect(JSON.stringify(event)).not.toContain('code=');
    }
  });

  it('is keyed by the message, about the certificate, at the time of the outcome', () => {
    expect(routed(true, false)).toMatchObject({
      detailType: 'ACM Approval Requested',
      resources: [ARN],
      time: '2026-11-25T09:00:05.000Z',
      detail: { schemaVersion: '1', outcomeKey: 'm1', owner: 'web-shop', trust: 'trusted', kind: 'new' },
    });
  });
});

describe('ACM Approval Security Alert', () => {
  const alert = (outcome: 'suspicious' | 'foreign-account') =>
    securityAlertEvent(
      {
        outcome,
        messageId: 'm2',
        reasons: ['dkim-fail'],
        security: {
          subject: 'Certificate request for shop[.]example[.]com',
          domain: 'shop.example.com',
          accountId: '999988887777',
          region: 'eu-west-1',
          certificateArn: ARN,
          authenticated: false,
        },
        receivedAt: '2026-11-25T09:00:00.000Z',
        mailLocation: 's3://archive/quarantine/m2',
        at: new Date('2026-11-25T09:00:05Z'),
      },
      config,
    );

  it("names the owner of the mail's domain, and the certificate only when the mail is not a forgery", () => {
    expect(alert('foreign-account')).toMatchObject({ resources: [ARN], detail: { owner: 'web-shop' } });
    expect(alert('suspicious').resources).toEqual([]);
    expect(alert('suspicious').detail).toMatchObject({ certificateArn: ARN, outcome: 'suspicious' });
  });
});

describe('shrinkToFit', () => {
  const withReasons = (count: number, subject: string): ProductEvent => {
    const event = routed(true, true);
    return {
      ...event,
      detailType: 'ACM Approval Security Alert',
      detail: {
        ...(event.detail as object),
        outcome: 'suspicious',
        reasons: Array.from({ length: count }, (_, i) => `reason-${i}-${'x'.repeat(10_000)}`),
        subject,
      },
    } as unknown as ProductEvent;
  };

  it('returns a small event as it is', () => {
    const event = routed(true, true);
    expect(shrinkToFit(event)).toBe(event);
  });

  it('cuts free text and lists, drops the link, marks it, and keeps every identifier', () => {
    const big = withReasons(40, 's'.repeat(1_000));
    expect(productEventEntryBytes(big)).toBeGreaterThan(PUT_EVENTS_MAX_ENTRY_BYTES);
    const cut = shrinkToFit(big) as ProductEvent & { detail: Record<string, unknown> };
    expect(productEventEntryBytes(cut)).toBeLessThanOrEqual(PUT_EVENTS_MAX_ENTRY_BYTES);
    expect(cut.detail).toMatchObject({
      truncated: true,
      outcomeKey: 'm1',
      certificateArn: ARN,
      domain: 'shop.example.com',
    });
    expect(cut.detail).not.toHaveProperty('approvalLink');
    expect(cut.detail.reasons).toHaveLength(20);
    expect(String(cut.detail.subject)).toHaveLength(200);
    expect(cut.resources).toEqual([ARN]);
  });

  it('returns null, never a silently smaller event, when even the cut one is too large', () => {
    expect(shrinkToFit(withReasons(20, 's'), 100_000)).toBeNull();
  });
});

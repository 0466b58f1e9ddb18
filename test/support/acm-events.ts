/** ACM's event fixtures (fixtures/acm-events/), read as JSON, and a request state to decide over. */
import { readFileSync } from 'node:fs';
import type { CertificateRequestState } from '../../handlers/core/state.js';

export const ACM_EVENT_FIXTURES = [
  'available',
  'approaching-expiration',
  'renewal-action-required',
  'expired',
] as const;
export type AcmEventFixture = (typeof ACM_EVENT_FIXTURES)[number];

export function acmEventFixture(name: AcmEventFixture): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../fixtures/acm-events/${name}.json`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
}

/** A fixture with changes: `detail` fields merged, top-level fields replaced. */
export function acmEventWith(
  name: AcmEventFixture,
  change: Record<string, unknown> & { readonly detail?: Record<string, unknown> },
): Record<string, unknown> {
  const event = acmEventFixture(name);
  const { detail, ...top } = change;
  return { ...event, ...top, detail: { ...(event.detail as Record<string, unknown>), ...detail } };
}

export function requestState(over: Partial<CertificateRequestState> = {}): CertificateRequestState {
  return {
    key: 'cert#shop.example.net',
    domain: 'shop.example.net',
    accountId: '184694211251',
    region: 'eu-west-1',
    certificateArn: 'arn:aws:acm:eu-west-1:184694211251:certificate/975243f7-b501-4ee8-a0dc-69991761dbe0',
    owner: 'web-shop',
    renewal: false,
    trust: 'trusted',
    approvalDeadline: '2026-11-22T09:00:00.000Z',
    firstReceivedAt: '2026-11-19T09:00:00.000Z',
    latestReceivedAt: '2026-11-19T09:00:00.000Z',
    addresses: ['admin@shop.example.net'],
    links: [],
    threadAnchor: '<acm-request.0123@notify.example.org>',
    status: 'delivered',
    claimedBy: null,
    ticketMessageId: 'ses-first',
    ticketSubject: '[ACM approval] new shop.example.net (shop-prod)',
    ticketMessageIds: { 'shop-tickets@tickets.example.org': 'ses-first' },
    publishedAt: '2026-11-19T09:00:01.000Z',
    pendingFollowUpBy: null,
    issuedAt: null,
    issuedByEvent: null,
    issuedNoticeSentAt: null,
    ...over,
  };
}

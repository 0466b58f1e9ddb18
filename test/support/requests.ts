/** One request's claim as the router builds it, for the state tests (the store contract, the table codec). */
import type { ClaimRequest } from '../../handlers/core/state.js';

export const SHOP_CERTIFICATE_ARN =
  'arn:aws:acm:eu-west-1:184694211251:certificate/0b5c1f3e-0000-4000-8000-000000000001';

/** The first copy of a new request for shop.example.com, received at 09:00 on 2026-11-25; `overrides` change it. */
export function shopClaim(overrides: Partial<ClaimRequest> = {}): ClaimRequest {
  return {
    key: `${SHOP_CERTIFICATE_ARN}|shop.example.com`,
    domain: 'shop.example.com',
    accountId: '184694211251',
    region: 'eu-west-1',
    certificateArn: SHOP_CERTIFICATE_ARN,
    owner: 'web-shop',
    renewal: false,
    trust: 'trusted',
    approvalDeadline: '2026-11-28T09:00:00.000Z',
    threadAnchor: '<acm-request.abc@notify.example.org>',
    messageId: 'm-1',
    receivedAt: '2026-11-25T09:00:00.000Z',
    recipients: [],
    approvalUrl: 'https://eu-west-1.acm-certificates.amazon.com/approvals?code=c&context=x',
    linkDigest: 'd1',
    certificateExpiresAt: null,
    claimExpiresAt: '2026-11-25T09:02:00.000Z',
    now: '2026-11-25T09:00:00.000Z',
    expiresAtEpoch: 1_800_000_000,
    ...overrides,
  };
}

/** The state table's items: keys from the shared schema, and every record read back as it was written. */
import { describe, expect, it } from 'vitest';
import {
  acmEventOutcomeItem,
  acmEventOutcomeOf,
  certificateRequestItem,
  certificateRequestStateOf,
  closedWindowItem,
  digestRequestOf,
  openedRequestItem,
  outcomeItem,
  outcomeRecordOf,
  securityEventOf,
  storedRequestOf,
  tableKeys,
} from '../../handlers/adapters/request-table-codec.js';
import { REQUEST_TABLE_SCHEMA } from '../../handlers/core/deployment-contract.js';
import type { AcmEventOutcomeRecord, OutcomeRecord } from '../../handlers/core/state.js';
import { shopClaim } from '../support/requests.js';

const claim = shopClaim();

describe('the state table codec', () => {
  it('names every key with the schema shared with the stack', () => {
    const { partitionKey: pk, sortKey: sk, items } = REQUEST_TABLE_SCHEMA;
    expect(tableKeys.request('k')).toEqual({ [pk]: `${items.request.prefix}k`, [sk]: items.request.sortKey });
    expect(tableKeys.outcome('m')).toEqual({ [pk]: 'message#m', [sk]: 'outcome' });
    expect(tableKeys.alert('a')).toEqual({ [pk]: 'alert#a', [sk]: 'marker' });
    expect(tableKeys.hourlyBudget('b')).toEqual({ [pk]: 'rate#b', [sk]: 'count' });
  });

  it('reads an opened request back as written, in the digest index under its owner', () => {
    const item = openedRequestItem(claim);
    expect(item).toMatchObject({ digestOwner: 'web-shop', digestAt: claim.approvalDeadline, expiresAt: 1_800_000_000 });
    expect(storedRequestOf(item)).toEqual({
      key: claim.key,
      domain: claim.domain,
      accountId: claim.accountId,
      region: claim.region,
      certificateArn: claim.certificateArn,
      owner: 'web-shop',
      renewal: false,
      trust: 'trusted',
      approvalDeadline: claim.approvalDeadline,
      firstReceivedAt: claim.receivedAt,
      latestReceivedAt: claim.receivedAt,
      // No recipients: DynamoDB cannot store an empty set, and the stand-in never comes back.
      addresses: [],
      links: [{ url: claim.approvalUrl, trust: 'trusted', receivedAt: claim.receivedAt }],
      threadAnchor: claim.threadAnchor,
      status: 'claimed',
      claimedBy: 'm-1',
      ticketMessageId: null,
      ticketSubject: null,
      ticketMessageIds: {},
      publishedAt: null,
      pendingFollowUpBy: null,
    });
    expect(digestRequestOf(item)).toMatchObject({ certificateExpiresAt: null, ticketSubject: null, addresses: [] });
  });

  it('keeps a closed window beside the new one, out of the digest index', () => {
    const closed = closedWindowItem(openedRequestItem(claim));
    expect(closed).toMatchObject({ pk: `request#${claim.key}`, sk: `window#${claim.receivedAt}` });
    expect(closed.digestOwner).toBeUndefined();
    expect(closed.digestAt).toBeUndefined();
  });

  it('reads an outcome back as written; a security outcome is listed for the security digest', () => {
    const record: OutcomeRecord = {
      messageId: 'm-2',
      outcome: 'suspicious',
      requestKey: null,
      reasons: ['dkim-fail'],
      detail: null,
      recordedAt: '2026-11-25T10:00:00.000Z',
      expiresAtEpoch: 1_800_000_001,
      security: {
        subject: 'Certificate request',
        domain: null,
        accountId: null,
        region: null,
        certificateArn: null,
        authenticated: false,
      },
    };
    const item = outcomeItem(record);
    const { security, ...rest } = record;
    expect(outcomeRecordOf(item)).toEqual(rest);
    expect(item).toMatchObject({ digestOwner: '#security', digestAt: record.recordedAt });
    expect(securityEventOf(item)).toEqual({
      ...security,
      messageId: 'm-2',
      outcome: 'suspicious',
      recordedAt: record.recordedAt,
      requestKey: null,
      reasons: ['dkim-fail'],
    });
  });

  it("lists a request under its certificate for ACM's events, kept as long as the request", () => {
    expect(certificateRequestItem(claim)).toEqual({
      pk: `certificate#${claim.certificateArn}`,
      sk: `request#${claim.key}`,
      requestKey: claim.key,
      expiresAt: claim.expiresAtEpoch,
    });
    expect(tableKeys.acmEvent('e-1')).toEqual({ pk: 'acm-event#e-1', sk: 'outcome' });
  });

  it("reads an ACM event's outcome back as written, and a request's issued state (absent before)", () => {
    const record: AcmEventOutcomeRecord = {
      eventId: 'e-1',
      outcome: 'issued',
      detailType: 'ACM Certificate Available',
      certificateArn: claim.certificateArn,
      accountId: claim.accountId,
      requestKeys: [claim.key],
      detail: null,
      recordedAt: '2026-11-20T12:00:00.000Z',
      expiresAtEpoch: 1_800_000_000,
    };
    expect(acmEventOutcomeOf(acmEventOutcomeItem(record))).toEqual(record);
    const opened = openedRequestItem(claim);
    expect(certificateRequestStateOf(opened)).toMatchObject({
      issuedAt: null,
      issuedByEvent: null,
      issuedNoticeSentAt: null,
    });
    expect(digestRequestOf(opened).issuedAt).toBeNull();
    const issued = { ...opened, issuedAt: '2026-11-20T09:41:17.000Z', issuedByEvent: 'e-1' };
    expect(certificateRequestStateOf(issued)).toMatchObject({
      issuedAt: '2026-11-20T09:41:17.000Z',
      issuedByEvent: 'e-1',
    });
    expect(digestRequestOf(issued).issuedAt).toBe('2026-11-20T09:41:17.000Z');
  });
});

/**
 * The request store's claim protocol, one suite run against the DynamoDB store (on the dynalite emulator) and the
 * in-memory store the router's unit tests use: the fake is only worth its speed if it behaves as production does.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from '../../handlers/adapters/aws-clients.js';
import { dynamoDbRequestStore } from '../../handlers/adapters/dynamodb-request-store.js';
import type { ProductEvent } from '../../handlers/core/product-events.js';
import type { ClaimRequest } from '../../handlers/core/state.js';
import {
  createRequestTable,
  LOCAL_CREDENTIALS,
  type LocalServices,
  startLocalServices,
} from '../../handlers/local/services.js';
import type { RequestStore } from '../../handlers/ports/router.js';
import { inMemoryRequestStore } from '../support/in-memory-ports.js';
import { shopClaim } from '../support/requests.js';

let services: LocalServices;
beforeAll(async () => {
  services = await startLocalServices();
});
afterAll(() => services.stop());

async function dynamoDbStore(): Promise<RequestStore> {
  const { dynamodb } = awsClients({
    region: 'eu-west-1',
    endpoints: services.endpoints,
    credentials: LOCAL_CREDENTIALS,
  });
  const table = `contract-${randomUUID().slice(0, 8)}`;
  await createRequestTable(dynamodb, table);
  return dynamoDbRequestStore(dynamodb, table);
}

const T0 = Date.parse('2026-11-25T09:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** A copy of one request, `minutes` after the first, with the link named by `link`. */
function copy(messageId: string, minutes: number, overrides: Partial<ClaimRequest> = {}): ClaimRequest {
  return shopClaim({
    approvalDeadline: at(72 * 60),
    messageId,
    receivedAt: at(minutes),
    recipients: [`admin-${messageId}@shop.example.com`],
    approvalUrl: 'https://eu-west-1.acm-certificates.amazon.com/approvals?code=one&context=x',
    linkDigest: 'link-one',
    claimExpiresAt: at(minutes + 2),
    now: at(minutes),
    ...overrides,
  });
}

describe.each([
  ['DynamoDB (dynalite)', dynamoDbStore],
  ['in memory', async () => inMemoryRequestStore()],
])('the request store: %s', (_name, makeStore) => {
  it('opens a request for the first copy; later copies are duplicates once it is delivered', async () => {
    const store = await makeStore();
    const first = await store.claim(copy('m1', 0));
    expect(first.kind).toBe('new');
    expect(first.request).toMatchObject({
      status: 'claimed',
      claimedBy: 'm1',
      ticketMessageId: null,
      ticketSubject: null,
    });
    await store.markTicketSent(first.request.key, 'm1', { 'shop-tickets@tickets.example.org': 'ses-1' }, 'subject');
    await store.markPublished(first.request.key, 'm1', at(1));
    await store.markDelivered(first.request.key, 'm1');
    const second = await store.claim(copy('m2', 1));
    expect(second.kind).toBe('duplicate');
    expect(second.request).toMatchObject({
      status: 'delivered',
      ticketMessageId: 'ses-1',
      ticketSubject: 'subject',
      ticketMessageIds: { 'shop-tickets@tickets.example.org': 'ses-1' },
      publishedAt: at(1),
    });
    expect(second.request.addresses).toEqual(['admin-m1@shop.example.com', 'admin-m2@shop.example.com']);
  });

  it('lets the claimer resume, makes others wait while the claim is fresh, and hands an expired one over', async () => {
    const store = await makeStore();
    await store.claim(copy('m1', 0));
    expect((await store.claim(copy('m1', 0))).kind).toBe('resume');
    expect((await store.claim(copy('m2', 1))).kind).toBe('in-progress');
    const taken = await store.claim(copy('m3', 5));
    expect(taken.kind).toBe('resume');
    expect(taken.request.claimedBy).toBe('m3');
    // The first claimer lost its claim: it can no longer mark anything.
    await expect(store.markDelivered(taken.request.key, 'm1')).rejects.toThrow();
    await store.markDelivered(taken.request.key, 'm3');
  });

  it('keeps each queue first ticket across a retry, and the first one sent as the request ticket', async () => {
    const store = await makeStore();
    const first = await store.claim(copy('m1', 0));
    // One queue got its ticket, then the delivery failed: the retry resumes and sees what was sent.
    await store.markTicketSent(first.request.key, 'm1', { 'jira@tickets.example.org': 'ses-1' }, 'subject');
    const resumed = await store.claim(copy('m1', 0));
    expect(resumed.kind).toBe('resume');
    expect(resumed.request.ticketMessageIds).toEqual({ 'jira@tickets.example.org': 'ses-1' });
    await store.markTicketSent(
      first.request.key,
      'm1',
      { 'jira@tickets.example.org': 'ses-1', 'zendesk@tickets.example.org': 'ses-2' },
      'subject',
    );
    await store.markDelivered(first.request.key, 'm1');
    const later = await store.claim(copy('m2', 1));
    expect(later.request).toMatchObject({
      ticketMessageId: 'ses-1',
      ticketMessageIds: { 'jira@tickets.example.org': 'ses-1', 'zendesk@tickets.example.org': 'ses-2' },
    });
  });

  it('sends one follow-up for a new link inside the window, and proves a link a trusted copy repeats', async () => {
    const store = await makeStore();
    const first = await store.claim(copy('m1', 0, { trust: 'unverified' }));
    await store.markDelivered(first.request.key, 'm1');
    const resend = {
      approvalUrl: 'https://eu-west-1.acm-certificates.amazon.com/approvals?code=two&context=x',
      trust: 'unverified' as const,
    };
    const followUp = await store.claim(copy('m2', 60, { ...resend, linkDigest: 'link-two' }));
    expect(followUp.kind).toBe('follow-up');
    expect(followUp.request.pendingFollowUpBy).toBe('m2');
    expect((await store.claim(copy('m3', 61, { ...resend, linkDigest: 'link-two' }))).kind).toBe('duplicate');
    expect((await store.claim(copy('m4', 62, { linkDigest: 'link-three' }))).kind).toBe('in-progress');
    await store.finishFollowUp(first.request.key, 'm2');
    // The first link again, now from trusted mail: a duplicate that makes that link trusted.
    expect((await store.claim(copy('m5', 63))).kind).toBe('duplicate');
    const after = await store.claim(copy('m6', 64));
    expect(after.request.trust).toBe('trusted');
    expect(after.request.links.map((link) => [link.url.includes('code=one'), link.trust])).toEqual([
      [true, 'trusted'],
      [false, 'unverified'],
    ]);
  });

  it('opens a new request for the same certificate after its 72-hour window closed', async () => {
    const store = await makeStore();
    const first = await store.claim(copy('m1', 0));
    await store.markDelivered(first.request.key, 'm1');
    const later = await store.claim(copy('m2', 73 * 60, { approvalDeadline: at(145 * 60) }));
    expect(later.kind).toBe('new');
    expect(later.request.firstReceivedAt).toBe(at(73 * 60));
  });

  it("keeps an outcome's pending product events exactly as built until they are put, then only those go", async () => {
    const store = await makeStore();
    const event: ProductEvent = {
      detailType: 'ACM Approval Security Alert',
      detail: {
        schemaVersion: '1',
        outcomeKey: 'm9',
        owner: null,
        outcome: 'unparseable',
        reasons: ['missing-account'],
        subject: 'Certificate request for shop.example.com',
        domain: null,
        accountId: null,
        region: null,
        certificateArn: null,
        authenticated: false,
        receivedAt: at(0),
        mailLocation: 's3://archive/quarantine/m9',
      },
      resources: [],
      time: at(1),
    };
    const outcome = {
      messageId: 'm9',
      outcome: 'unparseable' as const,
      requestKey: null,
      reasons: ['missing-account'],
      detail: null,
      recordedAt: at(1),
      expiresAtEpoch: 1_800_000_000,
    };
    await store.recordOutcome({ ...outcome, pendingEvents: [event] });
    expect((await store.recordedOutcome('m9'))?.pendingEvents).toEqual([event]);
    await store.markEventsPut('m9');
    const after = await store.recordedOutcome('m9');
    expect(after).toMatchObject({ messageId: 'm9', outcome: 'unparseable', reasons: ['missing-account'] });
    expect(after?.pendingEvents).toBeUndefined();
    // Twice is harmless; a message with no outcome gets none made up.
    await store.markEventsPut('m9');
    await store.markEventsPut('never-recorded');
    expect(await store.recordedOutcome('never-recorded')).toBeNull();
  });

  it('records one outcome per message, one alert per identity and hourly budgets', async () => {
    const store = await makeStore();
    const outcome = {
      messageId: 'm1',
      outcome: 'not-acm' as const,
      requestKey: null,
      reasons: ['no-acm-template'],
      detail: null,
      recordedAt: at(0),
      expiresAtEpoch: 1_800_000_000,
    };
    expect(await store.recordedOutcome('m1')).toBeNull();
    expect(await store.recordOutcome(outcome)).toEqual(outcome);
    expect(await store.recordOutcome({ ...outcome, outcome: 'routed' })).toEqual(outcome);
    expect(await store.recordedOutcome('m1')).toEqual(outcome);

    expect(await store.claimAlert('suspicious#k', 'm1', 1_800_000_000)).toBe(true);
    expect(await store.claimAlert('suspicious#k', 'm1', 1_800_000_000)).toBe(true);
    expect(await store.claimAlert('suspicious#k', 'm2', 1_800_000_000)).toBe(false);

    expect(await store.takeHourlySlot('not-acm#2026-11-25T09', 2, 1_800_000_000)).toBe(true);
    expect(await store.takeHourlySlot('not-acm#2026-11-25T09', 2, 1_800_000_000)).toBe(true);
    expect(await store.takeHourlySlot('not-acm#2026-11-25T09', 2, 1_800_000_000)).toBe(false);
  });
});

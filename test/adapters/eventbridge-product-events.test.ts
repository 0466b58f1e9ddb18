/**
 * The production adapter of the product events over the real SDK client, against the local EventBridge stub over
 * HTTP (JSON 1.1, `AWSEvents.PutEvents`): batches, sizes, partial failures and outages.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsClients } from '../../handlers/adapters/aws-clients.js';
import {
  EventBridgeProductEvents,
  ProductEventsNotPutError,
} from '../../handlers/adapters/eventbridge-product-events.js';
import {
  PRODUCT_EVENT_SOURCE,
  type ProductEvent,
  PUT_EVENTS_MAX_ENTRY_BYTES,
  productEventEntryBytes,
} from '../../handlers/core/product-events.js';
import { type EventBridgeStub, startEventBridgeStub } from '../../handlers/local/eventbridge-stub.js';
import { LOCAL_CREDENTIALS } from '../../handlers/local/services.js';

const BUS = 'acm-validation-mail-events';
let stub: EventBridgeStub;
beforeAll(async () => {
  stub = await startEventBridgeStub({ region: 'eu-west-1', buses: [BUS] });
});
afterAll(() => stub.stop());
beforeEach(() => {
  stub.refuseEntry = null;
  stub.failRequestsWith = null;
});

const bus = (name = BUS) =>
  awsClients({
    region: 'eu-west-1',
    endpoints: { eventbridge: stub.endpoint },
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  })
    .eventBridge()
    .then((client) => new EventBridgeProductEvents(client, name));

function alert(outcomeKey: string, subject = 'Certificate request for example.com'): ProductEvent {
  return {
    detailType: 'ACM Approval Security Alert',
    detail: {
      schemaVersion: '1',
      outcomeKey,
      owner: null,
      outcome: 'suspicious',
      reasons: ['dkim-fail'],
      subject,
      domain: 'example.com',
      accountId: '111122223333',
      region: 'eu-west-1',
      certificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/0f8c4a2e-0000-4000-8000-000000000001',
      authenticated: false,
      receivedAt: '2026-11-26T04:00:00.000Z',
      mailLocation: 's3://archive/quarantine/m1',
    },
    resources: ['arn:aws:acm:eu-west-1:111122223333:certificate/0f8c4a2e-0000-4000-8000-000000000001'],
    time: '2026-11-26T04:00:01.000Z',
  };
}

describe('EventBridgeProductEvents', () => {
  it('puts each event on the named bus with our source, its detail-type, detail, resources and time', async () => {
    const before = stub.events.length;
    await (await bus()).publish([alert('m1')]);
    const [delivered] = stub.events.slice(before);
    expect(delivered).toMatchObject({
      source: PRODUCT_EVENT_SOURCE,
      'detail-type': 'ACM Approval Security Alert',
      resources: [alert('m1').resources[0]],
      time: '2026-11-26T04:00:01Z',
      detail: alert('m1').detail,
    });
  });

  it('puts 25 events in requests of at most 10 entries, all of them, in order', async () => {
    const before = { events: stub.events.length, requests: stub.requests.length };
    const events = Array.from({ length: 25 }, (_, i) => alert(`m${i}`));
    await (await bus()).publish(events);
    expect(stub.requests.slice(before.requests).map((r) => r.entries)).toEqual([10, 10, 5]);
    expect(stub.events.slice(before.events).map((e) => e.detail.outcomeKey)).toEqual(
      events.map((e) => e.detail.outcomeKey),
    );
  });

  it('splits requests by size too: the entries of one request stay within 256 KB', async () => {
    const big = (key: string) => {
      const event = alert(key);
      return { ...event, detail: { ...event.detail, reasons: Array.from({ length: 20 }, () => 'r'.repeat(4_000)) } };
    };
    const events = [big('s1'), big('s2'), big('s3'), big('s4')] as ProductEvent[];
    expect(productEventEntryBytes(events[0] as ProductEvent)).toBeGreaterThan(80_000);
    const before = stub.requests.length;
    await (await bus()).publish(events);
    expect(stub.requests.slice(before).map((r) => r.entries)).toEqual([3, 1]);
  });

  it('a partial failure throws, naming each refused entry by detail-type, outcomeKey and ErrorCode, never its detail', async () => {
    stub.refuseEntry = (entry) => (String(entry.Detail).includes('"m2"') ? 'ThrottlingException' : null);
    const before = stub.events.length;
    const publishing = (await bus()).publish([alert('m1'), alert('m2'), alert('m3')]);
    await expect(publishing).rejects.toThrow(ProductEventsNotPutError);
    await expect(publishing).rejects.toThrow(
      `1 event(s) not put on event bus ${BUS}: ACM Approval Security Alert m2: ThrottlingException`,
    );
    await publishing.catch((error: ProductEventsNotPutError) => {
      expect(error.failed).toEqual([
        { detailType: 'ACM Approval Security Alert', outcomeKey: 'm2', errorCode: 'ThrottlingException' },
      ]);
      expect(error.message).not.toContain('example.com');
    });
    expect(stub.events.slice(before).map((e) => e.detail.outcomeKey)).toEqual(['m1', 'm3']);
  });

  it('puts the later batches even when an earlier one was partly refused, then throws for the refused', async () => {
    stub.refuseEntry = (entry) => (String(entry.Detail).includes('"b0"') ? 'InternalFailure' : null);
    const before = stub.events.length;
    const events = Array.from({ length: 12 }, (_, i) => alert(`b${i}`));
    await expect((await bus()).publish(events)).rejects.toThrow(/ACM Approval Security Alert b0: InternalFailure$/);
    expect(stub.events.length - before).toBe(11);
  });

  it('an outage or an unknown bus is an error the caller retries', async () => {
    stub.failRequestsWith = 'InternalException';
    await expect((await bus()).publish([alert('o1')])).rejects.toMatchObject({ name: 'InternalException' });
    stub.failRequestsWith = null;
    await expect((await bus('not-our-bus')).publish([alert('o1')])).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('a detail over 256 KB is cut to fit (free text shortened, lists cut, the link dropped), never lost', async () => {
    const huge = alert('h1', 'x'.repeat(300_000));
    expect(productEventEntryBytes(huge)).toBeGreaterThan(PUT_EVENTS_MAX_ENTRY_BYTES);
    const before = stub.events.length;
    await (await bus()).publish([huge]);
    const [delivered] = stub.events.slice(before);
    expect(delivered?.detail).toMatchObject({ outcomeKey: 'h1', truncated: true, domain: 'example.com' });
    expect(String(delivered?.detail.subject)).toHaveLength(200);
  });

  it('an event that cannot be cut to fit fails loudly, naming it, and puts nothing', async () => {
    const event = alert('t1');
    const unfit = {
      ...event,
      resources: Array.from({ length: 100 }, () => `arn:${'a'.repeat(2_700)}`),
    } as ProductEvent;
    const before = stub.requests.length;
    await expect((await bus()).publish([unfit])).rejects.toThrow(
      /ACM Approval Security Alert t1: entry of \d+ bytes exceeds 262144 even cut/,
    );
    expect(stub.requests.length).toBe(before);
  });
});

describe('the EventBridge stub', () => {
  it('refuses what EventBridge refuses: more than 10 entries, a malformed detail, other actions', async () => {
    const client = await awsClients({
      region: 'eu-west-1',
      endpoints: { eventbridge: stub.endpoint },
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    }).eventBridge();
    const { PutEventsCommand, ListRulesCommand } = await import('@aws-sdk/client-eventbridge');
    const entry = { EventBusName: BUS, Source: 's', DetailType: 'd', Detail: '{}' };
    await expect(
      client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry) })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    const answer = await client.send(new PutEventsCommand({ Entries: [{ ...entry, Detail: '[1]' }, entry] }));
    expect(answer.FailedEntryCount).toBe(1);
    expect(answer.Entries?.[0]?.ErrorCode).toBe('MalformedDetail');
    expect(answer.Entries?.[1]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(client.send(new ListRulesCommand({}))).rejects.toMatchObject({ name: 'UnknownOperationException' });
  });
});

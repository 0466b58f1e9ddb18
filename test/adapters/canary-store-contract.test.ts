/**
 * The canary store's rules, one suite run against the DynamoDB store (on the dynalite emulator) and the in-memory
 * store the canary's and the router's unit tests use.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from '../../handlers/adapters/aws-clients.js';
import { dynamoDbCanaryStore } from '../../handlers/adapters/dynamodb-canary-store.js';
import type { ProbeRecord } from '../../handlers/core/state.js';
import {
  createRequestTable,
  LOCAL_CREDENTIALS,
  type LocalServices,
  startLocalServices,
} from '../../handlers/local/services.js';
import type { CanaryStore } from '../../handlers/ports/canary.js';
import { inMemoryCanaryStore } from '../support/in-memory-canary.js';

let services: LocalServices;
beforeAll(async () => {
  services = await startLocalServices();
});
afterAll(() => services.stop());

async function dynamoDbStore(): Promise<CanaryStore> {
  const { dynamodb } = awsClients({
    region: 'eu-west-1',
    endpoints: services.endpoints,
    credentials: LOCAL_CREDENTIALS,
  });
  const table = `canary-${randomUUID().slice(0, 8)}`;
  await createRequestTable(dynamodb, table);
  return dynamoDbCanaryStore(dynamodb, table);
}

const EXPIRES = 2_000_000_000;
const RUN_1 = '20261125T060000Z-00000001';
const RUN_2 = '20261126T060000Z-00000002';

function probe(runId: string, address: string, sentAt: string): ProbeRecord {
  return {
    runId,
    address,
    domain: address.split('@')[1] ?? '',
    path: 'ses',
    sentAt,
    checkAt: sentAt.replace('T06:00', 'T06:30'),
    arrivedAt: null,
    arrivalMessageId: null,
    missingAlertedAt: null,
    lateClearedAt: null,
  };
}

describe.each([
  ['DynamoDB (dynalite)', dynamoDbStore],
  ['in memory', async () => inMemoryCanaryStore()],
])('the canary store: %s', (_name, makeStore) => {
  it('records a run of probes and reads them back', async () => {
    const store = await makeStore();
    await store.recordProbeSent(probe(RUN_1, 'admin@example.net', '2026-11-25T06:00:00Z'), EXPIRES);
    await store.recordProbeSent(probe(RUN_1, 'webmaster@example.net', '2026-11-25T06:00:01Z'), EXPIRES);
    await store.recordProbeSent(probe(RUN_2, 'admin@example.net', '2026-11-26T06:00:00Z'), EXPIRES);
    const run = await store.probesOfRun(RUN_1);
    expect(run.map((p) => p.address).sort()).toEqual(['admin@example.net', 'webmaster@example.net']);
    expect(run[0]).toMatchObject({ runId: RUN_1, arrivedAt: null, missingAlertedAt: null, path: 'ses' });
  });

  it('records an arrival once: the same message again is a retry, another message a replay, an unsent probe unknown', async () => {
    const store = await makeStore();
    await store.recordProbeSent(probe(RUN_1, 'admin@example.net', '2026-11-25T06:00:00Z'), EXPIRES);
    const first = await store.recordProbeArrival(RUN_1, 'admin@example.net', '2026-11-25T06:01:00Z', 'm-1');
    expect(first).toMatchObject({
      kind: 'first',
      probe: { arrivedAt: '2026-11-25T06:01:00Z', arrivalMessageId: 'm-1' },
    });
    expect((await store.recordProbeArrival(RUN_1, 'admin@example.net', '2026-11-25T06:02:00Z', 'm-1')).kind).toBe(
      'retry',
    );
    const replay = await store.recordProbeArrival(RUN_1, 'admin@example.net', '2026-11-25T06:03:00Z', 'm-2');
    expect(replay).toMatchObject({ kind: 'replayed', probe: { arrivalMessageId: 'm-1' } });
    expect(await store.recordProbeArrival(RUN_2, 'admin@example.net', '2026-11-25T06:03:00Z', 'm-3')).toEqual({
      kind: 'unknown',
    });
  });

  it('marks a probe missing once and only while it has not arrived; clears it late once, only after an alert', async () => {
    const store = await makeStore();
    await store.recordProbeSent(probe(RUN_1, 'admin@example.net', '2026-11-25T06:00:00Z'), EXPIRES);
    await store.recordProbeSent(probe(RUN_1, 'webmaster@example.net', '2026-11-25T06:00:00Z'), EXPIRES);
    await store.recordProbeArrival(RUN_1, 'webmaster@example.net', '2026-11-25T06:01:00Z', 'm-1');
    expect(await store.markProbeMissing(RUN_1, 'webmaster@example.net', '2026-11-25T06:30:00Z')).toBe(false);
    expect(await store.markLateCleared(RUN_1, 'webmaster@example.net', '2026-11-25T06:31:00Z')).toBe(false);
    expect(await store.markProbeMissing(RUN_1, 'admin@example.net', '2026-11-25T06:30:00Z')).toBe(true);
    expect(await store.markProbeMissing(RUN_1, 'admin@example.net', '2026-11-25T06:31:00Z')).toBe(false);
    expect(await store.markProbeMissing(RUN_1, 'nobody@example.net', '2026-11-25T06:31:00Z')).toBe(false);
    await store.recordProbeArrival(RUN_1, 'admin@example.net', '2026-11-25T07:00:00Z', 'm-2');
    expect(await store.markLateCleared(RUN_1, 'admin@example.net', '2026-11-25T07:00:00Z')).toBe(true);
    expect(await store.markLateCleared(RUN_1, 'admin@example.net', '2026-11-25T07:01:00Z')).toBe(false);
  });

  it("keeps each address's last word, moving forward only", async () => {
    const store = await makeStore();
    const targets = [
      { address: 'admin@example.net', domain: 'example.net', path: 'ses' as const },
      { address: 'never@example.net', domain: 'example.net', path: 'extra' as const },
    ];
    await store.recordProbeSent(probe(RUN_1, 'admin@example.net', '2026-11-25T06:00:00Z'), EXPIRES);
    await store.recordProbeSent(probe(RUN_2, 'admin@example.net', '2026-11-26T06:00:00Z'), EXPIRES);
    await store.recordProbeArrival(RUN_2, 'admin@example.net', '2026-11-26T06:01:00Z', 'm-2');
    await store.markProbeMissing(RUN_1, 'admin@example.net', '2026-11-25T06:30:00Z');
    // The older run's probe arrives after the newer one's: the last arrival stays the newer probe's.
    await store.recordProbeArrival(RUN_1, 'admin@example.net', '2026-11-26T07:00:00Z', 'm-1');
    expect(await store.addressStates(targets)).toEqual([
      {
        address: 'admin@example.net',
        domain: 'example.net',
        path: 'ses',
        lastRunId: RUN_2,
        lastSentAt: '2026-11-26T06:00:00Z',
        lastArrivedAt: '2026-11-26T06:01:00Z',
        lastArrivedSentAt: '2026-11-26T06:00:00Z',
        lastMissingAt: '2026-11-25T06:30:00Z',
      },
      {
        address: 'never@example.net',
        domain: 'example.net',
        path: 'extra',
        lastRunId: null,
        lastSentAt: null,
        lastArrivedAt: null,
        lastArrivedSentAt: null,
        lastMissingAt: null,
      },
    ]);
  });
});

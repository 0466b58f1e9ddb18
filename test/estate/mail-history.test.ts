/** Approval mail seen per certificate, from the state table's request windows. */

import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoDbMailHistory } from '../../handlers/adapters/dynamodb-mail-history.js';
import {
  alertMarkerItem,
  closedWindowItem,
  openedRequestItem,
  outcomeItem,
} from '../../handlers/adapters/request-table-codec.js';
import { seenMailByCertificate } from '../../handlers/core/estate/mail-history.js';
import { createRequestTable } from '../../handlers/local/services.js';
import { shopClaim } from '../support/requests.js';

describe('seenMailByCertificate', () => {
  it('counts the windows per certificate, with the first and the last mail', () => {
    const seen = seenMailByCertificate([
      { certificateArn: 'a', firstReceivedAt: '2026-10-01T00:00:00Z', latestReceivedAt: '2026-10-01T01:00:00Z' },
      { certificateArn: 'a', firstReceivedAt: '2026-11-01T00:00:00Z', latestReceivedAt: '2026-11-02T00:00:00Z' },
      { certificateArn: 'b', firstReceivedAt: '2026-11-05T00:00:00Z', latestReceivedAt: '2026-11-05T00:00:00Z' },
      { certificateArn: '', firstReceivedAt: '2026-11-05T00:00:00Z', latestReceivedAt: '2026-11-05T00:00:00Z' },
    ]);
    expect([...seen]).toEqual([
      ['a', { requests: 2, firstReceivedAt: '2026-10-01T00:00:00Z', lastReceivedAt: '2026-11-02T00:00:00Z' }],
      ['b', { requests: 1, firstReceivedAt: '2026-11-05T00:00:00Z', lastReceivedAt: '2026-11-05T00:00:00Z' }],
    ]);
  });
});

describe('dynamoDbMailHistory against dynalite', () => {
  const server = dynalite({ createTableMs: 0 });
  let client: DynamoDBClient;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    client = new DynamoDBClient({
      region: 'eu-west-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await createRequestTable(client, 'state');
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads every request window across pages, and nothing else of the table', async () => {
    const documents = DynamoDBDocumentClient.from(client);
    const claim = shopClaim();
    const put = (Item: Record<string, unknown>) => documents.send(new PutCommand({ TableName: 'state', Item }));
    // A current window and a closed one of the same request, and 300 other requests with 4 KB of padding each: more
    // than the 1 MB a scan page reads, so the history must follow LastEvaluatedKey.
    await put({ ...openedRequestItem({ ...claim, receivedAt: '2026-11-20T08:00:00Z' }) });
    await put(closedWindowItem(openedRequestItem({ ...claim, receivedAt: '2026-10-01T08:00:00Z' })));
    for (let n = 0; n < 300; n += 1) {
      await put({
        ...openedRequestItem({ ...claim, key: `other-${n}`, certificateArn: `arn:other:${n % 3}` }),
        padding: 'x'.repeat(4000),
      });
    }
    await put(alertMarkerItem('k', 'm', 1));
    await put(
      outcomeItem({
        messageId: 'm-9',
        outcome: 'routed',
        requestKey: claim.key,
        reasons: [],
        detail: null,
        recordedAt: '2026-11-20T08:00:00Z',
        expiresAtEpoch: 1,
      }),
    );
    let scans = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'ScanCommand') scans += 1;
        return next(args);
      },
      { step: 'initialize', name: 'countScans' },
    );
    const seen = await dynamoDbMailHistory(client, 'state').seenMail();
    expect(scans).toBeGreaterThan(1);
    expect(seen.get(claim.certificateArn)).toEqual({
      requests: 2,
      firstReceivedAt: '2026-10-01T08:00:00Z',
      lastReceivedAt: '2026-11-20T08:00:00Z',
    });
    expect([...seen.keys()].sort()).toEqual([claim.certificateArn, 'arn:other:0', 'arn:other:1', 'arn:other:2'].sort());
    expect(seen.get('arn:other:0')?.requests).toBe(100);
  }, 60_000);
});

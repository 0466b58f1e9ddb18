/**
 * The canary's records in the state table. Each decision that must hold however often a probe arrives or a check
 * runs is a conditional write on the probe's one item:
 *
 * - `probe#<runId>` / `<address>`: one probe. Its arrival is written once (`attribute_not_exists(arrivalMessageId)`),
 *   so a second message carrying the same token is a replay; it is marked missing once, only while it has not
 *   arrived (one alert per address and run); a late arrival's follow-up is marked once, only after such an alert.
 * - `canary#<address>` / `latest`: the canary's last word on the address. Each field moves forward only (a late probe
 *   of an older run does not hide a newer run's arrival).
 *
 * Keys and item layouts come from the codec (request-table-codec.ts); this file holds the conditions.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ProbeAddressState, ProbeRecord } from '../core/state.js';
import type { CanaryStore, ProbeArrival } from '../ports/canary.js';
import { conditional } from './dynamodb-conditions.js';
import {
  probeAddressStateOf,
  probeItem,
  probeRecordOf,
  type TableItem,
  tableAttributes,
  tableKeys,
} from './request-table-codec.js';

/** BatchGetItem reads at most 100 keys per call. */
const BATCH_GET_MAX_KEYS = 100;
/** Unprocessed keys (throttling) are asked for again this often before the read fails. */
const BATCH_GET_ATTEMPTS = 5;

export function dynamoDbCanaryStore(client: DynamoDBClient, tableName: string): CanaryStore {
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const partitionKey = { '#pk': tableAttributes.partitionKey };

  /** Moves one field of an address's state forward: written only when newer than what is there (ISO times sort). */
  async function advance(
    probe: Pick<ProbeRecord, 'address' | 'domain' | 'path'>,
    guard: string,
    guardValue: string,
    fields: Readonly<Record<string, string>>,
  ): Promise<void> {
    const names = Object.keys(fields);
    await conditional(() =>
      documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: tableKeys.probeAddress(probe.address),
          UpdateExpression: `SET address = :address, #domain = :domain, #path = :path, ${names
            .map((name) => `${name} = :${name}`)
            .join(', ')}`,
          ConditionExpression: `attribute_not_exists(${guard}) OR ${guard} <= :guard`,
          ExpressionAttributeNames: { '#domain': 'domain', '#path': 'path' },
          ExpressionAttributeValues: {
            ':address': probe.address,
            ':domain': probe.domain,
            ':path': probe.path,
            ':guard': guardValue,
            ...Object.fromEntries(names.map((name) => [`:${name}`, fields[name]])),
          },
        }),
      ),
    );
  }

  async function probeOf(runId: string, address: string): Promise<ProbeRecord | null> {
    const read = await documents.send(
      new GetCommand({ TableName: tableName, Key: tableKeys.probe(runId, address), ConsistentRead: true }),
    );
    return read.Item === undefined ? null : probeRecordOf(read.Item);
  }

  /** Sets `field` on the probe when `condition` holds; the record after it, or null when the condition failed. */
  async function markProbe(
    runId: string,
    address: string,
    fields: Readonly<Record<string, string>>,
    condition: string,
  ): Promise<ProbeRecord | null> {
    const names = Object.keys(fields);
    const written = await conditional(() =>
      documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: tableKeys.probe(runId, address),
          UpdateExpression: `SET ${names.map((name) => `${name} = :${name}`).join(', ')}`,
          ConditionExpression: `attribute_exists(#pk) AND ${condition}`,
          ExpressionAttributeNames: partitionKey,
          ExpressionAttributeValues: Object.fromEntries(names.map((name) => [`:${name}`, fields[name]])),
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return written?.Attributes === undefined ? null : probeRecordOf(written.Attributes);
  }

  return {
    async recordProbeSent(probe, expiresAtEpoch) {
      await documents.send(new PutCommand({ TableName: tableName, Item: probeItem(probe, expiresAtEpoch) }));
      await advance(probe, 'lastSentAt', probe.sentAt, { lastRunId: probe.runId, lastSentAt: probe.sentAt });
    },

    async probesOfRun(runId) {
      const probes: ProbeRecord[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await documents.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: '#pk = :run',
            ExpressionAttributeNames: partitionKey,
            ExpressionAttributeValues: { ':run': tableKeys.probeRun(runId) },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        );
        probes.push(...(page.Items ?? []).map(probeRecordOf));
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
      return probes;
    },

    async recordProbeArrival(runId, address, arrivedAt, messageId): Promise<ProbeArrival> {
      const arrived = await markProbe(
        runId,
        address,
        { arrivedAt, arrivalMessageId: messageId },
        'attribute_not_exists(arrivalMessageId)',
      );
      if (arrived !== null) {
        await advance(arrived, 'lastArrivedSentAt', arrived.sentAt, {
          lastArrivedAt: arrivedAt,
          lastArrivedSentAt: arrived.sentAt,
        });
        return { kind: 'first', probe: arrived };
      }
      const probe = await probeOf(runId, address);
      if (probe === null) return { kind: 'unknown' };
      return { kind: probe.arrivalMessageId === messageId ? 'retry' : 'replayed', probe };
    },

    async markProbeMissing(runId, address, at) {
      const marked = await markProbe(
        runId,
        address,
        { missingAlertedAt: at },
        'attribute_not_exists(arrivedAt) AND attribute_not_exists(missingAlertedAt)',
      );
      if (marked === null) return false;
      await advance(marked, 'lastMissingAt', at, { lastMissingAt: at });
      return true;
    },

    async markLateCleared(runId, address, at) {
      const marked = await markProbe(
        runId,
        address,
        { lateClearedAt: at },
        'attribute_exists(missingAlertedAt) AND attribute_not_exists(lateClearedAt)',
      );
      return marked !== null;
    },

    async addressStates(addresses): Promise<ProbeAddressState[]> {
      const found = new Map<string, TableItem>();
      for (let first = 0; first < addresses.length; first += BATCH_GET_MAX_KEYS) {
        let keys: Record<string, unknown>[] = addresses
          .slice(first, first + BATCH_GET_MAX_KEYS)
          .map((target) => tableKeys.probeAddress(target.address));
        for (let attempt = 1; keys.length > 0; attempt += 1) {
          if (attempt > BATCH_GET_ATTEMPTS) {
            throw new Error(
              `the state table left ${keys.length} canary address states unread after ${attempt - 1} tries`,
            );
          }
          const page = await documents.send(
            new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
          );
          for (const item of page.Responses?.[tableName] ?? []) found.set(String(item.address), item);
          keys = page.UnprocessedKeys?.[tableName]?.Keys ?? [];
        }
      }
      return addresses.map((target) => probeAddressStateOf(found.get(target.address), target));
    },
  };
}

/**
 * The events handler's view of the state table (DynamoDB): the certificate's requests through the items the router
 * lists them under, and conditional writes for what must happen once:
 *
 * - `acm-event#<id>` / `outcome`: the one outcome of an ACM event, written once.
 * - `request#<key>` / `current`: `issuedAt`, `issuedByEvent` set once (the first Available event of the window);
 *   `issuedNoticeSentAt` when its follow-up went out.
 * - `alert#renewal-mail-missing#<arn>` / `marker`: the certificate's last missing-mail alert, with the expiry of the
 *   window it was for; a later window (its start after that expiry) may alert again.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CertificateEventStore } from '../ports/acm-events.js';
import { conditional } from './dynamodb-conditions.js';
import {
  acmEventOutcomeItem,
  acmEventOutcomeOf,
  certificateRequestStateOf,
  listedRequestKeyOf,
  tableAttributes,
  tableKeys,
} from './request-table-codec.js';

/** The alert marker's key: one per certificate (the window it was for is an attribute). */
export const renewalAlertKey = (certificateArn: string) => `renewal-mail-missing#${certificateArn}`;

/** What a released lease says: sorts before every ISO time. */
const RELEASED = '0000-00-00T00:00:00.000Z';

export function dynamoDbCertificateEventStore(client: DynamoDBClient, tableName: string): CertificateEventStore {
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const names = { '#pk': tableAttributes.partitionKey };

  return {
    async recordedOutcome(eventId) {
      const found = await documents.send(
        new GetCommand({ TableName: tableName, Key: tableKeys.acmEvent(eventId), ConsistentRead: true }),
      );
      return found.Item ? acmEventOutcomeOf(found.Item) : null;
    },

    async leaseEvent(eventId, now, until, expiresAtEpoch) {
      const written = await conditional(() =>
        documents.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...tableKeys.acmEventLease(eventId),
              leaseUntil: until,
              [tableAttributes.timeToLive]: expiresAtEpoch,
            },
            ConditionExpression: 'attribute_not_exists(#pk) OR leaseUntil < :now',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ':now': now },
          }),
        ),
      );
      return written !== null;
    },

    async releaseEvent(eventId) {
      // Ended rather than deleted (the handler may not delete items): a time before any ISO time, so `leaseEvent`'s
      // condition holds for the next delivery however soon it comes.
      await documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: tableKeys.acmEventLease(eventId),
          UpdateExpression: 'SET leaseUntil = :released',
          ExpressionAttributeValues: { ':released': RELEASED },
        }),
      );
    },

    async recordOutcome(record) {
      const written = await conditional(() =>
        documents.send(
          new PutCommand({
            TableName: tableName,
            Item: acmEventOutcomeItem(record),
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: names,
          }),
        ),
      );
      if (written !== null) return record;
      return (await this.recordedOutcome(record.eventId)) ?? record;
    },

    async requestsOf(certificateArn) {
      const keys: string[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await documents.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: '#pk = :certificate',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ':certificate': tableKeys.certificateRequests(certificateArn) },
            ExclusiveStartKey: start,
            ConsistentRead: true,
          }),
        );
        for (const item of page.Items ?? []) {
          const key = listedRequestKeyOf(item);
          if (key !== null) keys.push(key);
        }
        start = page.LastEvaluatedKey;
      } while (start);
      const requests = [];
      for (const key of keys) {
        const found = await documents.send(
          new GetCommand({ TableName: tableName, Key: tableKeys.request(key), ConsistentRead: true }),
        );
        // Listed before the request was written, and the write never came (a crash): nothing to close.
        if (found.Item) requests.push(certificateRequestStateOf(found.Item));
      }
      return requests;
    },

    async markIssued(requestKey, eventId, issuedAt) {
      const written = await conditional(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: tableKeys.request(requestKey),
            UpdateExpression: 'SET issuedAt = :at, issuedByEvent = :event',
            ConditionExpression: 'attribute_exists(#pk) AND (attribute_not_exists(issuedAt) OR issuedByEvent = :event)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ':at': issuedAt, ':event': eventId },
          }),
        ),
      );
      return written !== null;
    },

    async markIssuedNoticeSent(requestKey, eventId, at) {
      await conditional(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: tableKeys.request(requestKey),
            UpdateExpression: 'SET issuedNoticeSentAt = :at',
            ConditionExpression: 'issuedByEvent = :event',
            ExpressionAttributeValues: { ':at': at, ':event': eventId },
          }),
        ),
      );
    },

    async claimRenewalAlert(certificateArn, eventId, window, expiresAtEpoch) {
      const written = await conditional(() =>
        documents.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...tableKeys.alert(renewalAlertKey(certificateArn)),
              claimedBy: eventId,
              alertedExpiry: window.certificateExpiresAt,
              [tableAttributes.timeToLive]: expiresAtEpoch,
            },
            ConditionExpression: 'attribute_not_exists(#pk) OR claimedBy = :me OR alertedExpiry < :windowStart',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ':me': eventId, ':windowStart': window.start },
          }),
        ),
      );
      return written !== null;
    },
  };
}

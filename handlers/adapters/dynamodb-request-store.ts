/**
 * The state table (DynamoDB). Every decision that must hold when five copies of one request are processed at once
 * is a conditional write on one item, so DynamoDB serialises them:
 *
 * - `request#<key>` / `current`: the open request. Created with `attribute_not_exists(pk) OR approvalDeadline <=
 *   receivedAt` (a mail after the 72-hour window opens a new request; the old window is kept as `window#<start>`).
 *   The creator holds a claim (`claimedBy`, `claimExpiresAt`) until the ticket is delivered; a retry of the same
 *   message resumes it, another copy takes it over only once it has expired.
 * - `message#<id>` / `outcome`: the one recorded outcome of a message, written once; only the product events it still
 *   owes the central bus are removed from it, once put (`markEventsPut`).
 * - `alert#<key>` / `marker`: one security alert per request, however many copies arrive.
 * - `rate#<bucket>` / `count`: hourly budgets (summaries of mail that is not ACM's).
 * - `certificate#<arn>` / `request#<key>`: lists the request under its certificate, for ACM's events (which name
 *   the certificate only). Written by every claim, unconditionally: the same item each time, so a retry, a copy or
 *   a crash between it and the request's own write leaves nothing wrong (the events handler skips a listed key
 *   whose request is not there).
 *
 * Keys and item layouts come from the codec (request-table-codec.ts); this file holds the conditions.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Claim, ClaimRequest } from '../core/state.js';
import type { RequestStore } from '../ports/router.js';
import { conditional } from './dynamodb-conditions.js';
import {
  alertMarkerItem,
  certificateRequestItem,
  closedWindowItem,
  linkDigestsOf,
  linksOf,
  openedRequestItem,
  outcomeItem,
  outcomeRecordOf,
  PENDING_EVENTS,
  recipientSet,
  seenLinkOf,
  storedRequestOf,
  tableAttributes,
  tableKeys,
} from './request-table-codec.js';

export function dynamoDbRequestStore(client: DynamoDBClient, tableName: string): RequestStore {
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const requestKey = tableKeys.request;
  // Conditions name the partition key and the TTL attribute through these, never as literals.
  const partitionKey = { '#pk': tableAttributes.partitionKey };

  async function openRequest(request: ClaimRequest): Promise<Claim | null> {
    const item = openedRequestItem(request);
    const written = await conditional(() =>
      documents.send(
        new PutCommand({
          TableName: tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(#pk) OR approvalDeadline <= :received',
          ExpressionAttributeNames: partitionKey,
          ExpressionAttributeValues: { ':received': request.receivedAt },
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );
    if (written === null) return null;
    const previous = written.Attributes;
    if (previous !== undefined) {
      // The expired window stays as history beside the new one.
      await documents.send(new PutCommand({ TableName: tableName, Item: closedWindowItem(previous) }));
    }
    return { kind: 'new', request: storedRequestOf(item) };
  }

  async function joinRequest(request: ClaimRequest): Promise<Claim | null> {
    const joined = await conditional(() =>
      documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: requestKey(request.key),
          UpdateExpression: 'ADD addresses :addresses, messageIds :message SET latestReceivedAt = :received',
          ConditionExpression: 'attribute_exists(#pk) AND approvalDeadline > :received',
          ExpressionAttributeNames: partitionKey,
          ExpressionAttributeValues: {
            ':addresses': recipientSet(request.recipients),
            ':message': new Set([request.messageId]),
            ':received': request.receivedAt,
          },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    if (joined === null || joined.Attributes === undefined) return null;
    const item = joined.Attributes;
    const stored = storedRequestOf(item);
    const me = request.messageId;

    if (stored.status === 'claimed') {
      if (stored.claimedBy === me) return { kind: 'resume', request: stored };
      if (String(item.claimExpiresAt) > request.now) return { kind: 'in-progress', request: stored };
      // The claimer stopped before delivering (crashed, timed out): take its claim over.
      const taken = await conditional(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: requestKey(request.key),
            UpdateExpression: 'SET claimedBy = :me, claimExpiresAt = :expires',
            ConditionExpression: '#status = :claimed AND claimedBy = :previous',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':me': me,
              ':expires': request.claimExpiresAt,
              ':claimed': 'claimed',
              ':previous': stored.claimedBy,
            },
          }),
        ),
      );
      return taken === null ? null : { kind: 'resume', request: { ...stored, claimedBy: me } };
    }

    if (stored.pendingFollowUpBy === me) return { kind: 'follow-up', request: stored };
    const digests = linkDigestsOf(item);
    const digest = request.linkDigest;
    if (digest === null || digests.has(digest)) {
      if (digest !== null) await proveLink(request, digest, item);
      return { kind: 'duplicate', request: stored };
    }
    if (stored.pendingFollowUpBy !== null) return { kind: 'in-progress', request: stored };
    // A link not seen before: ACM resent the request. Exactly one copy of the resend sends the follow-up.
    const followUp = await conditional(() =>
      documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: requestKey(request.key),
          UpdateExpression: 'ADD linkDigests :digestSet SET #links.#digest = :link, pendingFollowUpBy = :me',
          ConditionExpression: 'NOT contains(linkDigests, :digest) AND attribute_not_exists(pendingFollowUpBy)',
          ExpressionAttributeNames: { '#links': 'links', '#digest': digest },
          ExpressionAttributeValues: {
            ':digestSet': new Set([digest]),
            ':digest': digest,
            ':link': seenLinkOf(request),
            ':me': me,
          },
        }),
      ),
    );
    return followUp === null ? null : { kind: 'follow-up', request: { ...stored, pendingFollowUpBy: me } };
  }

  /**
   * The same link again, from a trusted copy: ACM's signature now proves it, so it may become clickable. Never the
   * other way: an unverified copy of a trusted link changes nothing.
   */
  async function proveLink(request: ClaimRequest, digest: string, item: Record<string, unknown>): Promise<void> {
    if (request.trust !== 'trusted' || linksOf(item).find((link) => link.digest === digest)?.trust === 'trusted')
      return;
    await conditional(() =>
      documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: requestKey(request.key),
          UpdateExpression: 'SET #links.#digest.#trust = :trusted, #trust = :trusted',
          ConditionExpression: 'attribute_exists(#links.#digest)',
          ExpressionAttributeNames: { '#links': 'links', '#digest': digest, '#trust': 'trust' },
          ExpressionAttributeValues: { ':trusted': 'trusted' },
        }),
      ),
    );
  }

  async function updateOwnClaim(key: string, messageId: string, expression: string, values: Record<string, unknown>) {
    await documents.send(
      new UpdateCommand({
        TableName: tableName,
        Key: requestKey(key),
        UpdateExpression: expression,
        ConditionExpression: 'claimedBy = :me',
        ExpressionAttributeNames: expression.includes('#status') ? { '#status': 'status' } : undefined,
        ExpressionAttributeValues: { ':me': messageId, ...values },
      }),
    );
  }

  return {
    async recordedOutcome(messageId) {
      const found = await documents.send(
        new GetCommand({
          TableName: tableName,
          Key: tableKeys.outcome(messageId),
          ConsistentRead: true,
        }),
      );
      return found.Item ? outcomeRecordOf(found.Item) : null;
    },

    async recordOutcome(record) {
      const written = await conditional(() =>
        documents.send(
          new PutCommand({
            TableName: tableName,
            Item: outcomeItem(record),
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: partitionKey,
          }),
        ),
      );
      if (written !== null) return record;
      const existing = await this.recordedOutcome(record.messageId);
      return existing ?? record;
    },

    async markEventsPut(messageId) {
      // Conditional on the outcome existing: REMOVE on a missing key would create an item holding only the key.
      await conditional(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: tableKeys.outcome(messageId),
            UpdateExpression: 'REMOVE #pending',
            ConditionExpression: 'attribute_exists(#pk)',
            ExpressionAttributeNames: { ...partitionKey, '#pending': PENDING_EVENTS },
          }),
        ),
      );
    },

    async claim(request) {
      await documents.send(new PutCommand({ TableName: tableName, Item: certificateRequestItem(request) }));
      // Each step is one conditional write; a lost race means the item changed under us, so look again.
      for (let attempt = 0; attempt < 8; attempt += 1) {
        const claim = (await openRequest(request)) ?? (await joinRequest(request));
        if (claim !== null) return claim;
      }
      throw new Error(`claim of request ${request.key}: the item kept changing under 8 attempts`);
    },

    async markTicketSent(key, messageId, ticketMessageIds, ticketSubject) {
      const [first] = Object.values(ticketMessageIds);
      if (first === undefined) return;
      // The whole map at once: we hold the claim, so no other copy writes it meanwhile, and a request stored before
      // tickets were kept per queue has no map to set a member of.
      await updateOwnClaim(
        key,
        messageId,
        'SET ticketMessageIds = :tickets, ticketMessageId = if_not_exists(ticketMessageId, :first), ticketSubject = :subject',
        { ':tickets': { ...ticketMessageIds }, ':first': first, ':subject': ticketSubject },
      );
    },

    async markPublished(key, messageId, at) {
      await updateOwnClaim(key, messageId, 'SET publishedAt = :at', { ':at': at });
    },

    async markDelivered(key, messageId) {
      await updateOwnClaim(key, messageId, 'SET #status = :delivered REMOVE claimedBy, claimExpiresAt', {
        ':delivered': 'delivered',
      });
    },

    async finishFollowUp(key, messageId) {
      await conditional(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: requestKey(key),
            UpdateExpression: 'REMOVE pendingFollowUpBy',
            ConditionExpression: 'pendingFollowUpBy = :me',
            ExpressionAttributeValues: { ':me': messageId },
          }),
        ),
      );
    },

    async claimAlert(alertKey, messageId, expiresAtEpoch) {
      const written = await conditional(() =>
        documents.send(
          new PutCommand({
            TableName: tableName,
            Item: alertMarkerItem(alertKey, messageId, expiresAtEpoch),
            ConditionExpression: 'attribute_not_exists(#pk) OR claimedBy = :me',
            ExpressionAttributeNames: partitionKey,
            ExpressionAttributeValues: { ':me': messageId },
          }),
        ),
      );
      return written !== null;
    },

    async takeHourlySlot(bucket, max, expiresAtEpoch) {
      const taken = await conditional(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: tableKeys.hourlyBudget(bucket),
            UpdateExpression: 'ADD used :one SET #ttl = :expires',
            ExpressionAttributeNames: { '#ttl': tableAttributes.timeToLive },
            ConditionExpression: 'attribute_not_exists(used) OR used < :max',
            ExpressionAttributeValues: { ':one': 1, ':max': max, ':expires': expiresAtEpoch },
          }),
        ),
      );
      return taken !== null;
    },
  };
}

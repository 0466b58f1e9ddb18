/**
 * The state table (DynamoDB). Every decision that must hold when five copies of one request are processed at once
 * is a conditional write on one item, so DynamoDB serialises them:
 *
 * - `request#<key>` / `current`: the open request. Created with `attribute_not_exists(pk) OR approvalDeadline <=
 *   receivedAt` (a mail after the 72-hour window opens a new request; the old window is kept as `window#<start>`).
 *   The creator holds a claim (`claimedBy`, `claimExpiresAt`) until the ticket is delivered; a retry of the same
 *   message resumes it, another copy takes it over only once it has expired.
 * - `message#<id>` / `outcome`: the one recorded outcome of a message, written once.
 * - `alert#<key>` / `marker`: one security alert per request, however many copies arrive.
 * - `rate#<bucket>` / `count`: hourly budgets (summaries of mail that is not ACM's).
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SECURITY_DIGEST_OWNER } from '../core/deployment-contract.js';
import type { Claim, ClaimRequest, OutcomeRecord, RequestRecord, SeenLink, StoredRequest } from '../core/state.js';
import type { RequestStore } from '../ports/router.js';

const CURRENT = 'current';

export function dynamoDbRequestStore(client: DynamoDBClient, tableName: string): RequestStore {
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const requestKey = (key: string) => ({ pk: `request#${key}`, sk: CURRENT });

  async function conditional<T>(write: () => Promise<T>): Promise<T | null> {
    try {
      return await write();
    } catch (error) {
      if (
        error instanceof ConditionalCheckFailedException ||
        (error as Error).name === 'ConditionalCheckFailedException'
      ) {
        return null;
      }
      throw error;
    }
  }

  async function openRequest(request: ClaimRequest): Promise<Claim | null> {
    const item = {
      ...requestKey(request.key),
      key: request.key,
      domain: request.domain,
      accountId: request.accountId,
      region: request.region,
      certificateArn: request.certificateArn,
      owner: request.owner,
      // Listed in the digest index under its owner, by deadline, while this window is the current one.
      digestOwner: request.owner,
      digestAt: request.approvalDeadline,
      renewal: request.renewal,
      trust: request.trust,
      firstReceivedAt: request.receivedAt,
      latestReceivedAt: request.receivedAt,
      approvalDeadline: request.approvalDeadline,
      addresses: new Set(request.recipients.length > 0 ? request.recipients : ['(none)']),
      messageIds: new Set([request.messageId]),
      linkDigests: request.linkDigest ? new Set([request.linkDigest]) : undefined,
      // Each link with the trust of the mail it came in, for the digest and follow-ups; the table is encrypted at
      // rest and no log line ever holds a link.
      links: request.linkDigest ? { [request.linkDigest]: seenLink(request) } : {},
      certificateExpiresAt: request.certificateExpiresAt ?? undefined,
      threadAnchor: request.threadAnchor,
      status: 'claimed',
      claimedBy: request.messageId,
      claimExpiresAt: request.claimExpiresAt,
      expiresAt: request.expiresAtEpoch,
    };
    const written = await conditional(() =>
      documents.send(
        new PutCommand({
          TableName: tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk) OR approvalDeadline <= :received',
          ExpressionAttributeValues: { ':received': request.receivedAt },
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );
    if (written === null) return null;
    const previous = written.Attributes;
    if (previous !== undefined) {
      // The expired window stays as history beside the new one.
      await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...previous,
            sk: `window#${String(previous.firstReceivedAt)}`,
            digestOwner: undefined,
            digestAt: undefined,
          },
        }),
      );
    }
    return { kind: 'new', request: toStoredRequest(item) };
  }

  async function joinRequest(request: ClaimRequest): Promise<Claim | null> {
    const joined = await conditional(() =>
      documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: requestKey(request.key),
          UpdateExpression: 'ADD addresses :addresses, messageIds :message SET latestReceivedAt = :received',
          ConditionExpression: 'attribute_exists(pk) AND approvalDeadline > :received',
          ExpressionAttributeValues: {
            ':addresses': new Set(request.recipients.length > 0 ? request.recipients : ['(none)']),
            ':message': new Set([request.messageId]),
            ':received': request.receivedAt,
          },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    if (joined === null || joined.Attributes === undefined) return null;
    const item = joined.Attributes;
    const stored = toStoredRequest(item);
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
    const digests = item.linkDigests instanceof Set ? (item.linkDigests as Set<string>) : new Set<string>();
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
            ':link': seenLink(request),
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
          Key: { pk: `message#${messageId}`, sk: 'outcome' },
          ConsistentRead: true,
        }),
      );
      return found.Item ? toOutcomeRecord(found.Item) : null;
    },

    async recordOutcome(record) {
      const written = await conditional(() =>
        documents.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              pk: `message#${record.messageId}`,
              sk: 'outcome',
              messageId: record.messageId,
              outcome: record.outcome,
              requestKey: record.requestKey ?? undefined,
              reasons: record.reasons,
              detail: record.detail ?? undefined,
              recordedAt: record.recordedAt,
              expiresAt: record.expiresAtEpoch,
              ...(record.security
                ? { ...record.security, digestOwner: SECURITY_DIGEST_OWNER, digestAt: record.recordedAt }
                : {}),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      if (written !== null) return record;
      const existing = await this.recordedOutcome(record.messageId);
      return existing ?? record;
    },

    async claim(request) {
      // Each step is one conditional write; a lost race means the item changed under us, so look again.
      for (let attempt = 0; attempt < 8; attempt += 1) {
        const claim = (await openRequest(request)) ?? (await joinRequest(request));
        if (claim !== null) return claim;
      }
      throw new Error(`claim of request ${request.key}: the item kept changing under 8 attempts`);
    },

    async markTicketSent(key, messageId, ticketMessageId, ticketSubject) {
      await updateOwnClaim(key, messageId, 'SET ticketMessageId = :ticket, ticketSubject = :subject', {
        ':ticket': ticketMessageId,
        ':subject': ticketSubject,
      });
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
            Item: { pk: `alert#${alertKey}`, sk: 'marker', claimedBy: messageId, expiresAt: expiresAtEpoch },
            ConditionExpression: 'attribute_not_exists(pk) OR claimedBy = :me',
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
            Key: { pk: `rate#${bucket}`, sk: 'count' },
            UpdateExpression: 'ADD used :one SET expiresAt = :expires',
            ConditionExpression: 'attribute_not_exists(used) OR used < :max',
            ExpressionAttributeValues: { ':one': 1, ':max': max, ':expires': expiresAtEpoch },
          }),
        ),
      );
      return taken !== null;
    },
  };
}

function seenLink(request: ClaimRequest): SeenLink {
  return { url: request.approvalUrl ?? '', trust: request.trust, receivedAt: request.receivedAt };
}

/**
 * The links an item holds, oldest first. An item written before links kept their trust has only `latestApprovalUrl`:
 * nothing says which mail that link came in, so it counts as unverified.
 */
function linksOf(item: Record<string, unknown>): (SeenLink & { readonly digest: string })[] {
  const map = typeof item.links === 'object' && item.links !== null ? (item.links as Record<string, unknown>) : null;
  if (map === null) {
    return typeof item.latestApprovalUrl === 'string' && item.latestApprovalUrl !== ''
      ? [{ digest: '', url: item.latestApprovalUrl, trust: 'unverified', receivedAt: String(item.latestReceivedAt) }]
      : [];
  }
  return Object.entries(map)
    .map(([digest, value]) => {
      const link = (value ?? {}) as Record<string, unknown>;
      return {
        digest,
        url: String(link.url ?? ''),
        trust: link.trust === 'trusted' ? ('trusted' as const) : ('unverified' as const),
        receivedAt: String(link.receivedAt ?? ''),
      };
    })
    .filter((link) => link.url !== '')
    .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
}

/** The fields every reader of a request item needs (the router's claims, the digest). */
export function requestRecordOf(item: Record<string, unknown>): RequestRecord & {
  readonly firstReceivedAt: string;
  readonly addresses: readonly string[];
  readonly links: readonly SeenLink[];
} {
  const addresses = item.addresses instanceof Set ? [...(item.addresses as Set<string>)] : [];
  return {
    key: String(item.key),
    domain: String(item.domain),
    accountId: String(item.accountId),
    region: String(item.region),
    certificateArn: String(item.certificateArn),
    owner: String(item.owner),
    renewal: item.renewal === true,
    trust: item.trust === 'trusted' ? 'trusted' : 'unverified',
    approvalDeadline: String(item.approvalDeadline),
    firstReceivedAt: String(item.firstReceivedAt),
    // '(none)' stands in for an empty set, which DynamoDB cannot store.
    addresses: addresses.filter((address) => address !== '(none)').sort(),
    links: linksOf(item).map(({ url, trust, receivedAt }) => ({ url, trust, receivedAt })),
  };
}

function toStoredRequest(item: Record<string, unknown>): StoredRequest {
  const text = (name: string) => (typeof item[name] === 'string' ? (item[name] as string) : null);
  return {
    ...requestRecordOf(item),
    latestReceivedAt: String(item.latestReceivedAt),
    threadAnchor: String(item.threadAnchor),
    status: item.status === 'delivered' ? 'delivered' : 'claimed',
    claimedBy: text('claimedBy'),
    ticketMessageId: text('ticketMessageId'),
    publishedAt: text('publishedAt'),
    pendingFollowUpBy: text('pendingFollowUpBy'),
  };
}

function toOutcomeRecord(item: Record<string, unknown>): OutcomeRecord {
  return {
    messageId: String(item.messageId),
    outcome: item.outcome as OutcomeRecord['outcome'],
    requestKey: typeof item.requestKey === 'string' ? item.requestKey : null,
    reasons: Array.isArray(item.reasons) ? (item.reasons as string[]) : [],
    detail: typeof item.detail === 'string' ? item.detail : null,
    recordedAt: String(item.recordedAt),
    expiresAtEpoch: Number(item.expiresAt),
  };
}

/** What the digest reads from the state table: only through the sparse digest index, never a scan. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { REQUEST_TABLE_SCHEMA, SECURITY_DIGEST_OWNER } from '../core/deployment-contract.js';
import type { SecurityEvent } from '../core/state.js';
import type { DigestStore } from '../ports/digest.js';
import { requestRecordOf } from './dynamodb-request-store.js';

export function dynamoDbDigestStore(client: DynamoDBClient, tableName: string): DigestStore {
  const documents = DynamoDBDocumentClient.from(client);
  const s = REQUEST_TABLE_SCHEMA;

  async function query(owner: string, since: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: s.digestIndex,
          KeyConditionExpression: '#owner = :owner AND #at > :since',
          ExpressionAttributeNames: { '#owner': s.digestOwner, '#at': s.digestAt },
          ExpressionAttributeValues: { ':owner': owner, ':since': since },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...((page.Items ?? []) as Record<string, unknown>[]));
      start = page.LastEvaluatedKey as Record<string, unknown> | undefined;
    } while (start);
    return items;
  }

  return {
    async requestsOf(owner, since) {
      return (await query(owner, since)).map((item) => ({
        ...requestRecordOf(item),
        certificateExpiresAt: optionalText(item.certificateExpiresAt),
        ticketSubject: optionalText(item.ticketSubject),
        ticketMessageId: optionalText(item.ticketMessageId),
      }));
    },
    async securityEvents(since) {
      return (await query(SECURITY_DIGEST_OWNER, since)).map((item) => ({
        messageId: text(item.messageId),
        outcome: item.outcome as SecurityEvent['outcome'],
        recordedAt: text(item.recordedAt),
        requestKey: optionalText(item.requestKey),
        subject: text(item.subject),
        domain: optionalText(item.domain),
        accountId: optionalText(item.accountId),
        region: optionalText(item.region),
        certificateArn: optionalText(item.certificateArn),
        authenticated: item.authenticated === true,
        reasons: Array.isArray(item.reasons) ? (item.reasons as string[]) : [],
      }));
    },
  };
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const optionalText = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

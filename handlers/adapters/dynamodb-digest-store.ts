/** What the digest reads from the state table: only through the sparse digest index, never a scan. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { REQUEST_TABLE_SCHEMA, SECURITY_DIGEST_OWNER } from '../core/deployment-contract.js';
import type { DigestStore } from '../ports/digest.js';
import { digestRequestOf, securityEventOf } from './request-table-codec.js';

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
      return (await query(owner, since)).map(digestRequestOf);
    },
    async securityEvents(since) {
      return (await query(SECURITY_DIGEST_OWNER, since)).map(securityEventOf);
    },
  };
}

/**
 * The approval mail our pipeline received, per certificate, from the state table: one paginated scan of the request
 * items (a CLI report, run by a person now and then; the router's and digest's reads stay on keys and the index).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { seenMailByCertificate } from '../core/estate/mail-history.js';
import type { ApprovalMailHistory } from '../ports/estate.js';
import { requestSightingOf, requestSightingScan } from './request-table-codec.js';

export function dynamoDbMailHistory(client: DynamoDBClient, tableName: string): ApprovalMailHistory {
  const documents = DynamoDBDocumentClient.from(client);
  return {
    async seenMail() {
      const sightings = [];
      for await (const page of paginateScan(
        { client: documents },
        {
          TableName: tableName,
          FilterExpression: requestSightingScan.filter,
          ProjectionExpression: requestSightingScan.projection,
          ExpressionAttributeNames: { ...requestSightingScan.names },
          ExpressionAttributeValues: { ...requestSightingScan.values },
        },
      )) {
        for (const item of page.Items ?? []) sightings.push(requestSightingOf(item));
      }
      return seenMailByCertificate(sightings);
    },
  };
}

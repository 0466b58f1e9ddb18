/** The organisation's last good list of accounts, in the state table, shared by every container and function. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AccountListCache } from '../ports/accounts.js';
import { organizationAccountsItem, organizationAccountsOf, tableKeys } from './request-table-codec.js';

export function dynamoDbAccountCache(client: DynamoDBClient, tableName: string): AccountListCache {
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return {
    async read() {
      const read = await documents.send(
        new GetCommand({ TableName: tableName, Key: tableKeys.organizationAccounts() }),
      );
      return read.Item === undefined ? null : organizationAccountsOf(read.Item);
    },
    async write(list) {
      // Only a newer list replaces the stored one: two containers reading at once leave the later reading.
      await documents
        .send(
          new PutCommand({
            TableName: tableName,
            Item: organizationAccountsItem(list),
            ConditionExpression: 'attribute_not_exists(readAt) OR readAt <= :readAt',
            ExpressionAttributeValues: { ':readAt': list.readAt },
          }),
        )
        .catch((error: Error) => {
          if (error.name !== 'ConditionalCheckFailedException') throw error;
        });
    },
  };
}

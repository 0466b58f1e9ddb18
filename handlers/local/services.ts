/**
 * Local stand-ins for S3, SNS, SQS, DynamoDB and SES sending, on 127.0.0.1 with ports the OS picks, in this process:
 * fauxqs (S3, SNS, SQS), dynalite (DynamoDB), aws-ses-v2-local (SES v2 SendEmail). The pipeline's real adapters are
 * pointed at them; nothing here is used in Lambda. See ../shared/docs/toolchain.md for why these three.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import sesLocalModule from 'aws-ses-v2-local';
import dynalite from 'dynalite';
import { startFauxqs } from 'fauxqs';
import type { AwsClientOptions } from '../adapters/aws-clients.js';
import { REQUEST_TABLE_SCHEMA } from '../core/deployment-contract.js';

export interface LocalServices {
  readonly endpoints: NonNullable<AwsClientOptions['endpoints']> & { readonly sqs: string };
  /** aws-ses-v2-local's inspection endpoint (`GET /store`). */
  readonly sesStoreUrl: string;
  readonly fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
  stop(): Promise<void>;
}

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

// The package's default export arrives wrapped when loaded from ESM.
type StartSesLocal = (config: { host: string; port: number }) => Promise<Server>;
const sesLocalExports = sesLocalModule as unknown as StartSesLocal & { default?: StartSesLocal };
const startSesLocal: StartSesLocal = sesLocalExports.default ?? sesLocalExports;

export async function startLocalServices(): Promise<LocalServices> {
  const fauxqs = await startFauxqs({ port: 0, logger: false, host: '127.0.0.1' } as Parameters<typeof startFauxqs>[0]);
  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => dynamo.listen(0, '127.0.0.1', () => resolve()));
  const ses: Server = await startSesLocal({ host: '127.0.0.1', port: 0 });
  const sesUrl = `http://127.0.0.1:${(ses.address() as AddressInfo).port}`;
  // The SES emulator keeps what was sent in one store per process: start from an empty one.
  await fetch(`${sesUrl}/clear-store`, { method: 'POST' });
  const dynamoUrl = `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`;
  return {
    endpoints: { s3: fauxqs.address, sns: fauxqs.address, sqs: fauxqs.address, dynamodb: dynamoUrl, sesv2: sesUrl },
    sesStoreUrl: `${sesUrl}/store`,
    fauxqs,
    async stop() {
      await fauxqs.stop();
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
      await new Promise<void>((resolve) => {
        ses.closeAllConnections?.();
        ses.close(() => resolve());
      });
    },
  };
}

/** The state table exactly as infra/constructs/request-state.ts declares it (keys and the open-requests index). */
export async function createRequestTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const s = REQUEST_TABLE_SCHEMA;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: s.partitionKey, AttributeType: 'S' },
        { AttributeName: s.sortKey, AttributeType: 'S' },
        { AttributeName: s.openOwner, AttributeType: 'S' },
        { AttributeName: s.approvalDeadline, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: s.partitionKey, KeyType: 'HASH' },
        { AttributeName: s.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: s.openRequestsIndex,
          KeySchema: [
            { AttributeName: s.openOwner, KeyType: 'HASH' },
            { AttributeName: s.approvalDeadline, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
}

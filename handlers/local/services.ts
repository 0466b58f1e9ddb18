/**
 * Local stand-ins for S3, SNS, SQS, DynamoDB, SES sending and Secrets Manager, on 127.0.0.1 with ports the OS picks,
 * in this process: fauxqs (S3, SNS, SQS), dynalite (DynamoDB), aws-ses-v2-local (SES v2 SendEmail) and our own stub
 * of Secrets Manager's GetSecretValue holding a probe key made for the run. The pipeline's real adapters are
 * pointed at them; nothing here is used in Lambda. README.md, "Run it locally", says why these three.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import sesLocalModule from 'aws-ses-v2-local';
import dynalite from 'dynalite';
import { startFauxqs } from 'fauxqs';
import { type AwsClientOptions, type AwsClients, awsClients } from '../adapters/aws-clients.js';
import type { Configuration } from '../core/configuration/index.js';
import { REQUEST_TABLE_SCHEMA } from '../core/deployment-contract.js';
import type { RouterResources } from '../router/wired-router.js';
import { type EventBridgeStub, startEventBridgeStub } from './eventbridge-stub.js';
import { freshProbeKeySecret, type SecretsManagerStub, startSecretsManagerStub } from './secrets-manager-stub.js';

export interface LocalServices {
  readonly endpoints: NonNullable<AwsClientOptions['endpoints']> & { readonly sqs: string };
  /** aws-ses-v2-local's inspection endpoint (`GET /store`). */
  readonly sesStoreUrl: string;
  readonly fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
  readonly secretsManager: SecretsManagerStub;
  /** Our stub of EventBridge's PutEvents: no emulator has one (eventbridge-stub.ts). */
  readonly eventBridge: EventBridgeStub;
  /** The canary's probe key for this run: the secret the stub serves, and its bytes (the canary signs with them). */
  readonly probeKey: { readonly secretArn: string; readonly key: Uint8Array };
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
  const probeSecret = freshProbeKeySecret('us-east-1');
  const secretsManager = await startSecretsManagerStub([probeSecret]);
  const eventBridge = await startEventBridgeStub();
  return {
    endpoints: {
      s3: fauxqs.address,
      sns: fauxqs.address,
      sqs: fauxqs.address,
      dynamodb: dynamoUrl,
      sesv2: sesUrl,
      secretsmanager: secretsManager.endpoint,
      eventbridge: eventBridge.endpoint,
    },
    sesStoreUrl: `${sesUrl}/store`,
    fauxqs,
    secretsManager,
    eventBridge,
    probeKey: { secretArn: probeSecret.arn, key: new Uint8Array(Buffer.from(probeSecret.secretString, 'utf8')) },
    async stop() {
      await secretsManager.stop();
      await eventBridge.stop();
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
        { AttributeName: s.digestOwner, AttributeType: 'S' },
        { AttributeName: s.digestAt, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: s.partitionKey, KeyType: 'HASH' },
        { AttributeName: s.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: s.digestIndex,
          KeySchema: [
            { AttributeName: s.digestOwner, KeyType: 'HASH' },
            { AttributeName: s.digestAt, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
}

/** The stack's resources recreated on the emulators: archive bucket, state table, topics with capturing queues. */
export interface LocalDeployment {
  readonly clients: AwsClients;
  readonly sqs: SQSClient;
  readonly bucket: string;
  readonly table: string;
  readonly approvalsTopicArn: string;
  readonly alertsTopicArn: string;
  readonly approvalsQueueUrl: string;
  readonly alertsQueueUrl: string;
  /** The probe key's secret in the Secrets Manager stub. */
  readonly probeKeySecretArn: string;
  /** The central event bus in the EventBridge stub. */
  readonly eventBusName: string;
}

export async function provisionLocalDeployment(
  services: LocalServices,
  options: {
    readonly region: string;
    /** Appended to every resource name, so that several deployments share one set of emulators. */
    readonly suffix: string;
    readonly requestHandler?: AwsClientOptions['requestHandler'];
    readonly maxAttempts?: number;
    /** Where the central bus writes each event it accepts, one JSON per line. @default - kept in memory only */
    readonly eventsFile?: string;
  },
): Promise<LocalDeployment> {
  const { region, suffix } = options;
  const clients = awsClients({
    region,
    endpoints: services.endpoints,
    credentials: LOCAL_CREDENTIALS,
    requestHandler: options.requestHandler,
    maxAttempts: options.maxAttempts,
  });
  const bucket = `acm-mail-archive-${suffix}`;
  const table = `acm-mail-state-${suffix}`;
  const eventBusName = `acm-mail-events-${suffix}`;
  services.fauxqs.createBucket(bucket);
  services.eventBridge.createBus(eventBusName, { file: options.eventsFile });
  // Created with default clients: fault injection (requestHandler) is for the pipeline's calls, not the set-up.
  await createRequestTable(
    awsClients({ region, endpoints: services.endpoints, credentials: LOCAL_CREDENTIALS }).dynamodb,
    table,
  );
  const topic = (name: string) => {
    const { topicArn } = services.fauxqs.createTopic(`${name}-${suffix}`, { region });
    const { queueUrl } = services.fauxqs.createQueue(`${name}-capture-${suffix}`, { region });
    services.fauxqs.subscribe({ topic: `${name}-${suffix}`, queue: `${name}-capture-${suffix}`, region });
    return { topicArn, queueUrl };
  };
  const approvals = topic('acm-approvals');
  const alerts = topic('acm-alerts');
  return {
    clients,
    sqs: new SQSClient({ region, endpoint: services.endpoints.sqs, credentials: LOCAL_CREDENTIALS }),
    bucket,
    table,
    approvalsTopicArn: approvals.topicArn,
    alertsTopicArn: alerts.topicArn,
    approvalsQueueUrl: approvals.queueUrl,
    alertsQueueUrl: alerts.queueUrl,
    probeKeySecretArn: services.probeKey.secretArn,
    eventBusName,
  };
}

/** A local deployment's resources, as the router's factory takes them (router/wired-router.ts). */
export function localResources(deployment: LocalDeployment, configuration: Configuration): RouterResources {
  return {
    archiveBucket: deployment.bucket,
    requestTable: deployment.table,
    approvalsTopicArn: deployment.approvalsTopicArn,
    alertsTopicArn: deployment.alertsTopicArn,
    sender: configuration.sender,
    probeKeySecretArn: deployment.probeKeySecretArn,
    eventBusName: deployment.eventBusName,
  };
}

export interface TopicMessage {
  readonly message: Record<string, unknown>;
  readonly attributes: Record<string, { readonly Type?: string; readonly Value: string }>;
}

/** Everything waiting in a capturing queue, unwrapped from SNS's envelope; the queue is left empty. */
export async function drainTopicQueue(sqs: SQSClient, queueUrl: string): Promise<TopicMessage[]> {
  const messages: TopicMessage[] = [];
  for (;;) {
    const answer = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    const batch = answer.Messages ?? [];
    if (batch.length === 0) return messages;
    for (const message of batch) {
      const envelope = JSON.parse(message.Body ?? '{}') as {
        Message?: string;
        MessageAttributes?: TopicMessage['attributes'];
      };
      messages.push({ message: JSON.parse(envelope.Message ?? 'null'), attributes: envelope.MessageAttributes ?? {} });
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
}

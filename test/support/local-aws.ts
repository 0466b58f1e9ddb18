/**
 * The router against local emulators over HTTP, with the production adapters: what the tests observe is what S3,
 * DynamoDB, SES and SNS were really asked to do.
 */
import { randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SESEvent, SESEventRecord } from 'aws-lambda';
import { type AwsClientOptions, type AwsClients, awsClients } from '../../handlers/adapters/aws-clients.js';
import { dynamoDbRequestStore } from '../../handlers/adapters/dynamodb-request-store.js';
import { countingMetrics } from '../../handlers/adapters/observability.js';
import { s3MailArchive } from '../../handlers/adapters/s3-mail-archive.js';
import { sesSnsNotifier } from '../../handlers/adapters/ses-sns-notifier.js';
import { type Configuration, parseConfiguration, watchedAddresses } from '../../handlers/core/configuration/index.js';
import { sesRecordForStoredMail } from '../../handlers/core/stored-mail-event.js';
import {
  createRequestTable,
  LOCAL_CREDENTIALS,
  type LocalServices,
  startLocalServices,
} from '../../handlers/local/services.js';
import type { MailArchive, Notifier, OutgoingMail, RequestStore, RouterLogger } from '../../handlers/router/ports.js';
import type { RouterDeps } from '../../handlers/router/process-mail.js';
import { makeRouter } from '../../handlers/router/router.js';
import { exampleJson, type RawConfiguration } from './configuration.js';

export interface SentMailRecord {
  readonly raw: string;
  readonly mail: OutgoingMail;
  readonly sesMessageId: string;
}

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly extra?: Record<string, unknown>;
}

export interface Harness {
  readonly services: LocalServices;
  readonly clients: AwsClients;
  readonly configuration: Configuration;
  readonly bucket: string;
  readonly table: string;
  readonly store: RequestStore;
  readonly archive: MailArchive;
  readonly notifier: Notifier;
  readonly sent: SentMailRecord[];
  readonly logs: LogLine[];
  readonly metrics: ReturnType<typeof countingMetrics>;
  router(overrides?: Partial<RouterDeps>): (event: SESEvent) => ReturnType<ReturnType<typeof makeRouter>>;
  /** Stores the mail under inbound/<id> as SES would, and returns the SES record for it. */
  deliver(bytes: Buffer, options?: { messageId?: string; timestamp?: string }): Promise<SESEventRecord>;
  event(...records: SESEventRecord[]): SESEvent;
  topicMessages(
    topic: 'approvals' | 'alerts',
  ): Promise<{ message: Record<string, unknown>; attributes: Record<string, { Value: string }> }[]>;
  sesStore(): Promise<{
    emails: { destination: { to: string[] }; subject: string; body: { text?: string; html?: string } }[];
  }>;
  objectExists(key: string): Promise<boolean>;
  requestItem(key: string): Promise<Record<string, unknown> | undefined>;
  stop(): Promise<void>;
}

export async function startHarness(
  options: {
    readonly configuration?: RawConfiguration;
    readonly requestHandler?: AwsClientOptions['requestHandler'];
    readonly maxAttempts?: number;
  } = {},
): Promise<Harness> {
  const services = await startLocalServices();
  const configuration = parseConfiguration(options.configuration ?? exampleJson(), 'test configuration');
  const region = configuration.region;
  const setup = awsClients({ region, endpoints: services.endpoints, credentials: LOCAL_CREDENTIALS });
  const clients = awsClients({
    region,
    endpoints: services.endpoints,
    credentials: LOCAL_CREDENTIALS,
    requestHandler: options.requestHandler,
    maxAttempts: options.maxAttempts,
  });
  const sqs = new SQSClient({ region, endpoint: services.endpoints.sqs, credentials: LOCAL_CREDENTIALS });
  const suffix = randomUUID().slice(0, 8);
  const bucket = `archive-${suffix}`;
  const table = `state-${suffix}`;
  services.fauxqs.createBucket(bucket);
  await createRequestTable(setup.dynamodb, table);
  const approvals = services.fauxqs.createTopic(`approvals-${suffix}`, { region });
  const alerts = services.fauxqs.createTopic(`alerts-${suffix}`, { region });
  const queues = {
    approvals: services.fauxqs.createQueue(`approvals-${suffix}`, { region }).queueUrl,
    alerts: services.fauxqs.createQueue(`alerts-${suffix}`, { region }).queueUrl,
  };
  services.fauxqs.subscribe({ topic: `approvals-${suffix}`, queue: `approvals-${suffix}`, region });
  services.fauxqs.subscribe({ topic: `alerts-${suffix}`, queue: `alerts-${suffix}`, region });

  const sent: SentMailRecord[] = [];
  const logs: LogLine[] = [];
  const logger: RouterLogger = {
    info: (message, extra) => logs.push({ level: 'info', message, extra }),
    warn: (message, extra) => logs.push({ level: 'warn', message, extra }),
    error: (message, extra) => logs.push({ level: 'error', message, extra }),
  };
  const store = dynamoDbRequestStore(clients.dynamodb, table);
  const archive = s3MailArchive(clients.s3, bucket);
  const notifier = sesSnsNotifier(
    clients.sesv2,
    clients.sns,
    {
      sender: configuration.sender,
      approvalsTopicArn: approvals.topicArn,
      alertsTopicArn: alerts.topicArn,
      neverSendTo: watchedAddresses(configuration),
    },
    (raw, sesMessageId, mail) => sent.push({ raw: raw.toString('utf8'), mail, sesMessageId }),
  );
  const metrics = countingMetrics();
  const topicBacklog: Record<
    'approvals' | 'alerts',
    { message: Record<string, unknown>; attributes: Record<string, { Value: string }> }[]
  > = {
    approvals: [],
    alerts: [],
  };

  return {
    services,
    clients,
    configuration,
    bucket,
    table,
    store,
    archive,
    notifier,
    sent,
    logs,
    metrics,
    router: (overrides = {}) =>
      makeRouter({
        configuration,
        archive,
        store,
        notifier,
        metrics,
        logger,
        clock: () => new Date(),
        claimWaitsMs: [20, 40, 80, 160, 320, 640, 1280],
        ...overrides,
      }),
    async deliver(bytes, deliverOptions = {}) {
      const messageId = deliverOptions.messageId ?? `test-${randomUUID()}`;
      await setup.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `inbound/${messageId}`, Body: bytes }));
      const record = sesRecordForStoredMail(messageId, bytes, region, new Date());
      if (deliverOptions.timestamp) {
        return { ...record, ses: { ...record.ses, mail: { ...record.ses.mail, timestamp: deliverOptions.timestamp } } };
      }
      return record;
    },
    event: (...records) => ({ Records: records }),
    async topicMessages(topic) {
      for (;;) {
        const answer = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queues[topic], MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
        );
        const batch = answer.Messages ?? [];
        if (batch.length === 0) break;
        for (const message of batch) {
          const envelope = JSON.parse(message.Body ?? '{}');
          topicBacklog[topic].push({
            message: JSON.parse(envelope.Message),
            attributes: envelope.MessageAttributes ?? {},
          });
          await sqs.send(new DeleteMessageCommand({ QueueUrl: queues[topic], ReceiptHandle: message.ReceiptHandle }));
        }
      }
      return topicBacklog[topic];
    },
    async sesStore() {
      return (await (await fetch(services.sesStoreUrl)).json()) as Awaited<ReturnType<Harness['sesStore']>>;
    },
    async objectExists(key) {
      try {
        await setup.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return true;
      } catch {
        return false;
      }
    },
    async requestItem(key) {
      const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
      const found = await DynamoDBDocumentClient.from(setup.dynamodb).send(
        new GetCommand({ TableName: table, Key: { pk: `request#${key}`, sk: 'current' } }),
      );
      return found.Item;
    },
    stop: () => services.stop(),
  };
}

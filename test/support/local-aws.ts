/**
 * The router against local emulators over HTTP, with the production adapters: what the tests observe is what S3,
 * DynamoDB, SES and SNS were really asked to do.
 */
import { randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SESEvent, SESEventRecord } from 'aws-lambda';
import { type AwsClientOptions, type AwsClients, awsClients } from '../../handlers/adapters/aws-clients.js';
import { countingMetrics } from '../../handlers/adapters/observability.js';
import { tableKeys } from '../../handlers/adapters/request-table-codec.js';
import { type Configuration, parseConfiguration } from '../../handlers/core/configuration/index.js';
import { sesRecordForStoredMail } from '../../handlers/core/stored-mail-event.js';
import type { DeliveredEvent } from '../../handlers/local/eventbridge-stub.js';
import {
  drainTopicQueue,
  LOCAL_CREDENTIALS,
  type LocalServices,
  localResources,
  provisionLocalDeployment,
  startLocalServices,
} from '../../handlers/local/services.js';
import type { OutgoingMail } from '../../handlers/ports/mail.js';
import type { Log } from '../../handlers/ports/observability.js';
import type { MailArchive, Notifier, RequestStore } from '../../handlers/ports/router.js';
import type { RouterDeps } from '../../handlers/router/process-mail.js';
import {
  type RouterResources,
  type RouterWiring,
  routerDeps,
  wiredRouter,
} from '../../handlers/router/wired-router.js';
import { exampleJson, type RawConfiguration } from './configuration.js';
import { fixtureDkim } from './fixtures.js';

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
  /** The resources the harness's routers are wired with. */
  readonly resources: RouterResources;
  readonly store: RequestStore;
  readonly archive: MailArchive;
  readonly notifier: Notifier;
  readonly sent: SentMailRecord[];
  readonly logs: LogLine[];
  readonly metrics: ReturnType<typeof countingMetrics>;
  router(overrides?: Partial<RouterDeps>): (event: SESEvent) => ReturnType<ReturnType<typeof wiredRouter>>;
  /** Stores the mail under inbound/<id> as SES would, and returns the SES record for it. */
  deliver(bytes: Buffer, options?: { messageId?: string; timestamp?: string }): Promise<SESEventRecord>;
  event(...records: SESEventRecord[]): SESEvent;
  topicMessages(
    topic: 'approvals' | 'alerts',
  ): Promise<{ message: Record<string, unknown>; attributes: Record<string, { Value: string }> }[]>;
  sesStore(): Promise<{
    emails: { destination: { to: string[] }; subject: string; body: { text?: string; html?: string } }[];
  }>;
  /** Every event the central bus (the EventBridge stub) accepted, as a rule's target receives it. */
  busEvents(): readonly DeliveredEvent[];
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
  const deployment = await provisionLocalDeployment(services, {
    region,
    suffix: randomUUID().slice(0, 8),
    requestHandler: options.requestHandler,
    maxAttempts: options.maxAttempts,
  });
  const { clients, bucket, table } = deployment;
  const setup = awsClients({ region, endpoints: services.endpoints, credentials: LOCAL_CREDENTIALS });
  const sent: SentMailRecord[] = [];
  const logs: LogLine[] = [];
  const logger: Log = {
    info: (message, extra) => logs.push({ level: 'info', message, extra }),
    warn: (message, extra) => logs.push({ level: 'warn', message, extra }),
    error: (message, extra) => logs.push({ level: 'error', message, extra }),
  };
  const wiring: RouterWiring = {
    configuration,
    clients,
    resources: localResources(deployment, configuration),
    dkimResolver: fixtureDkim().resolver,
    logger,
    observeSentMail: (raw, sesMessageId, mail) => sent.push({ raw: raw.toString('utf8'), mail, sesMessageId }),
  };
  // The same adapters every router of this harness uses, for tests that look at them directly.
  const { archive, store, notifier } = routerDeps(wiring);
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
    resources: wiring.resources,
    store,
    archive,
    notifier,
    sent,
    logs,
    metrics,
    router: (overrides = {}) =>
      wiredRouter(
        { ...wiring, metrics },
        { archive, store, notifier, claimWaitsMs: [20, 40, 80, 160, 320, 640, 1280], ...overrides },
      ),
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
    busEvents: () => services.eventBridge.eventsOn(deployment.eventBusName),
    async topicMessages(topic) {
      const queue = topic === 'approvals' ? deployment.approvalsQueueUrl : deployment.alertsQueueUrl;
      topicBacklog[topic].push(...(await drainTopicQueue(deployment.sqs, queue)));
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
        new GetCommand({ TableName: table, Key: tableKeys.request(key) }),
      );
      return found.Item;
    },
    stop: () => services.stop(),
  };
}

/**
 * The whole pipeline on this machine with no AWS account: local emulators, the real adapters pointed at them, the
 * router exactly as Lambda runs it, one SES receipt event per `.eml` file. What was sent is written under the output
 * folder: every mail as `.eml` (tickets, alerts, summaries) and every topic message as JSON.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { awsClients } from '../adapters/aws-clients.js';
import { dynamoDbRequestStore } from '../adapters/dynamodb-request-store.js';
import { countingMetrics, silentLogger } from '../adapters/observability.js';
import { s3MailArchive } from '../adapters/s3-mail-archive.js';
import { sesSnsNotifier } from '../adapters/ses-sns-notifier.js';
import { type Configuration, watchedAddresses } from '../core/configuration/index.js';
import { ARCHIVE_PREFIX } from '../core/deployment-contract.js';
import type { Outcome } from '../core/routing/outcomes.js';
import { sesRecordForStoredMail } from '../core/stored-mail-event.js';
import type { OutgoingMail, RouterLogger } from '../router/ports.js';
import type { MailOutcome } from '../router/process-mail.js';
import { makeRouter } from '../router/router.js';
import { createRequestTable, LOCAL_CREDENTIALS, startLocalServices } from './services.js';

export interface LocalRunOptions {
  readonly configuration: Configuration;
  /** `.eml` files, or folders whose `.eml` files (recursively) are taken in name order. */
  readonly inputs: readonly string[];
  readonly outDir: string;
  /** Records processed at once, like concurrent Lambda invocations. @default 4 */
  readonly concurrency?: number;
  readonly logger?: RouterLogger;
}

export interface LocalRunCounts {
  messages: number;
  routed: number;
  duplicate: number;
  foreignAccount: number;
  suspicious: number;
  notAcm: number;
  unparseable: number;
  tickets: number;
  alerts: number;
  failed: number;
}

export interface SentMail {
  readonly kind: 'ticket' | 'alert' | 'summary';
  readonly to: readonly string[];
  readonly subject: string;
  readonly raw: Buffer;
}

export interface LocalRunResult {
  readonly counts: LocalRunCounts;
  readonly files: readonly {
    readonly file: string;
    readonly messageId: string;
    readonly outcome: Outcome | 'failed';
  }[];
  readonly sent: readonly SentMail[];
  readonly topicMessages: { readonly approvals: readonly object[]; readonly alerts: readonly object[] };
  /** How many mails the SES emulator says it received: must equal `sent.length`. */
  readonly sesStoreCount: number;
}

const COUNT_KEY: Record<Outcome, keyof LocalRunCounts> = {
  routed: 'routed',
  duplicate: 'duplicate',
  'foreign-account': 'foreignAccount',
  suspicious: 'suspicious',
  'not-acm': 'notAcm',
  unparseable: 'unparseable',
};

export function emlFiles(inputs: readonly string[]): string[] {
  return inputs.flatMap((input) => {
    const path = resolve(input);
    if (!statSync(path).isDirectory()) return [path];
    return readdirSync(path, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.eml'))
      .sort()
      .map((name) => join(path, name));
  });
}

export async function runLocalPipeline(options: LocalRunOptions): Promise<LocalRunResult> {
  const { configuration } = options;
  const files = emlFiles(options.inputs);
  const services = await startLocalServices();
  try {
    const region = configuration.region;
    const clients = awsClients({ region, endpoints: services.endpoints, credentials: LOCAL_CREDENTIALS });
    const sqs = new SQSClient({ region, endpoint: services.endpoints.sqs, credentials: LOCAL_CREDENTIALS });
    const bucket = 'acm-mail-local-archive';
    const table = 'acm-mail-local-state';
    services.fauxqs.createBucket(bucket);
    await createRequestTable(clients.dynamodb, table);
    const approvals = services.fauxqs.createTopic('acm-approvals', { region });
    const alerts = services.fauxqs.createTopic('acm-alerts', { region });
    const approvalsQueue = services.fauxqs.createQueue('acm-approvals-capture', { region });
    const alertsQueue = services.fauxqs.createQueue('acm-alerts-capture', { region });
    services.fauxqs.subscribe({ topic: 'acm-approvals', queue: 'acm-approvals-capture', region });
    services.fauxqs.subscribe({ topic: 'acm-alerts', queue: 'acm-alerts-capture', region });

    const sent: SentMail[] = [];
    const observe = (raw: Buffer, _id: string, mail: OutgoingMail) =>
      sent.push({ kind: kindOf(mail.subject), to: mail.to, subject: mail.subject, raw });
    const metrics = countingMetrics();
    const router = makeRouter({
      configuration,
      archive: s3MailArchive(clients.s3, bucket),
      store: dynamoDbRequestStore(clients.dynamodb, table),
      notifier: sesSnsNotifier(
        clients.sesv2,
        clients.sns,
        {
          sender: configuration.sender,
          approvalsTopicArn: approvals.topicArn,
          alertsTopicArn: alerts.topicArn,
          neverSendTo: watchedAddresses(configuration),
        },
        observe,
      ),
      metrics,
      logger: options.logger ?? silentLogger,
      clock: () => new Date(),
    });

    const results: { file: string; messageId: string; outcome: Outcome | 'failed' }[] = [];
    const queue = files.map((file, index) => ({ file, index }));
    const worker = async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        const bytes = readFileSync(next.file);
        const messageId = `local-${createHash('sha256').update(next.file).update(bytes).digest('hex').slice(0, 32)}`;
        await clients.s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: `${ARCHIVE_PREFIX.inbound}${messageId}`, Body: bytes }),
        );
        let outcome: MailOutcome | null = null;
        try {
          [outcome = null] = await router({ Records: [sesRecordForStoredMail(messageId, bytes, region, new Date())] });
        } catch {
          outcome = null;
        }
        results[next.index] = {
          file: relative(process.cwd(), next.file),
          messageId,
          outcome: outcome?.outcome ?? 'failed',
        };
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));

    const topicMessages = {
      approvals: await drain(sqs, approvalsQueue.queueUrl),
      alerts: await drain(sqs, alertsQueue.queueUrl),
    };
    const store = (await (await fetch(services.sesStoreUrl)).json()) as { emails: unknown[] };
    const counts: LocalRunCounts = {
      messages: files.length,
      routed: 0,
      duplicate: 0,
      foreignAccount: 0,
      suspicious: 0,
      notAcm: 0,
      unparseable: 0,
      tickets: sent.filter((mail) => mail.kind === 'ticket').length,
      alerts: sent.filter((mail) => mail.kind === 'alert').length,
      failed: 0,
    };
    for (const result of results) {
      if (result.outcome === 'failed') counts.failed += 1;
      else counts[COUNT_KEY[result.outcome]] += 1;
    }
    writeOutput(options.outDir, { counts, files: results, sent, topicMessages, sesStoreCount: store.emails.length });
    return { counts, files: results, sent, topicMessages, sesStoreCount: store.emails.length };
  } finally {
    await services.stop();
  }
}

function kindOf(subject: string): SentMail['kind'] {
  if (/^(Re: )?\[ACM approval\]/.test(subject)) return 'ticket';
  if (subject.startsWith('[ACM security]')) return 'alert';
  return 'summary';
}

async function drain(sqs: SQSClient, queueUrl: string): Promise<object[]> {
  const messages: object[] = [];
  for (;;) {
    const answer = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
      }),
    );
    const batch = answer.Messages ?? [];
    if (batch.length === 0) return messages;
    for (const message of batch) {
      const envelope = JSON.parse(message.Body ?? '{}') as { Message?: string; MessageAttributes?: object };
      messages.push({ message: JSON.parse(envelope.Message ?? 'null'), attributes: envelope.MessageAttributes ?? {} });
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
}

function writeOutput(outDir: string, result: LocalRunResult): void {
  rmSync(join(outDir, 'mail'), { recursive: true, force: true });
  mkdirSync(join(outDir, 'mail'), { recursive: true });
  result.sent.forEach((mail, index) => {
    const slug = mail.subject
      .replace(/[^A-Za-z0-9.]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60);
    writeFileSync(join(outDir, 'mail', `${String(index + 1).padStart(3, '0')}-${mail.kind}-${slug}.eml`), mail.raw);
  });
  writeFileSync(join(outDir, 'sns-approvals.json'), `${JSON.stringify(result.topicMessages.approvals, null, 2)}\n`);
  writeFileSync(join(outDir, 'sns-alerts.json'), `${JSON.stringify(result.topicMessages.alerts, null, 2)}\n`);
  writeFileSync(
    join(outDir, 'summary.json'),
    `${JSON.stringify({ counts: result.counts, sesStoreCount: result.sesStoreCount, files: result.files }, null, 2)}\n`,
  );
}

/**
 * AWS SDK clients, created once per container. Production passes only the region; the local run and the tests
 * point them at emulators (`endpoint`) and may slip a request handler underneath the SDK's retries (fault injection).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SNSClient } from '@aws-sdk/client-sns';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface AwsClientOptions {
  readonly region: string;
  /** Per service, e.g. `http://127.0.0.1:4566`: everything else stays as in production. */
  readonly endpoints?: Partial<Record<'s3' | 'dynamodb' | 'sesv2' | 'sns' | 'secretsmanager' | 'eventbridge', string>>;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** @default a Node handler with 2 s to connect and 10 s per request, so a hung endpoint fails and is retried */
  readonly requestHandler?: S3ClientConfig['requestHandler'];
  /** The SDK's attempts per call (standard retry mode: throttling, 5xx and timeouts). @default 3 */
  readonly maxAttempts?: number;
}

export interface AwsClients {
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
  /**
   * Loaded on first use: most mail (duplicates, not-acm) sends nothing, and the two SDK packages are about 130 ms
   * of a cold start on these machines (the bench's coldImportMs).
   */
  readonly sesv2: () => Promise<SESv2Client>;
  readonly sns: () => Promise<SNSClient>;
  /** Loaded on first use too: only a mail that looks like a canary probe needs the probe key. */
  readonly secretsManager: () => Promise<SecretsManagerClient>;
  /** Loaded on first use too: only an outcome that owes the central bus an event puts one. */
  readonly eventBridge: () => Promise<EventBridgeClient>;
}

/** One client per container, created the first time it is asked for. */
function lazily<T>(create: () => Promise<T>): () => Promise<T> {
  let created: Promise<T> | undefined;
  return () => {
    created ??= create();
    return created;
  };
}

export function awsClients(options: AwsClientOptions): AwsClients {
  const common = {
    region: options.region,
    credentials: options.credentials,
    maxAttempts: options.maxAttempts ?? 3,
    retryMode: 'standard',
    // throwOnRequestTimeout: without it this handler version only logs a warning when requestTimeout passes and
    // waits on, so an endpoint that accepts the connection and never answers would hold the function to its timeout.
    requestHandler:
      options.requestHandler ??
      new NodeHttpHandler({ connectionTimeout: 2_000, requestTimeout: 10_000, throwOnRequestTimeout: true }),
  };
  return {
    // Path-style only against an emulator: no wildcard DNS needed on 127.0.0.1.
    s3: new S3Client({
      ...common,
      endpoint: options.endpoints?.s3,
      forcePathStyle: options.endpoints?.s3 !== undefined,
    }),
    dynamodb: new DynamoDBClient({ ...common, endpoint: options.endpoints?.dynamodb }),
    sesv2: lazily(async () => {
      const { SESv2Client } = await import('@aws-sdk/client-sesv2');
      return new SESv2Client({ ...common, endpoint: options.endpoints?.sesv2 });
    }),
    sns: lazily(async () => {
      const { SNSClient } = await import('@aws-sdk/client-sns');
      return new SNSClient({ ...common, endpoint: options.endpoints?.sns });
    }),
    secretsManager: lazily(async () => {
      const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
      return new SecretsManagerClient({ ...common, endpoint: options.endpoints?.secretsmanager });
    }),
    eventBridge: lazily(async () => {
      const { EventBridgeClient } = await import('@aws-sdk/client-eventbridge');
      return new EventBridgeClient({ ...common, endpoint: options.endpoints?.eventbridge });
    }),
  };
}

/**
 * The clients `acm-mail doctor` asks with, all with the shell's credentials and a request timeout: an endpoint that
 * does not answer fails its check in seconds instead of hanging the doctor. Endpoints are the SDK's own
 * (`AWS_ENDPOINT_URL_<SERVICE>` is honoured) unless given, as the tests give local stubs.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESClient } from '@aws-sdk/client-ses';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export type DoctorService = 'sts' | 'cloudformation' | 'ses' | 'sesv2' | 'lambda' | 'dynamodb' | 'scheduler';

export interface DoctorClientOptions {
  readonly region: string;
  readonly endpoints?: Partial<Record<DoctorService, string>>;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** @default 10 s: every question the doctor asks is a small read */
  readonly requestTimeoutMs?: number;
  /**
   * The canary's round sends one mail per watched address before it answers.
   * @default 120 s
   */
  readonly invokeTimeoutMs?: number;
}

/** Everything the doctor asks, one client per service (the doctor's `DoctorClients`, and DynamoDB for the canary store). */
export interface DoctorServiceClients {
  readonly sts: STSClient;
  readonly cloudformation: CloudFormationClient;
  readonly ses: SESClient;
  readonly sesv2: SESv2Client;
  readonly lambda: LambdaClient;
  readonly canaryInvoker: LambdaClient;
  readonly scheduler: SchedulerClient;
  readonly dynamodb: DynamoDBClient;
}

export function doctorClients(options: DoctorClientOptions): DoctorServiceClients {
  const common = (service: DoctorService, requestTimeout = options.requestTimeoutMs ?? 10_000) => ({
    region: options.region,
    credentials: options.credentials,
    endpoint: options.endpoints?.[service],
    maxAttempts: 2,
    // Without throwOnRequestTimeout this version of the handler only logs a warning when the timeout passes and
    // keeps waiting: an endpoint that accepts the connection and never answers would hang the doctor.
    requestHandler: new NodeHttpHandler({ connectionTimeout: 2_000, requestTimeout, throwOnRequestTimeout: true }),
  });
  return {
    sts: new STSClient(common('sts')),
    cloudformation: new CloudFormationClient(common('cloudformation')),
    ses: new SESClient(common('ses')),
    sesv2: new SESv2Client(common('sesv2')),
    lambda: new LambdaClient(common('lambda')),
    // Never retried: a retry after a timeout would send a second round of probes.
    canaryInvoker: new LambdaClient({ ...common('lambda', options.invokeTimeoutMs ?? 120_000), maxAttempts: 1 }),
    scheduler: new SchedulerClient(common('scheduler')),
    dynamodb: new DynamoDBClient(common('dynamodb')),
  };
}

/**
 * A healthy deployment for `acm-mail doctor` to look at: the AWS stubs (test/support/aws-stubs.ts) answering as a
 * well-set-up account does, a local DNS server with the right MX records, and dynalite holding the state table with
 * a canary round that arrived. Each test breaks one thing and reads what the doctor says.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { doctorClients } from '../../handlers/adapters/doctor-clients.js';
import { dynamoDbCanaryStore } from '../../handlers/adapters/dynamodb-canary-store.js';
import { probeTargets } from '../../handlers/core/canary/targets.js';
import { type Configuration, parseConfiguration, receiptRecipients } from '../../handlers/core/configuration/index.js';
import { DEPLOYED_OUTPUTS } from '../../handlers/core/deployment-contract.js';
import { mxResolver } from '../../handlers/doctor/dns-checks.js';
import { type DoctorDeps, makeDoctor } from '../../handlers/doctor/doctor.js';
import { createRequestTable, LOCAL_CREDENTIALS } from '../../handlers/local/services.js';
import type { CanaryStore } from '../../handlers/ports/canary.js';
import { type AwsStub, type AwsStubState, startAwsStub } from './aws-stubs.js';
import { exampleWith, type RawConfiguration } from './configuration.js';
import { type LocalDns, startLocalDns } from './local-dns.js';

export const ACCOUNT = '111122223333';
export const NOW = new Date('2026-11-26T09:00:00.000Z');
export const ROUTER = 'AcmValidationMail-Router';
export const CANARY = 'AcmValidationMail-Canary';
export const CANARY_SCHEDULE = 'AcmValidationMail-CanaryDailyRound';
const SES_MX = [{ exchange: 'inbound-smtp.eu-west-1.amazonaws.com', priority: 10 }];
const VERIFIED = {
  VerificationStatus: 'SUCCESS',
  VerifiedForSendingStatus: true,
  DkimAttributes: { Status: 'SUCCESS', Tokens: ['tok1', 'tok2', 'tok3'], SigningEnabled: true },
} as const;

export function doctorConfiguration(edit: (config: RawConfiguration) => void = () => {}): Configuration {
  return parseConfiguration(
    exampleWith((config) => {
      config.account = ACCOUNT;
      edit(config);
    }),
    'doctor test configuration',
  );
}

export function healthyState(config: Configuration, table: string): AwsStubState {
  return {
    caller: { account: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Operator/alice` },
    stackOutputs: {
      [DEPLOYED_OUTPUTS.archiveBucket]: 'acm-archive',
      [DEPLOYED_OUTPUTS.requestTable]: table,
      [DEPLOYED_OUTPUTS.approvalsTopic]: `arn:aws:sns:eu-west-1:${ACCOUNT}:approvals`,
      [DEPLOYED_OUTPUTS.alertsTopic]: `arn:aws:sns:eu-west-1:${ACCOUNT}:alerts`,
      [DEPLOYED_OUTPUTS.deadLetterQueue]: `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/dlq`,
      [DEPLOYED_OUTPUTS.routerFunction]: ROUTER,
      [DEPLOYED_OUTPUTS.canaryFunction]: CANARY,
      [DEPLOYED_OUTPUTS.canarySchedule]: CANARY_SCHEDULE,
      [DEPLOYED_OUTPUTS.eventBus]: `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/${config.stackName}-events`,
    },
    schedules: {
      [CANARY_SCHEDULE]: {
        State: 'ENABLED',
        ScheduleExpression: config.canary.schedule,
        ScheduleExpressionTimezone: config.canary.timeZone ?? config.digest.timeZone,
      },
    },
    identities: { 'acm-mail.example.com': VERIFIED, 'example.net': VERIFIED, 'notify.example.org': VERIFIED },
    activeRuleSet: {
      name: config.ruleSet.name,
      rules: [{ name: `${config.stackName}-acm-mail-1`, enabled: true, recipients: receiptRecipients(config) }],
    },
    sesAccount: { ProductionAccessEnabled: true, SendingEnabled: true, EnforcementStatus: 'HEALTHY' },
    reservedConcurrency: { [ROUTER]: config.router.reservedConcurrency },
    accountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 990 },
    invoke: async () => ({ payload: { errorMessage: 'no canary in this test' }, functionError: 'Unhandled' }),
    denied: new Set(),
  };
}

export interface DoctorHarness {
  readonly aws: AwsStub;
  readonly dns: LocalDns;
  readonly dynamoEndpoint: string;
  readonly table: string;
  readonly store: CanaryStore;
  readonly config: Configuration;
  /** The doctor over the stubs; `over` replaces any of its dependencies. */
  doctor(over?: Partial<DoctorDeps>): ReturnType<typeof makeDoctor>;
  /** Records a canary round for every watched address, sent at `sentAt`, arriving a minute later unless listed. */
  seedRound(runId: string, sentAt: string, missing?: readonly string[], store?: CanaryStore): Promise<void>;
  /** A new, empty state table, made the one the stack's outputs name. */
  useNewTable(): Promise<CanaryStore>;
  stop(): Promise<void>;
}

export async function startDoctorHarness(config = doctorConfiguration()): Promise<DoctorHarness> {
  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => dynamo.listen(0, '127.0.0.1', () => resolve()));
  const dynamoEndpoint = `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`;
  const table = `doctor-${randomUUID().slice(0, 8)}`;
  const clients = doctorClients({
    region: config.region,
    credentials: LOCAL_CREDENTIALS,
    endpoints: { dynamodb: dynamoEndpoint },
  });
  await createRequestTable(clients.dynamodb, table);
  const store = dynamoDbCanaryStore(clients.dynamodb, table);
  const aws = await startAwsStub(healthyState(config, table));
  const dns = await startLocalDns(
    new Map([
      ['acm-mail.example.com', SES_MX],
      ['example.net', SES_MX],
      ['example.com', [{ exchange: 'mx1.corp.example.com', priority: 10 }]],
      // What any resolver of the internet answers: the doctor asks it when one of our domains has no MX.
      ['amazon.com', [{ exchange: 'amazon-smtp.amazon.com', priority: 5 }]],
    ]),
  );
  const endpoints = {
    sts: aws.endpoint,
    cloudformation: aws.endpoint,
    ses: aws.endpoint,
    sesv2: aws.endpoint,
    lambda: aws.endpoint,
    scheduler: aws.endpoint,
    dynamodb: dynamoEndpoint,
  };
  return {
    aws,
    dns,
    dynamoEndpoint,
    table,
    store,
    config,
    doctor: (over = {}) =>
      makeDoctor({
        configuration: config,
        clients: doctorClients({ region: config.region, credentials: LOCAL_CREDENTIALS, endpoints }),
        dns: mxResolver([dns.server]),
        canaryStore: (name) => dynamoDbCanaryStore(clients.dynamodb, name),
        clock: () => NOW,
        sleep: async () => {},
        pollMs: 1,
        progress: () => {},
        onArrival: () => {},
        ...over,
      }),
    async useNewTable() {
      const name = `doctor-${randomUUID().slice(0, 8)}`;
      await createRequestTable(clients.dynamodb, name);
      aws.state.stackOutputs = { ...aws.state.stackOutputs, [DEPLOYED_OUTPUTS.requestTable]: name };
      return dynamoDbCanaryStore(clients.dynamodb, name);
    },
    async seedRound(runId, sentAt, missing = [], into = store) {
      const checkAt = new Date(Date.parse(sentAt) + config.canary.arrivalMinutes * 60_000).toISOString();
      const arrivedAt = new Date(Date.parse(sentAt) + 60_000).toISOString();
      for (const target of probeTargets(config)) {
        await into.recordProbeSent(
          {
            runId,
            ...target,
            sentAt,
            checkAt,
            arrivedAt: null,
            arrivalMessageId: null,
            missingAlertedAt: null,
            lateClearedAt: null,
          },
          2_000_000_000,
        );
        if (missing.includes(target.address)) await into.markProbeMissing(runId, target.address, checkAt);
        else await into.recordProbeArrival(runId, target.address, arrivedAt, `ses-${runId}-${target.address}`);
      }
    },
    async stop() {
      await aws.stop();
      await dns.stop();
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
    },
  };
}

/** Lambda entry of the mailbox canary: the only place that wires real clients. */
import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Context } from 'aws-lambda';
import { awsClients } from '../adapters/aws-clients.js';
import { bundledConfiguration } from '../adapters/bundled-configuration.js';
import { dynamoDbCanaryStore } from '../adapters/dynamodb-canary-store.js';
import { requiredEnvironment } from '../adapters/environment.js';
import { powertoolsLogger, powertoolsMetrics } from '../adapters/observability.js';
import { schedulerCheckScheduler, unqualifiedFunctionArn } from '../adapters/scheduler-check-scheduler.js';
import { secretsManagerProbeKey } from '../adapters/secrets-manager-probe-key.js';
import { sesProbeMailer, sesSnsNotifier } from '../adapters/ses-sns-notifier.js';
import { makeCanary, readCanaryEvent } from '../canary/canary.js';
import { probeTargets } from '../core/canary/targets.js';
import { watchedAddresses } from '../core/configuration/index.js';
import { ENV } from '../core/deployment-contract.js';
import type { CanaryResult } from '../ports/canary.js';

const configuration = bundledConfiguration();
const region = requiredEnvironment('AWS_REGION');
const clients = awsClients({ region });
const sender = requiredEnvironment(ENV.sender);
const scheduler = new SchedulerClient({ region });
let canary: ReturnType<typeof makeCanary> | undefined;

/** The check schedules target this function itself, whose ARN only the invocation's context tells. */
export async function handler(event: unknown, context: Pick<Context, 'invokedFunctionArn'>): Promise<CanaryResult> {
  canary ??= makeCanary({
    configuration,
    probeKeys: secretsManagerProbeKey(clients.secretsManager, requiredEnvironment(ENV.probeKeySecret)),
    store: dynamoDbCanaryStore(clients.dynamodb, requiredEnvironment(ENV.requestTable)),
    checks: schedulerCheckScheduler(async () => scheduler, {
      groupName: requiredEnvironment(ENV.canaryScheduleGroup),
      roleArn: requiredEnvironment(ENV.canarySchedulerRole),
      functionArn: unqualifiedFunctionArn(context.invokedFunctionArn),
    }),
    probeMailer: sesProbeMailer(clients.sesv2, {
      sender,
      onlyTo: new Set(probeTargets(configuration).map((target) => target.address)),
    }),
    alerts: sesSnsNotifier(clients.sesv2, clients.sns, {
      sender,
      neverSendTo: watchedAddresses(configuration),
      alertsTopicArn: requiredEnvironment(ENV.alertsTopic),
    }),
    metrics: powertoolsMetrics(),
    logger: powertoolsLogger(new Logger()),
    clock: () => new Date(),
    randomBytes: (size) => randomBytes(size),
  });
  return canary(readCanaryEvent(event));
}

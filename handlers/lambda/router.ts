/** Lambda entry of the router: the only place that wires real clients. */
import { Logger } from '@aws-lambda-powertools/logger';
import { awsClients } from '../adapters/aws-clients.js';
import { bundledConfiguration } from '../adapters/bundled-configuration.js';
import { cachedTxtResolver, systemTxtResolver } from '../adapters/dns-txt-resolver.js';
import { dynamoDbRequestStore } from '../adapters/dynamodb-request-store.js';
import { requiredEnvironment } from '../adapters/environment.js';
import { powertoolsLogger, powertoolsMetrics } from '../adapters/observability.js';
import { s3MailArchive } from '../adapters/s3-mail-archive.js';
import { sesSnsNotifier } from '../adapters/ses-sns-notifier.js';
import { watchedAddresses } from '../core/configuration/index.js';
import { ENV } from '../core/deployment-contract.js';
import { makeRouter } from '../router/router.js';

const configuration = bundledConfiguration();
const clients = awsClients({ region: requiredEnvironment('AWS_REGION') });

export const handler = makeRouter({
  configuration,
  archive: s3MailArchive(clients.s3, requiredEnvironment(ENV.archiveBucket)),
  store: dynamoDbRequestStore(clients.dynamodb, requiredEnvironment(ENV.requestTable)),
  notifier: sesSnsNotifier(clients.sesv2, clients.sns, {
    sender: requiredEnvironment(ENV.sender),
    approvalsTopicArn: requiredEnvironment(ENV.approvalsTopic),
    alertsTopicArn: requiredEnvironment(ENV.alertsTopic),
    neverSendTo: watchedAddresses(configuration),
  }),
  metrics: powertoolsMetrics(),
  logger: powertoolsLogger(new Logger()),
  clock: () => new Date(),
  dkimResolver: cachedTxtResolver(systemTxtResolver()),
});

/** Lambda entry of the digest: the only place that wires real clients. */
import { Logger } from '@aws-lambda-powertools/logger';
import { awsClients } from '../adapters/aws-clients.js';
import { bundledConfiguration } from '../adapters/bundled-configuration.js';
import { dynamoDbDigestStore } from '../adapters/dynamodb-digest-store.js';
import { requiredEnvironment } from '../adapters/environment.js';
import { powertoolsLogger } from '../adapters/observability.js';
import { sesMailer } from '../adapters/ses-sns-notifier.js';
import { watchedAddresses } from '../core/configuration/index.js';
import { ENV } from '../core/deployment-contract.js';
import { makeDigest } from './digest.js';

const configuration = bundledConfiguration();
const clients = awsClients({ region: requiredEnvironment('AWS_REGION') });

export const handler = makeDigest({
  configuration,
  store: dynamoDbDigestStore(clients.dynamodb, requiredEnvironment(ENV.requestTable)),
  mailer: sesMailer(clients.sesv2, {
    sender: requiredEnvironment(ENV.sender),
    neverSendTo: watchedAddresses(configuration),
  }),
  logger: powertoolsLogger(new Logger()),
  clock: () => new Date(),
});

/** Lambda entry of the digest: the only place that wires real clients. */
import { Logger } from '@aws-lambda-powertools/logger';
import { STSClient } from '@aws-sdk/client-sts';
import { accountSource } from '../adapters/account-source.js';
import { acmEstateLister, estateAcmClients } from '../adapters/acm-estate-lister.js';
import { acmClients, acmStatusChecker } from '../adapters/acm-status-checker.js';
import { awsClients } from '../adapters/aws-clients.js';
import { bundledConfiguration } from '../adapters/bundled-configuration.js';
import { dynamoDbCanaryStore } from '../adapters/dynamodb-canary-store.js';
import { dynamoDbDigestStore } from '../adapters/dynamodb-digest-store.js';
import { requiredEnvironment } from '../adapters/environment.js';
import { countingMetrics, powertoolsLogger, powertoolsMetrics } from '../adapters/observability.js';
import { sesMailer } from '../adapters/ses-sns-notifier.js';
import { watchedAddresses } from '../core/configuration/index.js';
import { ENV } from '../core/deployment-contract.js';
import { makeDigest } from '../digest/digest.js';
import { makeEstate } from '../estate/estate.js';

const configuration = bundledConfiguration();
const region = requiredEnvironment('AWS_REGION');
const clients = awsClients({ region });
const logger = powertoolsLogger(new Logger());
const table = requiredEnvironment(ENV.requestTable);
const statusRoles = new Map(
  configuration.accounts.list.flatMap((account) =>
    account.statusRoleArn ? [[account.id, account.statusRoleArn]] : [],
  ),
) as Map<string, string>;
const sts = new STSClient({ region });

export const handler = makeDigest({
  configuration,
  store: dynamoDbDigestStore(clients.dynamodb, table),
  canary: dynamoDbCanaryStore(clients.dynamodb, table),
  // The router's alarm watches Organizations; here a failure only leaves account names unlisted (logged). The
  // digest reads Organizations once a run and keeps the list in memory: it may not write the table.
  accounts: accountSource({
    configuration,
    region,
    clock: () => new Date(),
    logger,
    metrics: countingMetrics(),
  }),
  mailer: sesMailer(clients.sesv2, {
    sender: requiredEnvironment(ENV.sender),
    neverSendTo: watchedAddresses(configuration),
  }),
  logger,
  clock: () => new Date(),
  metrics: powertoolsMetrics(),
  statusChecker:
    statusRoles.size === 0
      ? undefined
      : acmStatusChecker({
          sts,
          roles: statusRoles,
          acmClient: acmClients(),
          onError: (request, error) =>
            logger.warn('certificate status unknown', { requestKey: request.key, error: String(error) }),
        }),
  // The estate section: listed afresh each run through the same status roles (README, "Moving off email
  // validation"); the mail history is left out, the digest does not scan the table.
  estate:
    statusRoles.size === 0
      ? undefined
      : {
          estate: makeEstate({
            configuration,
            lister: acmEstateLister({ sts, acmClient: estateAcmClients() }),
            clock: () => new Date(),
          }),
        },
});

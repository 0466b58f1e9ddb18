/** Lambda entry of the events handler (ACM's events from the central bus): the only place that wires real clients. */
import { Logger } from '@aws-lambda-powertools/logger';
import { STSClient } from '@aws-sdk/client-sts';
import { wiredAcmEventsHandler } from '../acm-events/wired-acm-events.js';
import { acmCertificateDescriber } from '../adapters/acm-certificate-describer.js';
import { acmClients } from '../adapters/acm-status-checker.js';
import { awsClients } from '../adapters/aws-clients.js';
import { bundledConfiguration } from '../adapters/bundled-configuration.js';
import { requiredEnvironment } from '../adapters/environment.js';
import { powertoolsLogger, powertoolsMetrics } from '../adapters/observability.js';
import { ENV } from '../core/deployment-contract.js';

const configuration = bundledConfiguration();
const region = requiredEnvironment('AWS_REGION');
const logger = powertoolsLogger(new Logger());
const statusRoles = new Map(
  configuration.accounts.list.flatMap((account) =>
    account.statusRoleArn ? [[account.id, account.statusRoleArn] as const] : [],
  ),
);

export const handler = wiredAcmEventsHandler({
  configuration,
  clients: awsClients({ region }),
  resources: {
    requestTable: requiredEnvironment(ENV.requestTable),
    alertsTopicArn: requiredEnvironment(ENV.alertsTopic),
    sender: requiredEnvironment(ENV.sender),
    eventBusName: requiredEnvironment(ENV.eventBus),
  },
  describer:
    statusRoles.size === 0
      ? undefined
      : acmCertificateDescriber({
          sts: new STSClient({ region }),
          roles: statusRoles,
          acmClient: acmClients(),
          onError: (certificateArn, error) =>
            logger.warn('ACM could not be asked about the certificate', { certificateArn, error: String(error) }),
        }),
  logger,
  metrics: powertoolsMetrics(),
});

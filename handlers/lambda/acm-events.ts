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
import type { ProductEvent } from '../core/product-events.js';
import type { ProductEventBus } from '../ports/product-events.js';

const configuration = bundledConfiguration();
const region = requiredEnvironment('AWS_REGION');
const logger = powertoolsLogger(new Logger());
const statusRoles = new Map(
  configuration.accounts.list.flatMap((account) =>
    account.statusRoleArn ? [[account.id, account.statusRoleArn] as const] : [],
  ),
);

/**
 * Stands in for the EventBridge adapter of the product events (events out, built on another branch): it only logs
 * what would be put on the bus, so this branch deploys and runs on its own.
 */
function productEventsNotYetWired(): ProductEventBus {
  // merge: wire EventBridgeProductEvents here
  return {
    async publish(events: readonly ProductEvent[]) {
      for (const event of events) {
        logger.info('product event (not put on the bus: events out is not wired in this build)', {
          detailType: event.detailType,
          outcomeKey: event.detail.outcomeKey,
        });
      }
    },
  };
}

export const handler = wiredAcmEventsHandler({
  configuration,
  clients: awsClients({ region }),
  resources: {
    requestTable: requiredEnvironment(ENV.requestTable),
    alertsTopicArn: requiredEnvironment(ENV.alertsTopic),
    sender: requiredEnvironment(ENV.sender),
  },
  productEvents: productEventsNotYetWired(),
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

/** Lambda entry of the router: the only place that wires real clients. */
import { Logger } from '@aws-lambda-powertools/logger';
import { awsClients } from '../adapters/aws-clients.js';
import { bundledConfiguration } from '../adapters/bundled-configuration.js';
import { cachedTxtResolver, systemTxtResolver } from '../adapters/dns-txt-resolver.js';
import { optionalEnvironment, requiredEnvironment } from '../adapters/environment.js';
import { powertoolsLogger, powertoolsMetrics } from '../adapters/observability.js';
import { ENV } from '../core/deployment-contract.js';
import { wiredRouter } from '../router/wired-router.js';

export const handler = wiredRouter({
  configuration: bundledConfiguration(),
  clients: awsClients({ region: requiredEnvironment('AWS_REGION') }),
  resources: {
    archiveBucket: requiredEnvironment(ENV.archiveBucket),
    requestTable: requiredEnvironment(ENV.requestTable),
    approvalsTopicArn: requiredEnvironment(ENV.approvalsTopic),
    alertsTopicArn: requiredEnvironment(ENV.alertsTopic),
    sender: requiredEnvironment(ENV.sender),
    // Read only when a probe-looking mail arrives; absent when the canary is not deployed.
    probeKeySecretArn: optionalEnvironment(ENV.probeKeySecret),
    eventBusName: requiredEnvironment(ENV.eventBus),
  },
  dkimResolver: cachedTxtResolver(systemTxtResolver()),
  logger: powertoolsLogger(new Logger()),
  metrics: powertoolsMetrics(),
});

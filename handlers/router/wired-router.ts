/**
 * The one way to wire the router: the configuration, AWS clients (real, or pointed at the local emulators) and the
 * deployed resources' names in; the router over the production adapters out. The Lambda entry, `acm-mail replay`,
 * the local run, the tests and the bench all call this, so a new port or adapter is wired once.
 */
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { accountSource } from '../adapters/account-source.js';
import type { AwsClients } from '../adapters/aws-clients.js';
import { dynamoDbCanaryStore } from '../adapters/dynamodb-canary-store.js';
import { dynamoDbRequestStore } from '../adapters/dynamodb-request-store.js';
import { lazyEventBridgeProductEvents } from '../adapters/eventbridge-product-events.js';
import { countingMetrics, silentLogger } from '../adapters/observability.js';
import { s3MailArchive } from '../adapters/s3-mail-archive.js';
import { secretsManagerProbeKey } from '../adapters/secrets-manager-probe-key.js';
import { type SentMailObserver, sesSnsNotifier } from '../adapters/ses-sns-notifier.js';
import { type Configuration, watchedAddresses } from '../core/configuration/index.js';
import type { TxtResolver } from '../core/own-dkim.js';
import type { Log, Metrics } from '../ports/observability.js';
import type { RouterDeps } from './process-mail.js';
import { makeRouter } from './router.js';

/** What the stack created, by name (Lambda: its environment; replay: the stack's outputs; locally: the emulators). */
export interface RouterResources {
  readonly archiveBucket: string;
  readonly requestTable: string;
  readonly approvalsTopicArn: string;
  readonly alertsTopicArn: string;
  /** The address tickets and alerts come from. */
  readonly sender: string;
  /**
   * The Secrets Manager secret holding the probe key; null when the canary is not deployed (a mail that looks like a
   * probe then fails with an error naming the missing variable, unless the configuration disables the canary).
   */
  readonly probeKeySecretArn: string | null;
  /** The central event bus (name) the product's events go to (`ENV.eventBus`; `eventBusName(configuration)`). */
  readonly eventBusName: string;
}

export interface RouterWiring {
  readonly configuration: Configuration;
  readonly clients: AwsClients;
  readonly resources: RouterResources;
  /** DNS TXT lookups for our own check of ACM's DKIM signature. */
  readonly dkimResolver: TxtResolver;
  /** @default - nothing is logged */
  readonly logger?: Log;
  /** @default - counted in memory, written nowhere */
  readonly metrics?: Metrics;
  /** @default - the system clock */
  readonly clock?: () => Date;
  /** Sees each raw message after SES accepted it (the local run writes them out; tests read them). */
  readonly observeSentMail?: SentMailObserver;
  /** @default - Organizations in its region, through the configured role (only asked when the configuration says so) */
  readonly organizations?: () => Promise<OrganizationsClient>;
}

/** The router's dependencies over the production adapters. */
export function routerDeps(wiring: RouterWiring): RouterDeps {
  const { configuration, clients, resources } = wiring;
  const metrics = wiring.metrics ?? countingMetrics();
  const logger = wiring.logger ?? silentLogger;
  const clock = wiring.clock ?? (() => new Date());
  return {
    configuration,
    archive: s3MailArchive(clients.s3, resources.archiveBucket),
    store: dynamoDbRequestStore(clients.dynamodb, resources.requestTable),
    // The canary's probes live in the same state table, under their own keys.
    canary: dynamoDbCanaryStore(clients.dynamodb, resources.requestTable),
    probeKeys: secretsManagerProbeKey(clients.secretsManager, resources.probeKeySecretArn),
    notifier: sesSnsNotifier(
      clients.sesv2,
      clients.sns,
      {
        sender: resources.sender,
        approvalsTopicArn: resources.approvalsTopicArn,
        alertsTopicArn: resources.alertsTopicArn,
        neverSendTo: watchedAddresses(configuration),
      },
      wiring.observeSentMail,
    ),
    events: lazyEventBridgeProductEvents(clients.eventBridge, resources.eventBusName),
    metrics,
    logger,
    clock,
    dkimResolver: wiring.dkimResolver,
    accounts: accountSource({
      configuration,
      region: configuration.region,
      table: { dynamodb: clients.dynamodb, name: resources.requestTable },
      clock,
      logger,
      metrics,
      organizations: wiring.organizations,
    }),
  };
}

/**
 * The wired router. `overrides` replace single dependencies: a wrapped archive (the local run's disk overflow), a
 * failing store (fault tests), shorter claim waits.
 */
export function wiredRouter(wiring: RouterWiring, overrides: Partial<RouterDeps> = {}) {
  return makeRouter({ ...routerDeps(wiring), ...overrides });
}

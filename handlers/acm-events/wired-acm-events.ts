/**
 * The one way to wire the events handler: the configuration, AWS clients (real, or pointed at the local emulators)
 * and the deployed resources' names in; the handler over the production adapters out. The Lambda entry, the local
 * run and the tests call this. The product events' bus is a dependency: the caller passes the port it has.
 */
import type { AwsClients } from '../adapters/aws-clients.js';
import { dynamoDbCertificateEventStore } from '../adapters/dynamodb-certificate-event-store.js';
import { lazyEventBridgeProductEvents } from '../adapters/eventbridge-product-events.js';
import { countingMetrics, silentLogger } from '../adapters/observability.js';
import { type SentMailObserver, sesSnsNotifier } from '../adapters/ses-sns-notifier.js';
import { type Configuration, watchedAddresses } from '../core/configuration/index.js';
import type { CertificateDescriber } from '../ports/acm-events.js';
import type { Log, Metrics } from '../ports/observability.js';
import type { ProductEventBus } from '../ports/product-events.js';
import { makeAcmEventsHandler } from './acm-events.js';

export interface AcmEventsResources {
  readonly requestTable: string;
  readonly alertsTopicArn: string;
  /** The address follow-ups and alerts come from. */
  readonly sender: string;
  /** The central event bus (name) the product's events go to (`ENV.eventBus`). */
  readonly eventBusName: string;
}

export interface AcmEventsWiring {
  readonly configuration: Configuration;
  readonly clients: AwsClients;
  readonly resources: AcmEventsResources;
  /** @default - EventBridge PutEvents on `resources.eventBusName` */
  readonly productEvents?: ProductEventBus;
  /** @default - none: decided from the event and the mail seen */
  readonly describer?: CertificateDescriber;
  /** @default - nothing is logged */
  readonly logger?: Log;
  /** @default - counted in memory, written nowhere */
  readonly metrics?: Metrics;
  /** @default - the system clock */
  readonly clock?: () => Date;
  /** Sees each raw message after SES accepted it (the local run writes them out). */
  readonly observeSentMail?: SentMailObserver;
}

export function wiredAcmEventsHandler(wiring: AcmEventsWiring) {
  const { configuration, clients, resources } = wiring;
  return makeAcmEventsHandler({
    configuration,
    store: dynamoDbCertificateEventStore(clients.dynamodb, resources.requestTable),
    describer: wiring.describer,
    notifier: sesSnsNotifier(
      clients.sesv2,
      clients.sns,
      {
        sender: resources.sender,
        alertsTopicArn: resources.alertsTopicArn,
        neverSendTo: watchedAddresses(configuration),
      },
      wiring.observeSentMail,
    ),
    productEvents: wiring.productEvents ?? lazyEventBridgeProductEvents(clients.eventBridge, resources.eventBusName),
    metrics: wiring.metrics ?? countingMetrics(),
    logger: wiring.logger ?? silentLogger,
    clock: wiring.clock ?? (() => new Date()),
  });
}

/**
 * The whole product as one L3 construct: SES inbound for the five addresses, the raw-mail archive, the router,
 * the state table, the two topics, the digest schedule and the alarms. Every resource is a readonly property.
 */
import { Duration } from 'aws-cdk-lib';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { HostedZone } from 'aws-cdk-lib/aws-route53';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type Configuration, domainOf, eventBusName } from '../handlers/core/configuration/index.js';
import { metricsNamespace } from '../handlers/core/metrics.js';
import { AcmEventsIntake } from './constructs/acm-events-intake.js';
import { CentralEventBus } from './constructs/central-event-bus.js';
import { deadLetterQueue } from './constructs/dead-letter-queue.js';
import { DigestSchedule } from './constructs/digest-schedule.js';
import { InboundMail } from './constructs/inbound-mail.js';
import { MailArchive } from './constructs/mail-archive.js';
import { MailboxCanary } from './constructs/mailbox-canary.js';
import { NotificationTopics } from './constructs/notification-topics.js';
import { PipelineAlarms } from './constructs/pipeline-alarms.js';
import { PipelineDashboard } from './constructs/pipeline-dashboard.js';
import { PipelineFunction } from './constructs/pipeline-function.js';
import { ProductEventsApiDestination } from './constructs/product-events-api-destination.js';
import { RequestState } from './constructs/request-state.js';
import { SenderIdentity } from './constructs/sender-identity.js';

/** The router's Powertools service name: its log lines' `service`, and a dimension of every metric it writes. */
const ROUTER_SERVICE = 'router';
/** The events handler's Powertools service name (the dimension of its metrics, as for the router). */
export const ACM_EVENTS_SERVICE = 'acm-events';

export interface ValidationMailPipelineProps {
  /** Validated by `parseConfiguration` before any construct is built. */
  readonly configuration: Configuration;
}

export class ValidationMailPipeline extends Construct {
  readonly archive: MailArchive;
  readonly state: RequestState;
  readonly topics: NotificationTopics;
  readonly deadLetterQueue: Queue;
  readonly router: PipelineFunction;
  readonly digest: PipelineFunction;
  readonly inbound: InboundMail;
  readonly digestSchedule: DigestSchedule;
  readonly alarms: PipelineAlarms;
  readonly dashboard: PipelineDashboard;
  /** Member accounts' ACM events come in here; the product's events go out here. */
  readonly eventBus: CentralEventBus;
  /** The configured API destination of the product's events (`events.apiDestination`). */
  readonly apiDestination?: ProductEventsApiDestination;
  /** ACM's events from the central bus: the events handler, its rule and its dead-letter queue. */
  readonly acmEvents: AcmEventsIntake;
  /** The sender domain's SES identity, when `senderIdentity` is configured. */
  readonly senderIdentity?: SenderIdentity;
  /** The mailbox canary, unless `canary.enabled` is false. */
  readonly canary?: MailboxCanary;

  constructor(scope: Construct, id: string, props: ValidationMailPipelineProps) {
    super(scope, id);
    const { configuration } = props;
    const namespace = metricsNamespace(configuration.stackName);

    this.archive = new MailArchive(this, 'Archive', {
      rawMailDays: configuration.retention.rawMailDays,
      quarantinedMailDays: configuration.retention.quarantinedMailDays,
    });
    this.state = new RequestState(this, 'State');
    this.eventBus = new CentralEventBus(this, 'EventBus', {
      eventBusName: eventBusName(configuration),
      organizationId: configuration.events.organizationId,
      accountIds: configuration.accounts.list.map((account) => account.id),
    });
    this.topics = new NotificationTopics(this, 'Topics', {
      ...configuration.notifications,
      owners: configuration.owners,
    });

    this.deadLetterQueue = deadLetterQueue(
      this,
      'RouterDeadLetters',
      "the router's dead-letter queue (its asynchronous on-failure destination)",
    );

    this.router = new PipelineFunction(this, 'Router', {
      entry: 'handlers/lambda/router.ts',
      description: 'Parses ACM validation mail, decides trust, routes one ticket per approval request',
      serviceName: ROUTER_SERVICE,
      configuration,
      memorySize: 1024,
      timeout: Duration.seconds(60),
      reservedConcurrency: configuration.router.reservedConcurrency,
      asyncInvocation: {
        retryAttempts: 2,
        // The longest Lambda allows: an approval link lives 72 hours, so a late ticket still helps.
        maxEventAge: Duration.hours(6),
        onFailure: new SqsDestination(this.deadLetterQueue),
      },
    });
    this.router.bindArchive(this.archive.bucket);
    this.router.recordsRequestsIn(this.state.table);
    this.router.publishesApprovalsTo(this.topics.approvals, this.topics.key);
    this.router.publishesAlertsTo(this.topics.alerts, this.topics.key);
    this.router.sendsMailAs(configuration.sender);
    this.router.emitsMetricsUnder(namespace);
    this.router.putsEventsOn(this.eventBus.bus);

    this.digest = new PipelineFunction(this, 'Digest', {
      entry: 'handlers/lambda/digest.ts',
      description: 'Mails each owner a summary of open ACM approval requests and their deadlines',
      serviceName: 'digest',
      configuration,
      memorySize: 512,
      timeout: Duration.minutes(5),
      asyncInvocation: { retryAttempts: 0, maxEventAge: Duration.hours(1) },
    });
    this.digest.readsOpenRequestsFrom(this.state.table, this.state.digestIndex);
    this.digest.readsCanaryStatesFrom(this.state.table);
    this.digest.emitsMetricsUnder(namespace);
    this.digest.sendsMailAs(configuration.sender);
    this.digest.checksCertificatesWith(configuration.accounts.list.flatMap((account) => account.statusRoleArn ?? []));
    const organization = configuration.accounts.fromOrganization;
    if (organization !== null) {
      this.router.readsOrganizationAccounts(organization);
      this.digest.readsOrganizationAccounts(organization);
    }

    this.acmEvents = new AcmEventsIntake(this, 'AcmEvents', {
      configuration,
      bus: this.eventBus.bus,
      table: this.state.table,
      alerts: this.topics.alerts,
      topicKey: this.topics.key,
      metricsNamespace: namespace,
      serviceName: ACM_EVENTS_SERVICE,
    });

    this.inbound = new InboundMail(this, 'Inbound', {
      configuration,
      archive: this.archive,
      router: this.router.function,
    });

    if (configuration.senderIdentity) {
      const { mailFromSubdomain, hostedZone, dmarc } = configuration.senderIdentity;
      const senderDomain = domainOf(configuration.sender);
      this.senderIdentity = new SenderIdentity(this, 'SenderIdentity', {
        senderDomain,
        mailFromDomain: `${mailFromSubdomain}.${senderDomain}`,
        region: configuration.region,
        hostedZone: hostedZone
          ? HostedZone.fromHostedZoneAttributes(this, 'SenderZone', {
              hostedZoneId: hostedZone.id,
              zoneName: hostedZone.name,
            })
          : undefined,
        dmarc,
      });
    }

    this.digestSchedule = new DigestSchedule(this, 'DigestSchedule', {
      digest: this.digest.function,
      cron: configuration.digest.schedule,
      timeZone: configuration.digest.timeZone,
    });

    if (configuration.canary.enabled) {
      this.canary = new MailboxCanary(this, 'Canary', {
        configuration,
        table: this.state.table,
        alerts: this.topics.alerts,
        topicKey: this.topics.key,
        metricsNamespace: namespace,
      });
      // The router verifies each probe's token with the same key.
      this.router.readsProbeKeyFrom(this.canary.probeKey);
    }

    const apiDestination = configuration.events.apiDestination;
    if (apiDestination !== undefined) {
      this.apiDestination = new ProductEventsApiDestination(this, 'ApiDestination', {
        bus: this.eventBus.bus,
        destination: apiDestination,
        alerts: this.topics.alerts,
      });
    }

    this.alarms = new PipelineAlarms(this, 'Alarms', {
      router: this.router.function,
      digest: this.digest.function,
      deadLetterQueue: this.deadLetterQueue,
      alerts: this.topics.alerts,
      metricsNamespace: namespace,
      routerServiceName: ROUTER_SERVICE,
      readsOrganizationAccounts: organization !== null,
      acmEvents: { handler: this.acmEvents.handler.function, deadLetterQueue: this.acmEvents.deadLetterQueue },
    });

    this.dashboard = new PipelineDashboard(this, 'Dashboard', {
      dashboardName: configuration.stackName,
      router: this.router.function,
      digest: this.digest.function,
      deadLetterQueue: this.deadLetterQueue,
      alerts: this.topics.alerts,
      metricsNamespace: namespace,
      routerServiceName: ROUTER_SERVICE,
      readsOrganizationAccounts: organization !== null,
      acmEventsServiceName: ACM_EVENTS_SERVICE,
    });
  }
}

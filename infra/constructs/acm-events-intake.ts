/**
 * ACM's events on the central bus, handled: a rule for the four certificate events (source `aws.acm`, forwarded by
 * the member accounts), the events handler (asynchronous, two retries, its own dead-letter queue for events that
 * failed every attempt, and for events EventBridge could not deliver to it).
 */
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ACM_EVENT_SOURCE, ACM_EVENT_TYPES } from '../../handlers/core/acm-events/acm-event.js';
import type { Configuration } from '../../handlers/core/configuration/index.js';
import { deadLetterQueue } from './dead-letter-queue.js';
import { PipelineFunction } from './pipeline-function.js';

export interface AcmEventsIntakeProps {
  readonly configuration: Configuration;
  /** The central bus the member accounts forward ACM's events to. */
  readonly bus: IEventBus;
  /** The state table: requests by certificate, each event's outcome. */
  readonly table: ITable;
  readonly alerts: ITopic;
  readonly topicKey: IKey;
  readonly metricsNamespace: string;
  /** Powertools service name of the handler: the `service` dimension of its metrics. */
  readonly serviceName: string;
}

export class AcmEventsIntake extends Construct {
  readonly rule: Rule;
  readonly handler: PipelineFunction;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: AcmEventsIntakeProps) {
    super(scope, id);
    const { configuration } = props;
    this.deadLetterQueue = deadLetterQueue(
      this,
      'DeadLetters',
      "the events handler's dead-letter queue (its on-failure destination and its rule target's)",
    );
    this.handler = new PipelineFunction(this, 'Handler', {
      entry: 'handlers/lambda/acm-events.ts',
      description:
        "Closes tickets of issued certificates and alerts renewals whose approval mail never arrived (ACM's events)",
      serviceName: props.serviceName,
      configuration,
      memorySize: 512,
      timeout: Duration.seconds(60),
      asyncInvocation: {
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
        onFailure: new SqsDestination(this.deadLetterQueue),
      },
    });
    this.handler.recordsRequestsIn(props.table);
    this.handler.publishesAlertsTo(props.alerts, props.topicKey);
    // ACM Certificate Issued and ACM Renewal Mail Missing go out on the same bus (README, "Events out").
    this.handler.putsEventsOn(props.bus);
    this.handler.sendsMailAs(configuration.sender);
    this.handler.checksCertificatesWith(configuration.accounts.list.flatMap((account) => account.statusRoleArn ?? []));
    this.handler.emitsMetricsUnder(props.metricsNamespace);

    this.rule = new Rule(this, 'AcmEventsRule', {
      eventBus: props.bus,
      description: "ACM's certificate events forwarded by the member accounts, to the events handler",
      eventPattern: { source: [ACM_EVENT_SOURCE], detailType: Object.values(ACM_EVENT_TYPES) },
      targets: [
        new LambdaFunction(this.handler.function, {
          // EventBridge's own retries of the invocation; what it cannot deliver goes to the same dead-letter queue.
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
          deadLetterQueue: this.deadLetterQueue,
        }),
      ],
    });
  }
}

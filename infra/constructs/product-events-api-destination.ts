/**
 * The optional example of a ticket system integrated by API (`events.apiDestination`, README "Events out"): a rule on
 * the central bus for our source and the chosen detail-types sends each event to an EventBridge API destination,
 * through a connection whose credential comes from the user's own Secrets Manager secret. CloudFormation resolves
 * the secret at deploy time (a dynamic reference): the value is in neither the template nor the configuration.
 * EventBridge retries a failed delivery, then puts the event in a dead-letter queue.
 */
import { Duration, SecretValue } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import {
  ApiDestination,
  Authorization,
  Connection,
  EventField,
  type HttpMethod,
  type IEventBus,
  Rule,
  RuleTargetInput,
} from 'aws-cdk-lib/aws-events';
import { ApiDestination as ApiDestinationTarget } from 'aws-cdk-lib/aws-events-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ApiDestinationConfiguration } from '../../handlers/core/configuration/api-destination.js';
import { PRODUCT_EVENT_SOURCE } from '../../handlers/core/product-events.js';
import { deadLetterQueue } from './dead-letter-queue.js';

export interface ProductEventsApiDestinationProps {
  /** The central bus the product puts its events on. */
  readonly bus: IEventBus;
  readonly destination: ApiDestinationConfiguration;
  /** Where the alarm on the dead-letter queue goes (the alerts topic). */
  readonly alerts: ITopic;
}

/**
 * How long and how often EventBridge retries a delivery the API refused or did not answer: a day, within the 72 hours
 * an approval link lives, and 24 attempts (EventBridge's own default is 185 attempts over 24 hours).
 */
const DELIVERY_RETRIES = { retryAttempts: 24, maxEventAge: Duration.hours(24) } as const;

export class ProductEventsApiDestination extends Construct {
  readonly connection: Connection;
  readonly destination: ApiDestination;
  readonly rule: Rule;
  readonly deadLetterQueue: Queue;
  readonly deadLetters: Alarm;

  constructor(scope: Construct, id: string, props: ProductEventsApiDestinationProps) {
    super(scope, id);
    const { destination: config } = props;
    const auth = config.authorization;
    const credential = SecretValue.secretsManager(auth.secretArn, { jsonField: auth.secretField });
    this.connection = new Connection(this, 'Connection', {
      description: 'Credential of the ticket system API that receives the ACM validation mail events',
      authorization:
        auth.type === 'apiKey'
          ? Authorization.apiKey(auth.headerName, credential)
          : Authorization.basic(auth.username, credential),
    });
    this.destination = new ApiDestination(this, 'Destination', {
      description: 'The ticket system API that receives the ACM validation mail events',
      connection: this.connection,
      endpoint: config.endpoint,
      httpMethod: config.httpMethod as HttpMethod,
      rateLimitPerSecond: config.rateLimitPerSecond,
    });

    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetters', 'the dead-letter queue of the API destination target');
    this.rule = new Rule(this, 'Rule', {
      description: 'The product events the ticket system API receives',
      eventBus: props.bus,
      eventPattern: { source: [PRODUCT_EVENT_SOURCE], detailType: [...config.detailTypes] },
    });
    this.rule.addTarget(
      new ApiDestinationTarget(this.destination, {
        event: config.body === 'zendesk-ticket' ? zendeskTicket() : undefined,
        deadLetterQueue: this.deadLetterQueue,
        ...DELIVERY_RETRIES,
      }),
    );
    // As the router's dead letters: the first event the ticket system never took is a ticket nobody opened.
    this.deadLetters = new Alarm(this, 'DeadLettersAlarm', {
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      alarmDescription:
        'An event failed every delivery to the ticket system API and is in its dead-letter queue; see README, "Events out".',
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(props.alerts);
    this.deadLetters.addAlarmAction(action);
    this.deadLetters.addOkAction(action);
  }
}

/**
 * A body in the shape of Zendesk's "Create Ticket" request (`{"ticket": {"subject", "comment": {"body"}, ...}}`), made
 * by an input transformer: the detail-type, the domain and account, the owning team, and `external_id` set to the
 * event's `outcomeKey`, so the ticket system can see a redelivered event for what it is. Never the approval link:
 * a ticket system that should have it takes the whole event (`body: "event"`).
 */
function zendeskTicket(): RuleTargetInput {
  const field = (path: string) => EventField.fromPath(`$.detail.${path}`);
  return RuleTargetInput.fromObject({
    ticket: {
      subject: `${EventField.detailType}: ${field('domain')}`,
      external_id: field('outcomeKey'),
      tags: ['acm-validation-mail'],
      comment: {
        body:
          `${EventField.detailType} for ${field('domain')} (account ${field('accountId')}, ${field('region')}), ` +
          `owner ${field('owner')}. Event ${field('outcomeKey')}, schema version ${field('schemaVersion')}.`,
      },
    },
  });
}

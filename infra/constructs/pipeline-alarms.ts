/**
 * Alarms that publish to the alerts topic: router errors and throttles, anything in the dead-letter queue, digest
 * errors, and the router's security metrics (suspicious mail, requests from accounts that are not ours).
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ORGANIZATION_METRICS, SECURITY_METRICS } from '../../handlers/core/metrics.js';
import { routerMetric } from './router-metric.js';

export interface PipelineAlarmsProps {
  readonly router: IFunction;
  readonly digest: IFunction;
  readonly deadLetterQueue: IQueue;
  readonly alerts: ITopic;
  readonly metricsNamespace: string;
  /**
   * The router's service name: Powertools writes every metric with the dimension `service` set to it, and CloudWatch
   * keeps a metric per dimension set, so an alarm without it watches a metric nothing writes.
   */
  readonly routerServiceName: string;
  /** The configuration reads our accounts from AWS Organizations: alarm when it cannot. @default false */
  readonly readsOrganizationAccounts?: boolean;
  /** The events handler of ACM's events and its dead-letter queue. @default - no alarms for them */
  readonly acmEvents?: { readonly handler: IFunction; readonly deadLetterQueue: IQueue };
}

export class PipelineAlarms extends Construct {
  readonly routerErrors: Alarm;
  readonly routerThrottles: Alarm;
  readonly deadLetters: Alarm;
  readonly digestErrors: Alarm;
  readonly suspiciousMail: Alarm;
  readonly foreignAccountRequests: Alarm;
  readonly unparseableAcmMail: Alarm;
  /** Only when the configuration reads the organisation's accounts. */
  readonly organizationsLookupFailed?: Alarm;
  /** Only with the events handler. */
  readonly acmEventsErrors?: Alarm;
  readonly acmEventsDeadLetters?: Alarm;

  constructor(scope: Construct, id: string, props: PipelineAlarmsProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    const action = new SnsAction(props.alerts);
    // Every alarm fires on the first occurrence: each one is a mail that may need a person.
    const alarm = (alarmId: string, metric: IMetric, description: string) => {
      const created = new Alarm(this, alarmId, {
        metric,
        alarmDescription: description,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      return created;
    };
    const securityMetric = (metricName: string) => routerMetric(props, metricName, { period });

    this.routerErrors = alarm(
      'RouterErrors',
      props.router.metricErrors({ period, statistic: 'Sum' }),
      'The router failed on a mail; Lambda retries it, then it goes to the dead-letter queue.',
    );
    this.routerThrottles = alarm(
      'RouterThrottles',
      props.router.metricThrottles({ period, statistic: 'Sum' }),
      'The router hit its reserved concurrency: a flood of mail, or a backlog after an outage.',
    );
    this.deadLetters = alarm(
      'DeadLetters',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
      'A mail event failed every attempt and is in the dead-letter queue; its raw mail is still in the archive.',
    );
    this.digestErrors = alarm(
      'DigestErrors',
      props.digest.metricErrors({ period, statistic: 'Sum' }),
      'The digest failed; owners did not get their summary of open requests.',
    );
    this.suspiciousMail = alarm(
      'SuspiciousMail',
      securityMetric(SECURITY_METRICS.suspiciousMail),
      'A mail claiming to be an ACM approval request failed a trust check; see the alerts topic and quarantine/.',
    );
    this.foreignAccountRequests = alarm(
      'ForeignAccountRequests',
      securityMetric(SECURITY_METRICS.foreignAccountRequest),
      'An AWS account that is not ours requested a certificate for one of our domains. Do not approve it.',
    );
    this.unparseableAcmMail = alarm(
      'UnparseableAcmMail',
      securityMetric(SECURITY_METRICS.unparseableAcmMail),
      'A mail in the ACM approval format could not be read (a new template, or a forgery); see quarantine/.',
    );
    if (props.acmEvents) {
      this.acmEventsErrors = alarm(
        'AcmEventsErrors',
        props.acmEvents.handler.metricErrors({ period, statistic: 'Sum' }),
        "The events handler failed on one of ACM's events; Lambda retries it, then it goes to the events dead-letter queue.",
      );
      this.acmEventsDeadLetters = alarm(
        'AcmEventsDeadLetters',
        props.acmEvents.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
        "One of ACM's events failed every attempt (or could not be delivered) and is in the events dead-letter queue: a ticket may stay open, or a missing renewal mail go unalerted.",
      );
    }
    if (props.readsOrganizationAccounts) {
      this.organizationsLookupFailed = alarm(
        'OrganizationsLookupFailed',
        securityMetric(ORGANIZATION_METRICS.lookupFailed),
        "AWS Organizations could not be read (role, permissions, outage): the router uses the last good list of the organisation's accounts, and retries mail when it has none. See the router's log.",
      );
    }
  }
}

/**
 * One CloudWatch dashboard for the pipeline: what mail came in and what became of it, what was alerted, what failed.
 * Every custom metric is named as the router writes it (core/metrics.ts), with the `service` dimension Powertools
 * adds, so the graphs show what the alarms watch.
 */
import { Duration } from 'aws-cdk-lib';
import {
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  SingleValueWidget,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  ACM_EVENT_METRICS,
  DIGEST_METRICS,
  ORGANIZATION_METRICS,
  OUTCOME_METRICS,
  PRODUCT_EVENT_METRICS,
} from '../../handlers/core/metrics.js';
import { OUTCOMES } from '../../handlers/core/routing/outcomes.js';
import { routerMetric } from './router-metric.js';

export interface PipelineDashboardProps {
  /** The dashboard's name in the console. */
  readonly dashboardName: string;
  readonly router: IFunction;
  readonly digest: IFunction;
  readonly deadLetterQueue: IQueue;
  readonly alerts: ITopic;
  readonly metricsNamespace: string;
  /** The router's Powertools service name, a dimension of each of its metrics. */
  readonly routerServiceName: string;
  /** Adds the Organizations lookup failures. @default false */
  readonly readsOrganizationAccounts?: boolean;
  /** The events handler's service name: adds its renewal-mail-missing and issued counts. @default - no such graph */
  readonly acmEventsServiceName?: string;
}

export class PipelineDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: PipelineDashboardProps) {
    super(scope, id);
    const hour = Duration.hours(1);
    const counted = (metricName: string, label: string): IMetric =>
      routerMetric(props, metricName, { period: hour, label });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(14),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          '## ACM validation mail\nMail to the watched mailboxes, what became of each, and what needs a person. ' +
          'The alerts topic carries every alarm; the README\'s "Operate" says what each one means.',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Mail received (router invocations, per hour)',
        left: [props.router.metricInvocations({ period: hour, statistic: 'Sum', label: 'mail events' })],
        width: 12,
      }),
      new GraphWidget({
        title: 'Outcomes by kind (per hour)',
        left: OUTCOMES.map((outcome) => counted(OUTCOME_METRICS[outcome], outcome)),
        stacked: true,
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Alerts published (security alerts and alarms)',
        left: [props.alerts.metricNumberOfMessagesPublished({ period: hour, statistic: 'Sum', label: 'alerts' })],
        width: 8,
      }),
      new SingleValueWidget({
        title: 'Dead-letter queue depth',
        metrics: [
          props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(5),
            statistic: 'Maximum',
            label: 'failed mail events',
          }),
        ],
        width: 8,
      }),
      new GraphWidget({
        title: 'Router and digest errors',
        left: [
          props.router.metricErrors({ period: hour, statistic: 'Sum', label: 'router errors' }),
          props.router.metricThrottles({ period: hour, statistic: 'Sum', label: 'router throttles' }),
          props.digest.metricErrors({ period: hour, statistic: 'Sum', label: 'digest errors' }),
          ...(props.readsOrganizationAccounts
            ? [counted(ORGANIZATION_METRICS.lookupFailed, 'Organizations unreadable')]
            : []),
        ],
        width: 8,
      }),
    );
    if (props.acmEventsServiceName !== undefined) {
      const acmEvents = { metricsNamespace: props.metricsNamespace, routerServiceName: props.acmEventsServiceName };
      this.dashboard.addWidgets(
        new GraphWidget({
          title: 'Renewal mail missing (alerts, per day)',
          left: [
            routerMetric(acmEvents, ACM_EVENT_METRICS.renewalMailMissing, {
              period: Duration.days(1),
              label: 'renewal due, no approval mail',
            }),
          ],
          width: 12,
        }),
        new GraphWidget({
          title: "ACM's events: certificates issued, expired (per day)",
          left: [
            routerMetric(acmEvents, ACM_EVENT_METRICS.certificateIssued, { period: Duration.days(1), label: 'issued' }),
            routerMetric(acmEvents, ACM_EVENT_METRICS.certificateExpired, {
              period: Duration.days(1),
              label: 'expired',
            }),
          ],
          width: 12,
        }),
      );
    }
    this.dashboard.addWidgets(
      new GraphWidget({
        // Measured at each digest run, without dimensions (core/metrics.ts): the open requests the digests listed.
        title: 'Open approval requests (at each digest run)',
        left: [
          new Metric({
            namespace: props.metricsNamespace,
            metricName: DIGEST_METRICS.openRequests,
            period: Duration.days(1),
            statistic: 'Maximum',
            label: 'open requests',
          }),
        ],
        width: 24,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Router duration (ms)',
        left: ['p50', 'p99', 'Maximum'].map((statistic) =>
          props.router.metricDuration({ period: hour, statistic, label: statistic }),
        ),
        width: 24,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Product events put on the central bus (per hour)',
        left: [counted(PRODUCT_EVENT_METRICS.eventsPut, 'events put')],
        width: 24,
      }),
    );
  }
}

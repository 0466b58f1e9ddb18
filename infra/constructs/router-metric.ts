/**
 * A metric the router writes, as CloudWatch keeps it. Powertools writes every metric with the dimension
 * `service=<the function's service name>`, and CloudWatch keeps one metric per dimension set: an alarm or a graph
 * without the dimension watches a metric nothing writes. The alarms and the dashboard both build theirs here.
 */
import type { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';

export interface RouterMetricSource {
  readonly metricsNamespace: string;
  /** The writing function's Powertools service name (the router's, or another function's such as the events handler). */
  readonly routerServiceName: string;
}

export function routerMetric(
  source: RouterMetricSource,
  metricName: string,
  options: { readonly period: Duration; readonly label?: string },
): Metric {
  return new Metric({
    namespace: source.metricsNamespace,
    metricName,
    dimensionsMap: { service: source.routerServiceName },
    statistic: 'Sum',
    period: options.period,
    label: options.label,
  });
}

/** Powertools Logger and Metrics behind the router's small logging and metrics ports. */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import type { Log, Metrics } from '../ports/observability.js';

export function powertoolsLogger(logger: Logger): Log {
  return {
    info: (message, extra) => (extra ? logger.info(message, extra) : logger.info(message)),
    warn: (message, extra) => (extra ? logger.warn(message, extra) : logger.warn(message)),
    error: (message, extra) => (extra ? logger.error(message, extra) : logger.error(message)),
  };
}

/** CloudWatch embedded metric format on stdout; the namespace comes from POWERTOOLS_METRICS_NAMESPACE. */
export function powertoolsMetrics(): Metrics {
  const metrics = new PowertoolsMetrics();
  return {
    count: (name) => metrics.addMetric(name, MetricUnit.Count, 1),
    measure: (name, value, dimensions) => {
      // A single metric is written at once, with only its own dimensions: the next address gets its own line. The
      // default `service` dimension is dropped, so the metric is exactly the one the stack's alarm names.
      const single = metrics.singleMetric();
      single.clearDefaultDimensions();
      for (const [dimension, dimensionValue] of Object.entries(dimensions))
        single.addDimension(dimension, dimensionValue);
      single.addMetric(name, MetricUnit.Count, value);
    },
    flush: () => metrics.publishStoredMetrics(),
  };
}

/** One value `measure` was given, as the in-memory metrics keep it. */
export interface MeasuredValue {
  readonly name: string;
  readonly value: number;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** Counts in memory: the local run, the tests and the benchmark read them back. */
export function countingMetrics(): Metrics & {
  readonly counts: Map<string, number>;
  readonly measured: MeasuredValue[];
} {
  const counts = new Map<string, number>();
  const measured: MeasuredValue[] = [];
  return {
    counts,
    measured,
    count: (name) => counts.set(name, (counts.get(name) ?? 0) + 1),
    measure: (name, value, dimensions) => measured.push({ name, value, dimensions: { ...dimensions } }),
    flush: () => undefined,
  };
}

export const silentLogger: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

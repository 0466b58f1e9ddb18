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
    flush: () => metrics.publishStoredMetrics(),
  };
}

/** Counts in memory: the local run, the tests and the benchmark read them back. */
export function countingMetrics(): Metrics & { readonly counts: Map<string, number> } {
  const counts = new Map<string, number>();
  return {
    counts,
    count: (name) => counts.set(name, (counts.get(name) ?? 0) + 1),
    flush: () => undefined,
  };
}

export const silentLogger: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

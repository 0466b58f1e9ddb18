/**
 * What the production metrics adapter (Powertools) writes in a function's environment, as CloudWatch reads it: the
 * embedded-metric-format line it prints, parsed. Alarms and dashboard graphs are checked against it, because a
 * metric whose dimensions differ by one is another metric, which nothing writes.
 */
import { vi } from 'vitest';
import { powertoolsMetrics } from '../../handlers/adapters/observability.js';
import type { Metrics } from '../../handlers/ports/observability.js';

export interface WrittenMetric {
  readonly namespace: string;
  readonly name: string;
  readonly value: unknown;
  /** Dimension name and value pairs, in the order the line declares them. */
  readonly dimensions: readonly { readonly Name: string; readonly Value: string }[];
}

/** Runs `write` on the adapter under the function's environment variables; returns the first metric it wrote. */
export function metricWrittenIn(environment: Readonly<Record<string, string>>, write: (metrics: Metrics) => void) {
  const written: string[] = [];
  const saved = { ...process.env };
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    Object.assign(process.env, {
      POWERTOOLS_SERVICE_NAME: environment.POWERTOOLS_SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: environment.POWERTOOLS_METRICS_NAMESPACE,
    });
    const metrics = powertoolsMetrics();
    write(metrics);
    metrics.flush();
  } finally {
    spy.mockRestore();
    process.env = saved;
  }
  const emf = JSON.parse(written.find((line) => line.includes('"_aws"')) ?? '{}');
  const [directive] = emf._aws.CloudWatchMetrics;
  const name = directive.Metrics[0].Name as string;
  return {
    namespace: directive.Namespace as string,
    name,
    value: emf[name],
    dimensions: ((directive.Dimensions[0] ?? []) as string[]).map((dimension) => ({
      Name: dimension,
      Value: emf[dimension] as string,
    })),
  } satisfies WrittenMetric;
}

/** The metrics adapter's output: what CloudWatch makes of it decides whether the stack's alarms ever see it. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { countingMetrics, powertoolsMetrics } from '../../handlers/adapters/observability.js';

/** Each EMF document written to stdout while `act` runs. */
function emfDocumentsOf(act: () => void): Record<string, unknown>[] {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    act();
  } finally {
    write.mockRestore();
  }
  return lines
    .join('')
    .split('\n')
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('measure (the canary ProbeArrived per address)', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('writes one EMF metric whose only dimension is the one given, as the per-address alarm names it', () => {
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'AcmValidationMail/Test');
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'canary');
    const metrics = powertoolsMetrics();
    const documents = emfDocumentsOf(() => {
      metrics.measure('ProbeArrived', 0, { Address: 'admin@example.net' });
      metrics.measure('ProbeArrived', 1, { Address: 'webmaster@example.net' });
    });
    expect(documents).toHaveLength(2);
    expect(documents[0]).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'AcmValidationMail/Test',
            // Exactly [Address]: with Powertools' default `service` dimension too, the alarm would never match.
            Dimensions: [['Address']],
            Metrics: [{ Name: 'ProbeArrived', Unit: 'Count' }],
          },
        ],
      },
      Address: 'admin@example.net',
      ProbeArrived: 0,
    });
    expect(documents[1]).toMatchObject({ Address: 'webmaster@example.net', ProbeArrived: 1 });
    expect(documents[0]).not.toHaveProperty('service');
  });

  it('is kept in memory by the counting metrics, apart from the counts', () => {
    const metrics = countingMetrics();
    metrics.count('SuspiciousMail');
    metrics.measure('ProbeArrived', 1, { Address: 'admin@example.net' });
    expect(metrics.counts).toEqual(new Map([['SuspiciousMail', 1]]));
    expect(metrics.measured).toEqual([
      { name: 'ProbeArrived', value: 1, dimensions: { Address: 'admin@example.net' } },
    ]);
  });
});

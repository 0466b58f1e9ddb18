/** Logging and metrics, as every handler sees them: Powertools in Lambda, silent or collecting elsewhere. */

export interface Log {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export interface Metrics {
  count(name: string): void;
  /**
   * One value of `name` with its own dimensions (the canary's `ProbeArrived` per `Address`), written apart from the
   * counts, which carry no dimension: each dimension set is its own CloudWatch metric.
   */
  measure(name: string, value: number, dimensions: Readonly<Record<string, string>>): void;
  /** Writes what was counted (CloudWatch EMF in Lambda). */
  flush(): void;
}

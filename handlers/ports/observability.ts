/** Logging and metrics, as every handler sees them: Powertools in Lambda, silent or collecting elsewhere. */

export interface Log {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export interface Metrics {
  count(name: string): void;
  /** Writes what was counted (CloudWatch EMF in Lambda). */
  flush(): void;
}

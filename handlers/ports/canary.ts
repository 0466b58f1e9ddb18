/**
 * What the mailbox canary needs from the outside world, and what the router needs to recognise its probes. Production
 * wires Secrets Manager, DynamoDB and EventBridge Scheduler adapters; the local run and the tests wire the same
 * adapters at local emulators and stubs, or the in-memory fakes of test/support/in-memory-ports.ts.
 */
import type { ProbeAddressState, ProbeRecord } from '../core/state.js';

/** The key probe tokens are signed with (the stack's Secrets Manager secret). */
export interface ProbeKeySource {
  /** Cached for the life of the process after the first read. */
  probeKey(): Promise<Uint8Array>;
}

/** What the router found when it recorded a probe's arrival. */
export type ProbeArrival =
  /** This message is the probe's first arrival: recorded. `probe` is the record after it. */
  | { readonly kind: 'first'; readonly probe: ProbeRecord }
  /** The same message again (SES or Lambda retrying): nothing new. */
  | { readonly kind: 'retry'; readonly probe: ProbeRecord }
  /** Another message already arrived as this probe: a copy sent again. */
  | { readonly kind: 'replayed'; readonly probe: ProbeRecord }
  /** No probe of that run to that address was ever sent (or its record has expired). */
  | { readonly kind: 'unknown' };

export interface CanaryStore {
  /** Records a probe before it is sent, so that its arrival always finds the record; updates the address's state. */
  recordProbeSent(probe: ProbeRecord, expiresAtEpoch: number): Promise<void>;
  /** Every probe of a run, by address. */
  probesOfRun(runId: string): Promise<ProbeRecord[]>;
  /** Records the arrival of a probe, once (a conditional write); updates the address's state. */
  recordProbeArrival(runId: string, address: string, arrivedAt: string, messageId: string): Promise<ProbeArrival>;
  /** Marks a probe missing at its check: true once, and only while it has not arrived (one alert per address, run). */
  markProbeMissing(runId: string, address: string, at: string): Promise<boolean>;
  /** Marks a late arrival's follow-up as sent: true once, and only when the probe was alerted missing. */
  markLateCleared(runId: string, address: string, at: string): Promise<boolean>;
  /** The canary's last word on each address; an address never probed has all its times null. */
  addressStates(
    addresses: readonly { address: string; domain: string; path: ProbeRecord['path'] }[],
  ): Promise<ProbeAddressState[]>;
}

/** Asks for the run's check at `at` (an EventBridge Scheduler one-time schedule in production). */
export interface CheckScheduler {
  scheduleCheck(runId: string, at: Date): Promise<void>;
}

/** What the canary function is invoked with: by its daily schedule, its one-time checks, or `acm-mail doctor`. */
export type CanaryEvent =
  | { readonly action: 'send-round'; readonly trigger?: 'schedule' | 'doctor' }
  | { readonly action: 'check-round'; readonly runId: string };

/** What the canary function returns (`acm-mail doctor --probe` reads it). */
export type CanaryResult =
  | {
      readonly action: 'send-round';
      readonly runId: string;
      readonly checkAt: string;
      readonly probes: readonly { readonly address: string; readonly sentAt: string }[];
    }
  | {
      readonly action: 'check-round';
      readonly runId: string;
      readonly arrived: readonly string[];
      readonly missing: readonly string[];
    };

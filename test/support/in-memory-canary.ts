/**
 * The canary's ports in memory: the same conditional behaviour as the DynamoDB canary store (one arrival per probe,
 * one missing alert per address and run, one late follow-up), for fast tests of the canary and the router's probe
 * branch. A contract test runs one suite against both.
 */

import { neverProbed } from '../../handlers/core/canary/targets.js';
import type { ProbeAddressState, ProbeRecord } from '../../handlers/core/state.js';
import type { CanaryStore, CheckScheduler, ProbeKeySource } from '../../handlers/ports/canary.js';

export function inMemoryCanaryStore(): CanaryStore & {
  readonly probes: ReadonlyMap<string, ProbeRecord>;
  readonly states: ReadonlyMap<string, ProbeAddressState>;
} {
  const probes = new Map<string, ProbeRecord>();
  const states = new Map<string, ProbeAddressState>();
  const keyOf = (runId: string, address: string) => `${runId} ${address}`;
  const blank = neverProbed;
  const update = (probe: ProbeRecord, change: Partial<ProbeAddressState>) => {
    states.set(probe.address, { ...(states.get(probe.address) ?? blank(probe)), ...change });
  };

  return {
    probes,
    states,
    async recordProbeSent(probe) {
      probes.set(keyOf(probe.runId, probe.address), probe);
      update(probe, { domain: probe.domain, path: probe.path, lastRunId: probe.runId, lastSentAt: probe.sentAt });
    },
    async probesOfRun(runId) {
      return [...probes.values()].filter((probe) => probe.runId === runId);
    },
    async recordProbeArrival(runId, address, arrivedAt, messageId) {
      const probe = probes.get(keyOf(runId, address));
      if (probe === undefined) return { kind: 'unknown' };
      if (probe.arrivalMessageId === messageId) return { kind: 'retry', probe };
      if (probe.arrivalMessageId !== null) return { kind: 'replayed', probe };
      const arrived = { ...probe, arrivedAt, arrivalMessageId: messageId };
      probes.set(keyOf(runId, address), arrived);
      const state = states.get(address);
      // The newest probe's arrival wins: a late probe of an older run does not hide a newer one's.
      if (state?.lastArrivedSentAt == null || state.lastArrivedSentAt <= probe.sentAt) {
        update(probe, { lastArrivedAt: arrivedAt, lastArrivedSentAt: probe.sentAt });
      }
      return { kind: 'first', probe: arrived };
    },
    async markProbeMissing(runId, address, at) {
      const probe = probes.get(keyOf(runId, address));
      if (probe === undefined || probe.arrivedAt !== null || probe.missingAlertedAt !== null) return false;
      probes.set(keyOf(runId, address), { ...probe, missingAlertedAt: at });
      update(probe, { lastMissingAt: at });
      return true;
    },
    async markLateCleared(runId, address, at) {
      const probe = probes.get(keyOf(runId, address));
      if (probe === undefined || probe.missingAlertedAt === null || probe.lateClearedAt !== null) return false;
      probes.set(keyOf(runId, address), { ...probe, lateClearedAt: at });
      return true;
    },
    async addressStates(addresses) {
      return addresses.map((target) => states.get(target.address) ?? blank(target));
    },
  };
}

/** A fixed probe key. */
export function fixedProbeKey(key = Buffer.from('test probe key: not a secret, only for tests')): ProbeKeySource & {
  readonly key: Uint8Array;
} {
  return { key, probeKey: async () => key };
}

/** Records the checks asked for. */
export function recordingCheckScheduler(): CheckScheduler & { readonly checks: { runId: string; at: Date }[] } {
  const checks: { runId: string; at: Date }[] = [];
  return {
    checks,
    async scheduleCheck(runId, at) {
      checks.push({ runId, at });
    },
  };
}

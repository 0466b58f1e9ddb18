/**
 * The mailbox canary's logic (README, "The mailbox canary"). A send round mails one signed probe to every watched
 * address and asks for its check; the check, `arrivalMinutes` later, emits `ProbeArrived` per address and alerts,
 * once per address and run, for every probe the router has not recorded.
 */
import { domainOf } from '../core/addresses.js';
import { missingProbeRecipients } from '../core/canary/alert-recipients.js';
import { missingProbeAnchor, renderMissingProbeAlert } from '../core/canary/missing-alert.js';
import { probeMail } from '../core/canary/probe-mail.js';
import { neverProbed, type ProbeTarget, probeTargets } from '../core/canary/targets.js';
import { probeNonce, probeRunId, probeTime, signProbeToken } from '../core/canary/token.js';
import type { Configuration } from '../core/configuration/index.js';
import { CANARY_METRICS } from '../core/metrics.js';
import { personMailHeaders } from '../core/routing/delivery-profiles.js';
import type { ProbeAddressState, ProbeRecord } from '../core/state.js';
import type { CanaryEvent, CanaryResult, CanaryStore, CheckScheduler, ProbeKeySource } from '../ports/canary.js';
import type { Mailer } from '../ports/mail.js';
import type { Log, Metrics } from '../ports/observability.js';
import type { Notifier } from '../ports/router.js';

export interface CanaryDeps {
  readonly configuration: Configuration;
  readonly probeKeys: ProbeKeySource;
  readonly store: CanaryStore;
  readonly checks: CheckScheduler;
  /** Sends the probes; may send to probe targets only (the watched addresses every other mailer refuses). */
  readonly probeMailer: Mailer;
  /** Missing-probe alerts: mail to the security contact and owners, and a message on the alerts topic. */
  readonly alerts: Pick<Notifier, 'sendMail' | 'publish'>;
  readonly metrics: Metrics;
  readonly logger: Log;
  readonly clock: () => Date;
  readonly randomBytes: (size: number) => Buffer;
}

const MINUTE_MS = 60_000;
const DAY_S = 24 * 60 * 60;

/** The kind of message the missing-probe alert publishes on the alerts topic (its `alert` attribute). */
export const PROBE_MISSING_ALERT = 'probe-missing';

// The run id as token.ts writes it: `YYYYMMDDTHHMMSSZ-` and 8 hex digits.
const RUN_ID = /^\d{8}T\d{6}Z-[0-9a-f]{8}$/;

/**
 * The invocation's event, read strictly: the schedules and `acm-mail doctor` send exactly these shapes, and anything
 * else (a hand-made test event, a typo) is refused with what was wrong rather than half-run.
 */
export function readCanaryEvent(event: unknown): CanaryEvent {
  const fields = typeof event === 'object' && event !== null ? (event as Record<string, unknown>) : {};
  if (fields.action === 'send-round') {
    const trigger = fields.trigger;
    if (trigger !== undefined && trigger !== 'schedule' && trigger !== 'doctor') {
      throw new Error(`canary event: trigger ${JSON.stringify(trigger)} is not "schedule" or "doctor"`);
    }
    return trigger === undefined ? { action: 'send-round' } : { action: 'send-round', trigger };
  }
  if (fields.action === 'check-round') {
    if (typeof fields.runId !== 'string' || !RUN_ID.test(fields.runId)) {
      throw new Error(`canary event: runId ${JSON.stringify(fields.runId)} is not a canary run id`);
    }
    return { action: 'check-round', runId: fields.runId };
  }
  throw new Error(
    `canary event: action ${JSON.stringify(fields.action)} is not "send-round" or "check-round" ` +
      '(expected {"action":"send-round"} or {"action":"check-round","runId":"..."})',
  );
}

export function makeCanary(deps: CanaryDeps): (event: CanaryEvent) => Promise<CanaryResult> {
  const { configuration } = deps;
  return async (event) => {
    if (event.action === 'send-round') return sendRound();
    if (event.action === 'check-round') return checkRound(event.runId);
    throw new Error(`canary: unknown action ${JSON.stringify((event as { action?: unknown }).action)}`);
  };

  async function sendRound(): Promise<CanaryResult> {
    const now = deps.clock();
    const runId = probeRunId(now, deps.randomBytes(4));
    const sentAt = probeTime(now);
    const checkAt = new Date(Date.parse(sentAt) + configuration.canary.arrivalMinutes * MINUTE_MS);
    const expiresAtEpoch = Math.floor(Date.parse(sentAt) / 1000) + configuration.retention.stateDays * DAY_S;
    const targets = probeTargets(configuration);
    // The key first: without it no probe can be signed, and nothing should be recorded as sent.
    const key = await deps.probeKeys.probeKey();
    // Every probe is recorded before any is sent: a probe that arrives always finds its record, and a store that
    // fails stops the round before anything went out.
    for (const target of targets) {
      await deps.store.recordProbeSent(probeRecord(runId, target, sentAt, checkAt.toISOString()), expiresAtEpoch);
    }
    const sent: { address: string; sentAt: string }[] = [];
    for (const target of targets) {
      const token = signProbeToken(
        { runId, address: target.address, sentAt, nonce: probeNonce(deps.randomBytes(16)) },
        key,
      );
      try {
        await deps.probeMailer.sendMail(probeMail(target, token, { stackName: configuration.stackName, runId }));
        sent.push({ address: target.address, sentAt });
      } catch (error) {
        // The probe stays recorded: its check reports the address missing, which is what a failed send means.
        deps.logger.error('probe not sent', {
          runId,
          address: target.address,
          path: target.path,
          error: String(error),
        });
      }
    }
    await deps.checks.scheduleCheck(runId, checkAt);
    deps.logger.info('probes sent', {
      runId,
      targets: targets.length,
      sent: sent.length,
      checkAt: checkAt.toISOString(),
    });
    return { action: 'send-round', runId, checkAt: checkAt.toISOString(), probes: sent };
  }

  async function checkRound(runId: string): Promise<CanaryResult> {
    const probes = await deps.store.probesOfRun(runId);
    if (probes.length === 0) deps.logger.warn('canary run has no probes (unknown, or its records expired)', { runId });
    const arrived = probes.filter((probe) => probe.arrivedAt !== null);
    const missing = probes.filter((probe) => probe.arrivedAt === null);
    for (const probe of probes) {
      deps.metrics.measure(CANARY_METRICS.probeArrived, probe.arrivedAt === null ? 0 : 1, {
        [CANARY_METRICS.addressDimension]: probe.address,
      });
    }
    // Read before marking: the alert says what last worked, not that this check just found it missing.
    const states = await deps.store.addressStates(missing);
    const now = deps.clock().toISOString();
    const failures: string[] = [];
    for (const [index, probe] of missing.entries()) {
      if (!(await deps.store.markProbeMissing(runId, probe.address, now))) continue;
      try {
        await alertMissing(probe, states[index] ?? neverProbed(probe));
      } catch (error) {
        failures.push(probe.address);
        deps.logger.error('missing-probe alert failed', { runId, address: probe.address, error: String(error) });
      }
    }
    deps.logger.info('probes checked', { runId, arrived: arrived.length, missing: missing.length });
    // The marks are set, so a retry would alert nobody: the ProbeArrived alarm still fires for these addresses.
    if (failures.length > 0) deps.logger.error('canary alerts not delivered', { runId, addresses: failures });
    return {
      action: 'check-round',
      runId,
      arrived: arrived.map((probe) => probe.address),
      missing: missing.map((probe) => probe.address),
    };
  }

  async function alertMissing(probe: ProbeRecord, state: ProbeAddressState): Promise<void> {
    const alert = renderMissingProbeAlert({
      probe,
      state,
      stackName: configuration.stackName,
      region: configuration.region,
      sender: configuration.sender,
      extraInboundAddresses: configuration.extraInboundAddresses,
      ruleSetName: configuration.ruleSet.name,
    });
    const anchor = missingProbeAnchor(probe.runId, probe.address, domainOf(configuration.sender));
    // Mail and topic are tried apart: SES sending being what broke must not also silence the topic.
    const outcomes = await Promise.allSettled([
      deps.alerts.sendMail({
        ...alert,
        to: missingProbeRecipients(probe.domain, configuration),
        references: [anchor],
        headers: personMailHeaders('alert'),
      }),
      deps.alerts.publish(
        'alerts',
        {
          type: 'canary-alert',
          alert: PROBE_MISSING_ALERT,
          subject: alert.subject,
          address: probe.address,
          domain: probe.domain,
          path: probe.path,
          runId: probe.runId,
          sentAt: probe.sentAt,
          checkAt: probe.checkAt,
          lastArrivedAt: state.lastArrivedAt,
        },
        { alert: PROBE_MISSING_ALERT },
      ),
    ]);
    const failed = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [String(outcome.reason)] : []));
    if (failed.length > 0) throw new Error(failed.join('; '));
  }
}

function probeRecord(runId: string, target: ProbeTarget, sentAt: string, checkAt: string): ProbeRecord {
  return {
    runId,
    address: target.address,
    domain: target.domain,
    path: target.path,
    sentAt,
    checkAt,
    arrivedAt: null,
    arrivalMessageId: null,
    missingAlertedAt: null,
    lateClearedAt: null,
  };
}

/**
 * The mailbox canary's word on each watched address (its `canary#<address>` items), and with `--probe` a round sent
 * now and waited for. An address is healthy when its last probe arrived and that run is recent; a run still inside its
 * arrival time is judged by the one before it, so a doctor run during the canary's round does not cry wolf.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { type ProbeTarget, probeTargets } from '../core/canary/targets.js';
import type { Configuration } from '../core/configuration/index.js';
import type { ProbeAddressState, ProbeRecord } from '../core/state.js';
import type { CanaryEvent, CanaryResult, CanaryStore } from '../ports/canary.js';
import { type CheckResult, callFailed, errorText, fail, info, ok } from './check.js';

/**
 * A daily canary's last run may be this old: a day, plus half a day for a schedule in another zone, a slow round or
 * a doctor run just before the next round. One skipped day fails the check.
 */
export const STALE_AFTER_HOURS = 36;
const HOUR_MS = 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

type CanaryFacts = Pick<Configuration, 'canary' | 'validationDomains' | 'extraInboundAddresses' | 'region' | 'ruleSet'>;

/** What to look at when a probe to this address did not come back, by the path its mail takes. */
export function probeAdvice(target: Pick<ProbeTarget, 'address' | 'domain' | 'path'>, config: CanaryFacts): string {
  switch (target.path) {
    case 'ses':
      return `check the MX of ${target.domain} (the dns check above), that rule set "${config.ruleSet.name}" is active in ${config.region} with ${target.address} in our rule, that SES may still send (ses-sending), and the router's log for the probe`;
    case 'forwarded':
      return `the probe went to the corporate mailbox ${target.address}: check that the corporate mail system still forwards it to ${config.extraInboundAddresses.join(', ') || 'our extra inbound address'} unchanged, then the MX and rule set checks above`;
    case 'extra':
      return `mail to ${target.address} goes straight to SES: check the MX of ${target.domain} and that ${target.address} is in our rule's recipients (ses-rule-set)`;
  }
}

function ago(iso: string, now: Date): string {
  const ms = now.getTime() - Date.parse(iso);
  if (ms < HOUR_MS) return `${Math.max(0, Math.round(ms / MINUTE_MS))} min ago`;
  if (ms < 48 * HOUR_MS) return `${Math.round(ms / HOUR_MS)} h ago`;
  return `${Math.round(ms / (24 * HOUR_MS))} days ago`;
}

const when = (iso: string | null, now: Date) => (iso === null ? 'never' : `${iso} (${ago(iso, now)})`);

/** One address's state as a check, by the rule in the module's comment. */
export function addressCheck(state: ProbeAddressState, config: CanaryFacts, now: Date): CheckResult {
  const id = `canary:${state.address}`;
  if (state.lastSentAt === null) {
    return fail(
      id,
      `${state.address} was never probed`,
      "send a round now with --probe; if the daily round never probes it, check the canary function's log and schedule (it reads the same configuration)",
    );
  }
  const fresh = (iso: string) => now.getTime() - Date.parse(iso) <= STALE_AFTER_HOURS * HOUR_MS;
  const lastArrived = state.lastArrivedSentAt !== null && state.lastArrivedSentAt >= state.lastSentAt;
  const inFlight =
    !lastArrived && now.getTime() - Date.parse(state.lastSentAt) < config.canary.arrivalMinutes * MINUTE_MS;
  const lastSuccess = `last success ${when(state.lastArrivedAt, now)}`;
  if (lastArrived) {
    if (fresh(state.lastSentAt)) return ok(id, `last probe sent ${when(state.lastSentAt, now)} arrived`);
    return fail(
      id,
      `the last probe was sent ${when(state.lastSentAt, now)}: the canary has not run for over ${STALE_AFTER_HOURS} h (${lastSuccess})`,
      "check the canary's schedule (EventBridge Scheduler, canary.schedule) and the canary function's errors; --probe sends a round now",
    );
  }
  if (inFlight && state.lastArrivedSentAt !== null && fresh(state.lastArrivedSentAt)) {
    return ok(id, `a probe sent ${when(state.lastSentAt, now)} is on its way; the one before arrived (${lastSuccess})`);
  }
  const missing = state.lastMissingAt === null ? '' : `, found missing ${when(state.lastMissingAt, now)}`;
  return fail(
    id,
    `the last probe to ${state.address} (sent ${when(state.lastSentAt, now)}) has not arrived${missing}; ${lastSuccess}`,
    probeAdvice(state, config),
  );
}

export async function canaryStateChecks(
  config: CanaryFacts,
  store: Pick<CanaryStore, 'addressStates'>,
  now: Date,
): Promise<CheckResult[]> {
  if (!config.canary.enabled) {
    return [
      info(
        'canary',
        'the mailbox canary is turned off in the configuration (canary.enabled): nothing probes the addresses',
      ),
    ];
  }
  try {
    const states = await store.addressStates(probeTargets(config));
    return states.map((state) => addressCheck(state, config, now));
  } catch (error) {
    return [callFailed('canary', 'dynamodb:BatchGetItem', config.region, error)];
  }
}

export interface ProbeRoundDeps {
  readonly lambda: LambdaClient;
  readonly canaryFunction: string;
  readonly store: Pick<CanaryStore, 'probesOfRun'>;
  readonly clock: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  /** How often the state table is read while waiting. */
  readonly pollMs: number;
  /** Each probe as it arrives: its address and how long it took. */
  readonly onArrival: (address: string, seconds: number) => void;
  /** What it is doing now (a progress line). */
  readonly progress: (text: string) => void;
}

type SendRound = Extract<CanaryResult, { action: 'send-round' }>;

function sendRoundOf(payload: unknown): SendRound | null {
  const result = payload as Partial<SendRound> | null;
  if (result === null || typeof result !== 'object' || result.action !== 'send-round') return null;
  if (typeof result.runId !== 'string' || !Array.isArray(result.probes)) return null;
  return result as SendRound;
}

/** Sends a round now through the canary function and waits for each probe, at most `canary.arrivalMinutes`. */
export async function probeRound(config: CanaryFacts, deps: ProbeRoundDeps): Promise<CheckResult[]> {
  const id = 'probe';
  const event: CanaryEvent = { action: 'send-round', trigger: 'doctor' };
  const started = deps.clock();
  let round: SendRound | null;
  try {
    const answer = await deps.lambda.send(
      new InvokeCommand({
        FunctionName: deps.canaryFunction,
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(JSON.stringify(event)),
      }),
    );
    const text = answer.Payload ? new TextDecoder().decode(answer.Payload) : '';
    if (answer.FunctionError !== undefined) {
      return [
        fail(
          id,
          `the canary function ${deps.canaryFunction} failed (${answer.FunctionError}): ${text.slice(0, 500)}`,
          "read the canary function's log (CloudWatch Logs) for the error, fix it, then --probe again",
        ),
      ];
    }
    round = sendRoundOf(text === '' ? null : JSON.parse(text));
    if (round === null) {
      return [
        fail(
          id,
          `the canary function answered ${text.slice(0, 200)}, not a round`,
          'deploy this version of the stack (npx cdk deploy)',
        ),
      ];
    }
  } catch (error) {
    if (error instanceof SyntaxError) {
      return [
        fail(
          id,
          `the canary function's answer is not JSON: ${errorText(error)}`,
          'deploy this version of the stack (npx cdk deploy)',
        ),
      ];
    }
    return [callFailed(id, 'lambda:InvokeFunction', config.region, error)];
  }
  if (round.probes.length === 0) {
    return [
      fail(
        id,
        `the canary sent no probes (run ${round.runId})`,
        'check canary.enabled and the validation domains in the configuration the stack was deployed with',
      ),
    ];
  }
  const deadline = started.getTime() + config.canary.arrivalMinutes * MINUTE_MS;
  deps.progress('waiting for the probes');
  const arrived = new Map<string, ProbeRecord>();
  for (;;) {
    let records: ProbeRecord[];
    try {
      records = await deps.store.probesOfRun(round.runId);
    } catch (error) {
      return [callFailed(id, 'dynamodb:Query', config.region, error)];
    }
    for (const record of records) {
      if (record.arrivedAt === null || arrived.has(record.address)) continue;
      arrived.set(record.address, record);
      deps.onArrival(record.address, Math.round((Date.parse(record.arrivedAt) - Date.parse(record.sentAt)) / 1000));
    }
    if (arrived.size >= round.probes.length || deps.clock().getTime() >= deadline) break;
    await deps.sleep(deps.pollMs);
  }
  const targets = new Map(probeTargets(config).map((target) => [target.address, target]));
  return round.probes.map((probe) => {
    const record = arrived.get(probe.address);
    if (record?.arrivedAt) {
      const seconds = Math.round((Date.parse(record.arrivedAt) - Date.parse(record.sentAt)) / 1000);
      return ok(`probe:${probe.address}`, `arrived ${seconds} s after it was sent (run ${round.runId})`);
    }
    const target = targets.get(probe.address);
    return fail(
      `probe:${probe.address}`,
      `the probe sent ${probe.sentAt} has not arrived within ${config.canary.arrivalMinutes} min (run ${round.runId})`,
      target === undefined
        ? `${probe.address} is not a watched address of this configuration: the stack runs another one; redeploy with this one`
        : probeAdvice(target, config),
    );
  });
}

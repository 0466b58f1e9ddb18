/**
 * `acm-mail doctor`'s logic over its clients: who is asking, where the deployment is, then each check group. The
 * checks that need AWS run only once the credentials are known to be the configured account's: answers about another
 * account would mislead. DNS needs no credentials and always runs.
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SESClient } from '@aws-sdk/client-ses';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { STSClient } from '@aws-sdk/client-sts';
import type { Configuration } from '../core/configuration/index.js';
import { DEPLOYED_OUTPUTS } from '../core/deployment-contract.js';
import type { CanaryStore } from '../ports/canary.js';
import { canaryStateChecks, probeRound } from './canary-checks.js';
import { allPassed, type CheckResult, fail } from './check.js';
import { dnsChecks, type MxResolver } from './dns-checks.js';
import { callerIdentityCheck } from './identity-check.js';
import { concurrencyCheck } from './lambda-check.js';
import { canaryScheduleCheck } from './scheduler-check.js';
import { receivingIdentityChecks, ruleSetCheck, senderCheck, sendingAccountChecks } from './ses-checks.js';
import { expectedOutputs, requiredOutput, stackOutputs } from './stack-outputs.js';

export interface DoctorClients {
  readonly sts: STSClient;
  readonly cloudformation: CloudFormationClient;
  readonly ses: SESClient;
  readonly sesv2: SESv2Client;
  readonly lambda: LambdaClient;
  /** Invokes the canary (`--probe`): a longer timeout, and never a retry that would send a second round. */
  readonly canaryInvoker: LambdaClient;
  /** Reads the canary's daily schedule. */
  readonly scheduler: SchedulerClient;
}

export interface DoctorDeps {
  readonly configuration: Configuration;
  /** @default configuration.stackName */
  readonly stackName?: string;
  readonly clients: DoctorClients;
  readonly dns: MxResolver;
  /** The canary's records in the deployment's state table (its name comes from the stack's outputs). */
  readonly canaryStore: (table: string) => Pick<CanaryStore, 'addressStates' | 'probesOfRun'>;
  readonly clock: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  /** How often `--probe` reads the state table while it waits. */
  readonly pollMs: number;
  /** What the doctor is doing now (a progress line). */
  readonly progress: (text: string) => void;
  /** A probe of `--probe` arrived. */
  readonly onArrival: (address: string, seconds: number) => void;
}

export interface DoctorReport {
  readonly account: string | null;
  readonly region: string;
  readonly stack: string;
  readonly checks: readonly CheckResult[];
  readonly passed: boolean;
}

export function makeDoctor(deps: DoctorDeps) {
  return async (options: { readonly probe: boolean }): Promise<DoctorReport> => {
    const config = deps.configuration;
    const stack = deps.stackName ?? config.stackName;
    const { clients } = deps;
    const checks: CheckResult[] = [];
    const report = (account: string | null): DoctorReport => ({
      account,
      region: config.region,
      stack,
      checks,
      passed: allPassed(checks),
    });

    deps.progress('asking AWS who this is');
    const identity = await callerIdentityCheck(config, clients.sts);
    checks.push(identity.check);
    deps.progress('resolving MX records');
    const dns = await dnsChecks(config, deps.dns);
    if (identity.caller === null) {
      checks.push(...dns);
      return report(null);
    }
    deps.progress(`reading the outputs of stack ${stack}`);
    const deployed = await stackOutputs(
      stack,
      config.region,
      clients.cloudformation,
      expectedOutputs(config.canary.enabled),
    );
    checks.push(deployed.check, ...dns);

    deps.progress('checking SES');
    checks.push(...(await receivingIdentityChecks(config, clients.sesv2)));
    checks.push(await ruleSetCheck(config, clients.ses));
    checks.push(await senderCheck(config, clients.sesv2));
    checks.push(...(await sendingAccountChecks(config.region, clients.sesv2)));

    deps.progress("checking the router's concurrency");
    const router = requiredOutput(deployed.outputs, DEPLOYED_OUTPUTS.routerFunction, 'lambda-concurrency');
    checks.push('check' in router ? router.check : await concurrencyCheck(config, clients.lambda, router.value));

    if (config.canary.enabled) {
      deps.progress("checking the canary's schedule");
      const schedule = requiredOutput(deployed.outputs, DEPLOYED_OUTPUTS.canarySchedule, 'canary-schedule');
      checks.push(
        'check' in schedule ? schedule.check : await canaryScheduleCheck(config, clients.scheduler, schedule.value),
      );
    }

    deps.progress("reading the canary's last runs");
    const table = requiredOutput(deployed.outputs, DEPLOYED_OUTPUTS.requestTable, 'canary');
    if ('check' in table) {
      checks.push(table.check);
      return report(identity.caller.account);
    }
    const store = deps.canaryStore(table.value);
    checks.push(...(await canaryStateChecks(config, store, deps.clock())));

    if (options.probe && !config.canary.enabled) {
      // Asked for and impossible: exit 0 would read as "the probes arrived".
      checks.push(
        fail(
          'probe',
          'not sent: the canary is turned off in the configuration (canary.enabled), so the stack has no canary function',
          'turn it on ("canary": {"enabled": true}) and redeploy, or run the doctor without --probe',
        ),
      );
    } else if (options.probe) {
      const canary = requiredOutput(deployed.outputs, DEPLOYED_OUTPUTS.canaryFunction, 'probe');
      if ('check' in canary) {
        checks.push(canary.check);
      } else {
        deps.progress('sending probes');
        checks.push(
          ...(await probeRound(config, {
            lambda: clients.canaryInvoker,
            canaryFunction: canary.value,
            store,
            clock: deps.clock,
            sleep: deps.sleep,
            pollMs: deps.pollMs,
            onArrival: deps.onArrival,
            progress: deps.progress,
          })),
        );
      }
    }
    return report(identity.caller.account);
  };
}

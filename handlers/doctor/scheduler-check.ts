/**
 * The canary's daily schedule: there, enabled, and firing when the configuration says. A schedule someone disabled
 * (in the console, or by a script cleaning up) stops the canary without an error anywhere: the per-address alarms
 * then fire a day later, as "no data". This says why, at once.
 */
import { GetScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Configuration } from '../core/configuration/index.js';
import { type CheckResult, callFailed, fail, ok } from './check.js';

/** The daily round is in the account's default group (the check schedules have their own). */
const GROUP = 'default';

export async function canaryScheduleCheck(
  config: Pick<Configuration, 'region' | 'canary' | 'digest'>,
  scheduler: SchedulerClient,
  scheduleName: string,
): Promise<CheckResult> {
  const id = 'canary-schedule';
  const redeploy = 'redeploy the stack (npx cdk deploy) to restore it as the configuration says';
  let schedule: { State?: string; ScheduleExpression?: string; ScheduleExpressionTimezone?: string };
  try {
    schedule = await scheduler.send(new GetScheduleCommand({ Name: scheduleName, GroupName: GROUP }));
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') {
      return fail(id, `the canary's daily schedule ${scheduleName} does not exist: no probes are sent`, redeploy);
    }
    return callFailed(id, 'scheduler:GetSchedule', config.region, error);
  }
  const expression = config.canary.schedule;
  const timeZone = config.canary.timeZone ?? config.digest.timeZone;
  if (schedule.State !== 'ENABLED') {
    return fail(
      id,
      `the canary's daily schedule ${scheduleName} is ${schedule.State ?? 'in an unknown state'}: no probes are sent`,
      `${redeploy}, or enable it (aws scheduler update-schedule needs its whole definition: redeploying is simpler); CloudTrail's UpdateSchedule events say who disabled it`,
    );
  }
  if (schedule.ScheduleExpression !== expression || schedule.ScheduleExpressionTimezone !== timeZone) {
    return fail(
      id,
      `the canary's daily schedule runs ${schedule.ScheduleExpression} in ${schedule.ScheduleExpressionTimezone}, the configuration says ${expression} in ${timeZone}`,
      redeploy,
    );
  }
  return ok(id, `the canary's daily schedule ${scheduleName} is enabled: ${expression} in ${timeZone}`);
}

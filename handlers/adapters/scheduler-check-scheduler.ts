/**
 * The canary's one-time checks as EventBridge Scheduler schedules: one `at(...)` schedule per run, in the stack's
 * schedule group, that invokes the canary function with `{"action":"check-round","runId":...}` and deletes itself
 * once it has run (`ActionAfterCompletion: DELETE`), so the group never fills with spent schedules.
 */
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { CanaryEvent, CheckScheduler } from '../ports/canary.js';

export interface CheckScheduleTarget {
  /** The schedule group the stack created for the checks (the canary may create schedules only there). */
  readonly groupName: string;
  /** The role Scheduler assumes to invoke the canary; the canary may pass only this role. */
  readonly roleArn: string;
  /** The canary function's own ARN, unqualified (the role may invoke exactly that). */
  readonly functionArn: string;
}

// Scheduler names: 1-64 of letters, digits, `-`, `_` and `.` (API reference, CreateSchedule, Name).
const SCHEDULE_NAME = /^[0-9A-Za-z_.-]{1,64}$/;

/** The check's schedule name: one per run, so a run can never ask for two checks. */
export function checkScheduleName(runId: string): string {
  const name = `canary-check-${runId}`;
  if (!SCHEDULE_NAME.test(name)) throw new Error(`canary run id ${JSON.stringify(runId)} makes no schedule name`);
  return name;
}

/** `at(2026-11-26T06:30:00)`, read in UTC: Scheduler's one-time expression has no zone and no fraction. */
export function atExpression(at: Date): string {
  return `at(${at.toISOString().slice(0, 19)})`;
}

/**
 * An invoked function ARN may carry a qualifier (`:$LATEST`, a version or an alias) when it was invoked that way;
 * the scheduler role may invoke only the unqualified function, so the qualifier is dropped.
 */
export function unqualifiedFunctionArn(invokedFunctionArn: string): string {
  const parts = invokedFunctionArn.split(':');
  if (parts.length < 7 || parts[2] !== 'lambda' || parts[5] !== 'function') {
    throw new Error(`${JSON.stringify(invokedFunctionArn)} is not a Lambda function ARN`);
  }
  return parts.slice(0, 7).join(':');
}

export function schedulerCheckScheduler(
  scheduler: () => Promise<SchedulerClient>,
  target: CheckScheduleTarget,
): CheckScheduler {
  return {
    async scheduleCheck(runId, at) {
      const input: CanaryEvent = { action: 'check-round', runId };
      const { CreateScheduleCommand } = await import('@aws-sdk/client-scheduler');
      await (await scheduler()).send(
        new CreateScheduleCommand({
          Name: checkScheduleName(runId),
          GroupName: target.groupName,
          Description: `Checks that the probes of canary run ${runId} arrived`,
          ScheduleExpression: atExpression(at),
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          // The run id makes a retried call of this run the same request, not a second schedule.
          ClientToken: runId,
          Target: {
            Arn: target.functionArn,
            RoleArn: target.roleArn,
            Input: JSON.stringify(input),
            // The check is idempotent (one alert per address and run), so retrying a failed invocation is safe; a
            // check later than a few hours says nothing new that the next daily run would not.
            RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 6 * 60 * 60 },
          },
        }),
      );
    },
  };
}

/** The canary's one-time check through the real Scheduler client, against a local stub of the Scheduler REST API. */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  atExpression,
  checkScheduleName,
  schedulerCheckScheduler,
  unqualifiedFunctionArn,
} from '../../handlers/adapters/scheduler-check-scheduler.js';
import { type SchedulerStub, startSchedulerStub } from '../support/scheduler-stub.js';

const FUNCTION_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:AcmValidationMail-CanaryFunction';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/AcmValidationMail-CanaryCheckRole';
const RUN_ID = '20261126T060000Z-1a2b3c4d';

describe('the Scheduler check scheduler', () => {
  let stub: SchedulerStub;
  let client: SchedulerClient;
  beforeAll(async () => {
    stub = await startSchedulerStub();
    client = new SchedulerClient({
      region: 'eu-west-1',
      endpoint: stub.endpoint,
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client.destroy();
    await stub.stop();
  });

  it('creates one self-deleting at() schedule in UTC that invokes the canary with the check of the run', async () => {
    const checks = schedulerCheckScheduler(async () => client, {
      groupName: 'AcmValidationMail-canary-checks',
      roleArn: ROLE_ARN,
      functionArn: FUNCTION_ARN,
    });
    await checks.scheduleCheck(RUN_ID, new Date('2026-11-26T06:30:00.000Z'));

    expect(stub.requests).toHaveLength(1);
    const [request] = stub.requests;
    expect(request).toMatchObject({
      method: 'POST',
      path: `/schedules/canary-check-${RUN_ID}`,
      contentType: 'application/json',
      signed: true,
    });
    expect(request?.body).toEqual({
      GroupName: 'AcmValidationMail-canary-checks',
      Description: `Checks that the probes of canary run ${RUN_ID} arrived`,
      ScheduleExpression: 'at(2026-11-26T06:30:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      ClientToken: RUN_ID,
      Target: {
        Arn: FUNCTION_ARN,
        RoleArn: ROLE_ARN,
        Input: JSON.stringify({ action: 'check-round', runId: RUN_ID }),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 21600 },
      },
    });
  });

  it('fails loudly when Scheduler refuses the schedule', async () => {
    const checks = schedulerCheckScheduler(async () => client, {
      groupName: 'AcmValidationMail-canary-checks',
      roleArn: ROLE_ARN,
      functionArn: FUNCTION_ARN,
    });
    // The first test created this run's schedule: Scheduler answers ConflictException.
    await expect(checks.scheduleCheck(RUN_ID, new Date('2026-11-26T06:30:00.000Z'))).rejects.toThrow(/already exists/);
  });
});

describe('schedule names, expressions and the target ARN', () => {
  it('names the schedule after the run, within Scheduler naming rules', () => {
    expect(checkScheduleName(RUN_ID)).toBe('canary-check-20261126T060000Z-1a2b3c4d');
    expect(() => checkScheduleName('run id/with slash')).toThrow(/makes no schedule name/);
  });

  it('writes the time to the second without a zone or fraction', () => {
    expect(atExpression(new Date('2026-11-26T06:30:00.750Z'))).toBe('at(2026-11-26T06:30:00)');
  });

  it('drops a qualifier from the invoked ARN, and refuses what is not a function ARN', () => {
    expect(unqualifiedFunctionArn(`${FUNCTION_ARN}:$LATEST`)).toBe(FUNCTION_ARN);
    expect(unqualifiedFunctionArn(`${FUNCTION_ARN}:live`)).toBe(FUNCTION_ARN);
    expect(unqualifiedFunctionArn(FUNCTION_ARN)).toBe(FUNCTION_ARN);
    expect(() => unqualifiedFunctionArn('arn:aws:sqs:eu-west-1:123456789012:queue')).toThrow(/not a Lambda function/);
  });
});

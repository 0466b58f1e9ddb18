/** The mailbox canary's infrastructure: key, function, schedules, exact permissions, alarms, outputs, and "off". */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { probeTargets } from '../../handlers/core/canary/targets.js';
import { parseConfiguration } from '../../handlers/core/configuration/index.js';
import { DEPLOYED_OUTPUTS, ENV } from '../../handlers/core/deployment-contract.js';
import { exampleJson, exampleWith } from '../support/configuration.js';
import { arnOf, canaryOf, logicalId, resourcesOf, synthesiseOnce } from '../support/infra.js';

const { stack, template } = synthesiseOnce();
const canary = canaryOf(stack);
const p = stack.pipeline;
const id = (construct: Parameters<typeof logicalId>[1]) => logicalId(stack, construct);

const ownZone = synthesiseOnce(
  exampleWith((c) => {
    c.canary = { schedule: 'cron(30 5,17 * * ? *)', timeZone: 'Asia/Tokyo', arrivalMinutes: 45 };
    c.validationDomains[0].probeForwarding = false;
  }),
);
const disabled = synthesiseOnce(
  exampleWith((c) => {
    c.canary = { enabled: false };
  }),
);

const PROBED = probeTargets(parseConfiguration(exampleJson(), 'example')).map((target) => target.address);
const sesIdentity = (name: string) => ({
  'Fn::Join': [
    '',
    ['arn:', { Ref: 'AWS::Partition' }, ':ses:eu-west-1:', { Ref: 'AWS::AccountId' }, `:identity/${name}`],
  ],
});
const SENDER_IDENTITIES = [sesIdentity('acm-mail@notify.example.org'), sesIdentity('notify.example.org')];

/** The statements of the one inline policy of a role, in order. */
function statementsOf(roleId: string, of = template) {
  const policies = Object.values(resourcesOf(of, 'AWS::IAM::Policy')).filter((policy) =>
    policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId),
  );
  expect(policies).toHaveLength(1);
  return policies[0].Properties.PolicyDocument.Statement;
}

describe('the probe key', () => {
  it('is a secret the stack generates: 64 letters and digits', () => {
    expect(resourcesOf(template, 'AWS::SecretsManager::Secret')[id(canary.probeKey)].Properties).toMatchObject({
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
    });
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
  });

  it('is named to the canary and the router by its ARN, and each may read its value and nothing more of it', () => {
    for (const fn of [canary.canary, p.router]) {
      const variables = resourcesOf(template, 'AWS::Lambda::Function')[id(fn.function)].Properties.Environment
        .Variables;
      expect(variables[ENV.probeKeySecret]).toEqual({ Ref: id(canary.probeKey) });
      expect(statementsOf(id(fn.role))).toContainEqual({
        Action: 'secretsmanager:GetSecretValue',
        Effect: 'Allow',
        Resource: { Ref: id(canary.probeKey) },
      });
    }
  });
});

describe('the canary function', () => {
  it('may do exactly what a round and its check need, probes and alerts each to their own recipients only', () => {
    expect(statementsOf(id(canary.canary.role))).toEqual([
      {
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: arnOf(id(canary.canary.logGroup)),
      },
      { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: { Ref: id(canary.probeKey) } },
      {
        Action: [
          'dynamodb:BatchGetItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ],
        Effect: 'Allow',
        Resource: arnOf(id(p.state.table)),
      },
      {
        Action: 'scheduler:CreateSchedule',
        Effect: 'Allow',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':scheduler:eu-west-1:',
              { Ref: 'AWS::AccountId' },
              `:schedule/${canary.checkGroup.scheduleGroupName}/*`,
            ],
          ],
        },
      },
      {
        Action: 'iam:PassRole',
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        Effect: 'Allow',
        Resource: arnOf(id(canary.schedulerRole)),
      },
      { Action: 'sns:Publish', Effect: 'Allow', Resource: { Ref: id(p.topics.alerts) } },
      { Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Effect: 'Allow', Resource: arnOf(id(p.topics.key)) },
      {
        Action: ['ses:SendEmail', 'ses:SendRawEmail'],
        Condition: {
          StringEquals: { 'ses:FromAddress': 'acm-mail@notify.example.org' },
          'ForAllValues:StringEquals': { 'ses:Recipients': PROBED },
          Null: { 'ses:Recipients': 'false' },
        },
        Effect: 'Allow',
        Resource: SENDER_IDENTITIES,
      },
      {
        Action: ['ses:SendEmail', 'ses:SendRawEmail'],
        Condition: {
          StringEquals: { 'ses:FromAddress': 'acm-mail@notify.example.org' },
          // The security contact, and the digest recipients of the owners of the probed domains.
          'ForAllValues:StringEquals': {
            'ses:Recipients': ['security@example.org', 'platform-leads@example.org'],
          },
          Null: { 'ses:Recipients': 'false' },
        },
        Effect: 'Allow',
        Resource: SENDER_IDENTITIES,
      },
    ]);
    expect(PROBED).toHaveLength(16);
  });

  it('knows its table, topic, sender, check group and scheduler role from its environment', () => {
    const fn = resourcesOf(template, 'AWS::Lambda::Function')[id(canary.canary.function)].Properties;
    expect(fn.Environment.Variables).toMatchObject({
      [ENV.requestTable]: { Ref: id(p.state.table) },
      [ENV.alertsTopic]: { Ref: id(p.topics.alerts) },
      [ENV.sender]: 'acm-mail@notify.example.org',
      [ENV.canaryScheduleGroup]: canary.checkGroup.scheduleGroupName,
      [ENV.canarySchedulerRole]: arnOf(id(canary.schedulerRole)),
      [ENV.metricsNamespace]: 'AcmValidationMail/AcmValidationMail',
    });
    expect(fn.Environment.Variables[ENV.approvalsTopic]).toBeUndefined();
    expect(fn).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Timeout: 300, MemorySize: 512 });
  });

  it('is not retried by Lambda: a retried round would mail every address again', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: id(canary.canary.function) },
      MaximumRetryAttempts: 0,
    });
  });
});

describe('the schedules', () => {
  const schedules = (of = template) => Object.values(resourcesOf(of, 'AWS::Scheduler::Schedule'));

  it('runs a send round daily at 06:00 in the digest time zone by default, without retries', () => {
    expect(resourcesOf(template, 'AWS::Scheduler::Schedule')[id(canary.dailySchedule)].Properties).toEqual({
      Description: 'Mails a signed probe to every watched ACM mailbox',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ScheduleExpression: 'cron(0 6 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      State: 'ENABLED',
      Target: {
        Arn: arnOf(id(canary.canary.function)),
        RoleArn: arnOf(id(canary.schedulerRole)),
        Input: '{"action":"send-round","trigger":"schedule"}',
        RetryPolicy: { MaximumRetryAttempts: 0 },
      },
    });
  });

  it('follows canary.schedule and canary.timeZone when given', () => {
    const own = ownZone.template;
    const daily = resourcesOf(own, 'AWS::Scheduler::Schedule')[
      logicalId(ownZone.stack, canaryOf(ownZone.stack).dailySchedule)
    ];
    expect(daily.Properties).toMatchObject({
      ScheduleExpression: 'cron(30 5,17 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Tokyo',
    });
    expect(schedules(own)).toHaveLength(2);
  });

  it('has a group of its own for the one-time checks, deleted with the stack', () => {
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    template.hasResource('AWS::Scheduler::ScheduleGroup', {
      Properties: { Name: canary.checkGroup.scheduleGroupName },
      DeletionPolicy: 'Delete',
    });
  });

  it('gives Scheduler a role that may invoke the canary function and nothing else', () => {
    const role = resourcesOf(template, 'AWS::IAM::Role')[id(canary.schedulerRole)];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
      },
    ]);
    expect(statementsOf(id(canary.schedulerRole))).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: arnOf(id(canary.canary.function)) },
    ]);
  });
});

describe('the arrival alarms', () => {
  const canaryAlarms = (of: typeof template, ids: Set<string>) =>
    Object.entries(resourcesOf(of, 'AWS::CloudWatch::Alarm'))
      .filter(([logicalId]) => ids.has(logicalId))
      .map(([, alarm]) => alarm.Properties);

  it('are one per probed address: ProbeArrived below 1 over a day, or no data, notifies the alerts topic', () => {
    const ids = new Set([...canary.arrivalAlarms.values()].map((alarm) => id(alarm)));
    const alarms = canaryAlarms(template, ids);
    expect(alarms.map((alarm) => alarm.Dimensions)).toEqual(
      PROBED.map((address) => [{ Name: 'Address', Value: address }]),
    );
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({
        Namespace: 'AcmValidationMail/AcmValidationMail',
        MetricName: 'ProbeArrived',
        Statistic: 'Minimum',
        Period: 86400,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
        AlarmActions: [{ Ref: id(p.topics.alerts) }],
        OKActions: [{ Ref: id(p.topics.alerts) }],
      });
    }
  });

  it('leave out, like the probes and the send permission, a forwarded domain that is not probed', () => {
    const own = canaryOf(ownZone.stack);
    expect([...own.arrivalAlarms.keys()]).not.toContain('admin@example.com');
    expect(own.arrivalAlarms.size).toBe(11);
    const probeSend = statementsOf(logicalId(ownZone.stack, own.canary.role), ownZone.template).find(
      (statement: { Condition?: Record<string, Record<string, unknown>> }) =>
        (statement.Condition?.['ForAllValues:StringEquals']?.['ses:Recipients'] as string[] | undefined)?.includes(
          'admin@example.net',
        ),
    );
    expect(probeSend.Condition['ForAllValues:StringEquals']['ses:Recipients']).toHaveLength(11);
    expect(probeSend.Condition['ForAllValues:StringEquals']['ses:Recipients']).not.toContain('admin@example.com');
  });
});

describe('the outputs', () => {
  it('name the router and canary functions for acm-mail doctor', () => {
    template.hasOutput(DEPLOYED_OUTPUTS.routerFunction, { Value: { Ref: id(p.router.function) } });
    template.hasOutput(DEPLOYED_OUTPUTS.canaryFunction, { Value: { Ref: id(canary.canary.function) } });
    template.hasOutput(DEPLOYED_OUTPUTS.canarySchedule, { Value: { Ref: id(canary.dailySchedule) } });
  });
});

describe('with canary.enabled false', () => {
  const off = disabled.template;

  it('builds none of it: no key, function, schedule, group, role or alarm of the canary', () => {
    expect(disabled.stack.pipeline.canary).toBeUndefined();
    off.resourceCountIs('AWS::SecretsManager::Secret', 0);
    off.resourceCountIs('AWS::Scheduler::ScheduleGroup', 0);
    off.resourceCountIs('AWS::Scheduler::Schedule', 1);
    // Router, digest, rule-set activation and the events handler; their nine alarms.
    off.resourceCountIs('AWS::Lambda::Function', 4);
    off.resourceCountIs('AWS::CloudWatch::Alarm', 9);
    expect(JSON.stringify(off.toJSON())).not.toContain('ProbeArrived');
  });

  it('gives the router no key to read, and outputs the router but no canary function', () => {
    const router = disabled.stack.pipeline.router;
    const variables = resourcesOf(off, 'AWS::Lambda::Function')[logicalId(disabled.stack, router.function)].Properties
      .Environment.Variables;
    expect(variables[ENV.probeKeySecret]).toBeUndefined();
    expect(JSON.stringify(statementsOf(logicalId(disabled.stack, router.role), off))).not.toContain('secretsmanager');
    off.hasOutput(DEPLOYED_OUTPUTS.routerFunction, Match.anyValue());
    expect(Object.keys(off.findOutputs(DEPLOYED_OUTPUTS.canaryFunction))).toEqual([]);
    expect(Object.keys(off.findOutputs(DEPLOYED_OUTPUTS.canarySchedule))).toEqual([]);
  });
});

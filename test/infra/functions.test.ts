import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { type CfnEventBus, EventBus } from 'aws-cdk-lib/aws-events';
import type { Grant } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { MailArchive } from '../../infra/constructs/mail-archive.js';
import { NotificationTopics } from '../../infra/constructs/notification-topics.js';
import { PipelineFunction } from '../../infra/constructs/pipeline-function.js';
import { RequestState } from '../../infra/constructs/request-state.js';
import { exampleWith } from '../support/configuration.js';
import { arnOf, canaryOf, logicalId, resourcesOf, synthesiseOnce, testApp } from '../support/infra.js';

const { stack, template } = synthesiseOnce();
const p = stack.pipeline;
const id = (construct: Parameters<typeof logicalId>[1]) => logicalId(stack, construct);

/** The statements of the inline policy attached to a role, in order. */
function statementsOf(roleId: string) {
  const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).filter((policy) =>
    policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId),
  );
  expect(policies).toHaveLength(1);
  return policies[0].Properties.PolicyDocument.Statement;
}

describe('the router function', () => {
  it('runs on the newest Node.js runtime, arm64, with explicit memory, timeout and reserved concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: Match.absent(),
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 1024,
      Timeout: 60,
      ReservedConcurrentExecutions: 10,
      Role: arnOf(id(p.router.role)),
      LoggingConfig: { LogGroup: { Ref: id(p.router.logGroup) } },
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: 'router',
          ARCHIVE_BUCKET: { Ref: id(p.archive.bucket) },
          REQUEST_TABLE: { Ref: id(p.state.table) },
          APPROVALS_TOPIC_ARN: { Ref: id(p.topics.approvals) },
          ALERTS_TOPIC_ARN: { Ref: id(p.topics.alerts) },
          SENDER_ADDRESS: 'acm-mail@notify.example.org',
          POWERTOOLS_METRICS_NAMESPACE: 'AcmValidationMail/AcmValidationMail',
          EVENT_BUS_NAME: { Ref: id(p.eventBus.bus) },
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
  });

  const { template: custom } = synthesiseOnce(
    exampleWith((c) => {
      c.router.reservedConcurrency = 3;
    }),
  );

  it('takes its reserved concurrency from the configuration', () => {
    custom.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 1024, ReservedConcurrentExecutions: 3 });
  });

  it('keeps its logs three months', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    // Router, digest, rule-set activation, canary, events handler.
    template.resourceCountIs('AWS::Logs::LogGroup', 5);
  });

  it('retries a failed mail twice for up to six hours, then sends it to an encrypted, TLS-only queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: id(p.router.function) },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21600,
      DestinationConfig: { OnFailure: { Destination: arnOf(id(p.deadLetterQueue)) } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })],
      },
    });
  });

  it('may do exactly what it needs: its IAM statements, action by action and resource by resource', () => {
    const bucket = id(p.archive.bucket);
    const sesIdentity = (name: string) => ({
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':ses:eu-west-1:', { Ref: 'AWS::AccountId' }, `:identity/${name}`],
      ],
    });
    expect(statementsOf(id(p.router.role))).toEqual([
      {
        Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
        Effect: 'Allow',
        Resource: arnOf(id(p.deadLetterQueue)),
      },
      {
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: arnOf(id(p.router.logGroup)),
      },
      { Action: 's3:GetObject', Effect: 'Allow', Resource: { 'Fn::Join': ['', [arnOf(bucket), '/inbound/*']] } },
      { Action: 's3:PutObject', Effect: 'Allow', Resource: { 'Fn::Join': ['', [arnOf(bucket), '/quarantine/*']] } },
      {
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
        Effect: 'Allow',
        Resource: arnOf(id(p.state.table)),
      },
      {
        Action: 'sns:Publish',
        Effect: 'Allow',
        Resource: [{ Ref: id(p.topics.alerts) }, { Ref: id(p.topics.approvals) }],
      },
      { Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Effect: 'Allow', Resource: arnOf(id(p.topics.key)) },
      {
        Action: ['ses:SendEmail', 'ses:SendRawEmail'],
        Condition: { StringEquals: { 'ses:FromAddress': 'acm-mail@notify.example.org' } },
        Effect: 'Allow',
        Resource: [sesIdentity('acm-mail@notify.example.org'), sesIdentity('notify.example.org')],
      },
      // The product events, on the central bus and no other.
      { Action: 'events:PutEvents', Effect: 'Allow', Resource: arnOf(id(p.eventBus.bus)) },
      // Verifies canary probe tokens with the canary's key.
      { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: { Ref: id(canaryOf(stack).probeKey) } },
    ]);
  });

  it('has a role of its own that only Lambda assumes and no managed policy', () => {
    const role = resourcesOf(template, 'AWS::IAM::Role')[id(p.router.role)];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
  });
});

describe('the digest function and its schedule', () => {
  it("reads open requests through the index only, the canary's address states only, sends mail as the sender and assumes the status roles; nothing else", () => {
    const statements = statementsOf(id(p.digest.role));
    expect(statements.map((s: { Action: unknown }) => s.Action)).toEqual([
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      'dynamodb:Query',
      'dynamodb:BatchGetItem',
      ['ses:SendEmail', 'ses:SendRawEmail'],
      // The example configuration gives four accounts a status role (the local run's estate lists them).
      'sts:AssumeRole',
    ]);
    expect(statements[1].Resource).toEqual({
      'Fn::Join': ['', [arnOf(id(p.state.table)), '/index/digestByOwner']],
    });
    expect(statements[2]).toMatchObject({
      Resource: arnOf(id(p.state.table)),
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['canary#*'] } },
    });
  });

  const role = 'arn:aws:iam::184694211251:role/acm-status-read';
  const { stack: withRoles, template: t } = synthesiseOnce(
    exampleWith((c) => {
      for (const account of c.accounts) delete account.statusRoleArn;
      c.accounts[1].statusRoleArn = role;
    }),
  );

  it('may assume exactly the configured status roles, when there are any', () => {
    const digestRole = withRoles.getLogicalId(withRoles.pipeline.digest.role.node.defaultChild as never);
    const policy = Object.values(t.findResources('AWS::IAM::Policy')).find((candidate) =>
      candidate.Properties.Roles.some((r: { Ref: string }) => r.Ref === digestRole),
    );
    expect(policy?.Properties.PolicyDocument.Statement).toContainEqual({
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Resource: role,
    });
  });

  it('runs on the configured cron in the configured time zone, without retries', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 8 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: arnOf(id(p.digest.function)),
        RoleArn: arnOf(id(p.digestSchedule.role)),
        RetryPolicy: { MaximumRetryAttempts: 0 },
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: id(p.digest.function) },
      MaximumRetryAttempts: 0,
    });
  });

  it("gives the scheduler a role that may invoke the digest function's exact ARN and nothing else", () => {
    expect(statementsOf(id(p.digestSchedule.role))).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: arnOf(id(p.digest.function)) },
    ]);
    const role = resourcesOf(template, 'AWS::IAM::Role')[id(p.digestSchedule.role)];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
      },
    ]);
  });
});

describe('the rule-set activation function', () => {
  it('may only read and set the active receipt rule set (actions without resource types, hence "*")', () => {
    const activation = p.inbound.activationFunction;
    expect(activation).toBeDefined();
    if (!activation) return;
    expect(statementsOf(id(activation.role))).toEqual([
      {
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: arnOf(id(activation.logGroup)),
      },
      {
        Action: ['ses:DescribeActiveReceiptRuleSet', 'ses:SetActiveReceiptRuleSet'],
        Effect: 'Allow',
        Resource: '*',
      },
    ]);
  });

  it('every function is arm64 on the same runtime', () => {
    const functions = Object.values(resourcesOf(template, 'AWS::Lambda::Function'));
    expect(functions).toHaveLength(5);
    for (const fn of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
    }
  });
});

describe('the intent methods of PipelineFunction', () => {
  it('each return the grant of exactly the statements they add; nothing when they grant nothing', () => {
    const scope = new Stack(testApp(), 'Grants');
    const fn = new PipelineFunction(scope, 'Fn', {
      entry: 'handlers/lambda/router.ts',
      description: 'd',
      serviceName: 's',
    });
    const archive = new MailArchive(scope, 'Archive', { rawMailDays: 1, quarantinedMailDays: 1 });
    const state = new RequestState(scope, 'State');
    const topics = new NotificationTopics(scope, 'Topics', { approvalsEmail: [], alertsEmail: [], owners: [] });
    const actionsOf = (grant: Grant) => {
      expect(grant.success).toBe(true);
      return grant.principalStatements.map((statement) => statement.actions);
    };
    expect(actionsOf(fn.bindArchive(archive.bucket))).toEqual([['s3:GetObject'], ['s3:PutObject']]);
    expect(actionsOf(fn.recordsRequestsIn(state.table))).toEqual([
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
    ]);
    expect(actionsOf(fn.readsOpenRequestsFrom(state.table, state.digestIndex))).toEqual([['dynamodb:Query']]);
    expect(actionsOf(fn.readsCanaryStatesFrom(state.table))).toEqual([['dynamodb:BatchGetItem']]);
    for (const grant of [
      fn.publishesApprovalsTo(topics.approvals, topics.key),
      fn.publishesAlertsTo(topics.alerts, topics.key),
    ]) {
      expect(actionsOf(grant)).toEqual([['sns:Publish'], ['kms:GenerateDataKey', 'kms:Decrypt']]);
    }
    expect(actionsOf(fn.sendsMailAs('acm-mail@notify.example.org'))).toEqual([['ses:SendEmail', 'ses:SendRawEmail']]);
    expect(actionsOf(fn.controlsActiveRuleSet())).toEqual([
      ['ses:DescribeActiveReceiptRuleSet', 'ses:SetActiveReceiptRuleSet'],
    ]);
    const assumeStatusRole = fn.checksCertificatesWith(['arn:aws:iam::184694211251:role/acm-status-read']);
    expect(assumeStatusRole && actionsOf(assumeStatusRole)).toEqual([['sts:AssumeRole']]);
    expect(fn.checksCertificatesWith([])).toBeUndefined();
    expect(fn.emitsMetricsUnder('Namespace')).toBeUndefined();
  });

  it('putsEventsOn: events:PutEvents on exactly that bus, and the bus name in the environment', () => {
    const scope = new Stack(testApp(), 'PutsEvents');
    const fn = new PipelineFunction(scope, 'Fn', {
      entry: 'handlers/lambda/router.ts',
      description: 'd',
      serviceName: 's',
    });
    const bus = new EventBus(scope, 'Bus', { eventBusName: 'central-events' });
    new EventBus(scope, 'OtherBus', { eventBusName: 'other-events' });
    const grant = fn.putsEventsOn(bus);
    expect(grant.success).toBe(true);
    const t = Template.fromStack(scope);
    const busId = scope.getLogicalId(bus.node.defaultChild as CfnEventBus);
    const [policy, ...others] = Object.values(resourcesOf(t, 'AWS::IAM::Policy'));
    expect(others).toEqual([]);
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual({
      Action: 'events:PutEvents',
      Effect: 'Allow',
      Resource: arnOf(busId),
    });
    expect(
      policy.Properties.PolicyDocument.Statement.filter((s: { Action: unknown }) =>
        JSON.stringify(s.Action).includes('events:'),
      ),
    ).toHaveLength(1);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ EVENT_BUS_NAME: { Ref: busId } }) },
    });
  });
});

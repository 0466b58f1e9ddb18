/**
 * ACM's events from every account: the member-account stack (forwarding rule, its role, the status role) and the
 * central side (rule on the central bus, the events handler, its dead-letter queue, alarms, least privilege).
 */

import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { ACM_EVENT_TYPES } from '../../handlers/core/acm-events/acm-event.js';
import { parseConfiguration } from '../../handlers/core/configuration/index.js';
import { STATUS_ROLE_ACTIONS } from '../../handlers/core/deployment-contract.js';
import { checkWithAwsSolutions } from '../../infra/cdk-nag.js';
import { AcmMemberAccount } from '../../infra/constructs/acm-member-account.js';
import { AcmMemberAccountStack } from '../../infra/member-stack.js';
import { exampleWith } from '../support/configuration.js';
import { arnOf, logicalId, resourcesOf, synthesiseOnce, testApp } from '../support/infra.js';

const CENTRAL = '999999999999';
const withAccount = exampleWith((c) => {
  (c as Record<string, unknown>).account = CENTRAL;
});
const busArn = {
  'Fn::Join': [
    '',
    ['arn:', { Ref: 'AWS::Partition' }, `:events:eu-west-1:${CENTRAL}:event-bus/AcmValidationMail-events`],
  ],
};

function memberTemplate(raw = withAccount, nag = false) {
  const app = testApp();
  const stack = new AcmMemberAccountStack(app, 'Member', { configuration: parseConfiguration(raw, 'test') });
  if (nag) checkWithAwsSolutions(app);
  return { app, stack, template: Template.fromStack(stack) };
}

describe('the member-account stack', () => {
  const { stack, template } = memberTemplate();
  const id = (construct: Parameters<typeof logicalId>[1]) => stack.getLogicalId(construct.node.defaultChild as never);

  it('is named <stackName>-member, environment-agnostic, with no bootstrap parameter (StackSets need none)', () => {
    expect(stack.stackName).toBe('AcmValidationMail-member');
    const json = template.toJSON();
    expect(json.Parameters.BootstrapVersion).toBeUndefined();
    expect(json.Rules?.CheckBootstrapVersion).toBeUndefined();
    expect(stack.environment).toBe('aws://unknown-account/unknown-region');
  });

  it("forwards exactly ACM's four certificate events from the default bus to the central bus, with a role", () => {
    template.resourceCountIs('AWS::Events::Rule', 1);
    const [rule] = Object.values(resourcesOf(template, 'AWS::Events::Rule'));
    expect(rule.Properties.EventBusName).toBeUndefined();
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.acm'],
      'detail-type': [
        'ACM Certificate Available',
        'ACM Certificate Approaching Expiration',
        'ACM Certificate Renewal Action Required',
        'ACM Certificate Expired',
      ],
    });
    expect(rule.Properties.Targets).toEqual([
      { Arn: busArn, Id: 'Target0', RoleArn: arnOf(id(stack.member.forwardRole)) },
    ]);
  });

  it('lets the forwarding role put events on exactly the central bus, assumed only by EventBridge for this account', () => {
    const role = resourcesOf(template, 'AWS::IAM::Role')[id(stack.member.forwardRole)];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
    const statements = Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
      .filter(
        (policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: id(stack.member.forwardRole) }]),
      )
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([{ Action: 'events:PutEvents', Effect: 'Allow', Resource: busArn }]);
    expect(role.Properties.Policies).toBeUndefined();
  });

  it('has the status role, named for the configuration, allowed exactly STATUS_ROLE_ACTIONS, trusted by the central functions only', () => {
    const role = resourcesOf(template, 'AWS::IAM::Role')[id(stack.member.statusRole)];
    expect(role.Properties.RoleName).toBe('AcmValidationMail-acm-status');
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${CENTRAL}:root`]] } },
        Condition: {
          ArnLike: {
            'aws:PrincipalArn': {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, `:iam::${CENTRAL}:role/AcmValidationMail-Pipeline*`],
              ],
            },
          },
        },
      },
    ]);
    const actions = (role.Properties.Policies as { PolicyDocument: { Statement: { Action: string | string[] }[] } }[])
      .flatMap((policy) => policy.PolicyDocument.Statement)
      .flatMap((statement) => statement.Action);
    expect(actions.sort()).toEqual([...STATUS_ROLE_ACTIONS].sort());
    for (const action of actions) expect(action).not.toContain('*');
  });

  it("also trusts the operators' roles named in estate.readerRoleArns, for acm-mail estate, and no one else", () => {
    const reader = `arn:aws:iam::${CENTRAL}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PlatformRead_*`;
    const { stack: withReaders, template: t } = memberTemplate(
      exampleWith((c) => {
        (c as Record<string, unknown>).account = CENTRAL;
        (c as Record<string, unknown>).estate = { readerRoleArns: [reader] };
      }),
    );
    const role = resourcesOf(t, 'AWS::IAM::Role')[
      withReaders.getLogicalId(withReaders.member.statusRole.node.defaultChild as never)
    ];
    const [statement, ...others] = role.Properties.AssumeRolePolicyDocument.Statement;
    expect(others).toEqual([]);
    expect(statement.Condition.ArnLike['aws:PrincipalArn']).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${CENTRAL}:role/AcmValidationMail-Pipeline*`]] },
      reader,
    ]);
  });

  it('creates the (global) status role only where the CreateStatusRole parameter is "true"', () => {
    const json = template.toJSON();
    expect(json.Parameters.CreateStatusRole).toMatchObject({ Default: 'true', AllowedValues: ['true', 'false'] });
    expect(json.Resources[id(stack.member.statusRole)].Condition).toBe('StatusRoleWanted');
    expect(json.Conditions.StatusRoleWanted).toEqual({ 'Fn::Equals': [{ Ref: 'CreateStatusRole' }, 'true'] });
    expect(json.Resources[id(stack.member.forwardRole)].Condition).toBeUndefined();
  });

  it('asks for the central account as a parameter when the configuration names none', () => {
    const { template: agnostic } = memberTemplate(exampleWith(() => {}));
    const json = agnostic.toJSON();
    expect(json.Parameters.CentralAccount).toMatchObject({ Type: 'String', AllowedPattern: '^\\d{12}$' });
    agnostic.hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        Match.objectLike({ Arn: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([{ Ref: 'CentralAccount' }])] }) }),
      ],
    });
  });

  it('carries the configuration tags', () => {
    const { template: tagged } = memberTemplate(
      exampleWith((c) => {
        (c as Record<string, unknown>).account = CENTRAL;
        c.tags = { 'cost-center': 'platform-42' };
      }),
    );
    for (const role of Object.values(resourcesOf(tagged, 'AWS::IAM::Role'))) {
      expect(role.Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'cost-center', Value: 'platform-42' }]));
    }
  });

  it('is cdk-nag clean, each acknowledgement with its reason', () => {
    const { app, stack: nagged } = memberTemplate(withAccount, true);
    expect(() => app.synth()).not.toThrow();
    const acknowledged = nagged.node
      .findAll()
      .flatMap((construct) => construct.node.metadata.filter((entry) => entry.type === 'aws:cdk:acknowledged-rules'))
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>));
    for (const [, reason] of acknowledged) expect(reason.length).toBeGreaterThan(60);
  });
});

describe('the member-account construct', () => {
  const make = (props: Partial<ConstructorParameters<typeof AcmMemberAccount>[2]>) => () =>
    new AcmMemberAccount(new Stack(testApp(), 'S'), 'M', {
      centralEventBusArn: `arn:aws:events:eu-west-1:${CENTRAL}:event-bus/b`,
      detailTypes: ['ACM Certificate Available'],
      statusRoleName: 'r',
      statusRoleActions: ['acm:DescribeCertificate'],
      centralAccount: CENTRAL,
      trustedRoleArnPattern: `arn:aws:iam::${CENTRAL}:role/x-*`,
      ...props,
    });

  it('refuses a bad central account, no detail-types, or a wildcard action', () => {
    expect(make({ centralAccount: '12345' })).toThrow(/centralAccount "12345" is not a 12-digit account id/);
    expect(make({ detailTypes: [] })).toThrow(/detailTypes is empty/);
    expect(make({ statusRoleActions: ['acm:*'] })).toThrow(/wildcard action/);
  });

  it("puts ACM's List actions (no resource type) on '*' and every other action on the account's certificates", () => {
    const stack = new Stack(testApp(), 'S');
    new AcmMemberAccount(stack, 'M', {
      centralEventBusArn: `arn:aws:events:eu-west-1:${CENTRAL}:event-bus/b`,
      detailTypes: ['ACM Certificate Available'],
      statusRoleName: 'r',
      statusRoleActions: ['acm:DescribeCertificate', 'acm:ListCertificates'],
      centralAccount: CENTRAL,
      trustedRoleArnPattern: `arn:aws:iam::${CENTRAL}:role/x-*`,
    });
    const [role] = Object.values(
      Template.fromStack(stack).findResources('AWS::IAM::Role', { Properties: { RoleName: 'r' } }),
    );
    expect(role?.Properties.Policies[0].PolicyDocument.Statement).toEqual([
      {
        Action: 'acm:DescribeCertificate',
        Effect: 'Allow',
        Resource: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':acm:*:', { Ref: 'AWS::AccountId' }, ':certificate/*']],
        },
      },
      { Action: 'acm:ListCertificates', Effect: 'Allow', Resource: '*' },
    ]);
  });
});

describe("the central side: ACM's events on the central bus", () => {
  const { stack, template } = synthesiseOnce();
  const p = stack.pipeline;
  const id = (construct: Parameters<typeof logicalId>[1]) => logicalId(stack, construct);
  const handlerId = id(p.acmEvents.handler.function);

  it("has a rule on the central bus for ACM's four events (source aws.acm) to the events handler, DLQ for undeliverable", () => {
    const rule = resourcesOf(template, 'AWS::Events::Rule')[id(p.acmEvents.rule)];
    expect(rule.Properties.EventBusName).toEqual({ Ref: id(p.eventBus.bus) });
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.acm'],
      'detail-type': Object.values(ACM_EVENT_TYPES),
    });
    expect(rule.Properties.Targets).toEqual([
      expect.objectContaining({
        Arn: arnOf(handlerId),
        DeadLetterConfig: { Arn: arnOf(id(p.acmEvents.deadLetterQueue)) },
        RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 8 },
      }),
    ]);
  });

  it('invokes the handler asynchronously with two retries, then its dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: handlerId },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21600,
      DestinationConfig: { OnFailure: { Destination: arnOf(id(p.acmEvents.deadLetterQueue)) } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    expect(p.acmEvents.deadLetterQueue).toBeInstanceOf(Queue);
  });

  it('lets only the central bus invoke it', () => {
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: arnOf(handlerId),
      Principal: 'events.amazonaws.com',
      SourceArn: arnOf(id(p.acmEvents.rule)),
    });
  });

  it('gives the handler least privilege: the table itself, the alerts topic and key, mail as the sender, its DLQ', () => {
    const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).filter(
      (policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: id(p.acmEvents.handler.role) }]),
    );
    const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement) as {
      Action: string | string[];
      Resource: unknown;
    }[];
    const actions = statements.flatMap((statement) => statement.Action).sort();
    expect(actions).toEqual(
      [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'events:PutEvents',
        'kms:Decrypt',
        'kms:GenerateDataKey',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'ses:SendEmail',
        'ses:SendRawEmail',
        'sns:Publish',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
        // The example configuration's status roles (ACM asked whether a renewal is email-validated).
        'sts:AssumeRole',
      ].sort(),
    );
    const onTable = statements.find((statement) => [statement.Action].flat().includes('dynamodb:Query'));
    expect(onTable?.Resource).toEqual(arnOf(id(p.state.table)));
    const publish = statements.find((statement) => [statement.Action].flat().includes('sns:Publish'));
    expect(publish?.Resource).toEqual({ Ref: id(p.topics.alerts) });
    const put = statements.find((statement) => [statement.Action].flat().includes('events:PutEvents'));
    expect(put?.Resource).toEqual(arnOf(id(p.eventBus.bus)));
  });

  it('may assume the configured status roles, and only those', () => {
    const roleArn = 'arn:aws:iam::184694211251:role/AcmValidationMail-acm-status';
    const { stack: withRoles, template: t } = synthesiseOnce(
      exampleWith((c) => {
        const accounts = c.accounts as { id: string; statusRoleArn?: string }[];
        const shop = accounts.find((account) => account.id === '184694211251');
        if (shop) shop.statusRoleArn = roleArn;
      }),
    );
    const role = logicalId(withRoles, withRoles.pipeline.acmEvents.handler.role);
    const statements = Object.values(resourcesOf(t, 'AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: role }]))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const assume = statements.filter((statement: { Action: unknown }) => statement.Action === 'sts:AssumeRole');
    expect(assume).toHaveLength(1);
    // Exactly the roles the configuration names, this one among them, and nothing else (no pattern, no `*`).
    const named = (exampleWith(() => {}).accounts as { statusRoleArn?: string }[]).flatMap(
      (a) => a.statusRoleArn ?? [],
    );
    expect([assume[0].Resource].flat().sort()).toEqual([...new Set([...named, roleArn])].sort());
  });

  it('alarms on handler errors and on anything in its dead-letter queue, to the alerts topic', () => {
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm');
    const errors = alarms[id(p.alarms.acmEventsErrors as never)];
    expect(errors.Properties).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: handlerId } }],
      Threshold: 1,
      AlarmActions: [{ Ref: id(p.topics.alerts) }],
    });
    const dead = alarms[id(p.alarms.acmEventsDeadLetters as never)];
    expect(dead.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id(p.acmEvents.deadLetterQueue), 'QueueName'] } }],
    });
  });

  it('names the handler acm-events in its logs and metrics, in the stack namespace', () => {
    const environment = resourcesOf(template, 'AWS::Lambda::Function')[handlerId].Properties.Environment.Variables;
    expect(environment).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'acm-events',
      POWERTOOLS_METRICS_NAMESPACE: 'AcmValidationMail/AcmValidationMail',
      REQUEST_TABLE: { Ref: id(p.state.table) },
      ALERTS_TOPIC_ARN: { Ref: id(p.topics.alerts) },
      SENDER_ADDRESS: 'acm-mail@notify.example.org',
    });
  });
});

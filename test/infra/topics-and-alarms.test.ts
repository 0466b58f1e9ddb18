import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SECURITY_METRICS } from '../../handlers/core/metrics.js';
import { NotificationTopics } from '../../infra/constructs/notification-topics.js';
import { exampleWith } from '../support/configuration.js';
import { metricWrittenIn } from '../support/emf.js';
import { arnOf, logicalId, resourcesOf, synthesiseOnce, testApp } from '../support/infra.js';

const { stack, template } = synthesiseOnce();

// The topics on their own, for a caller that chooses to delete their key with its stack.
const disposable = new Stack(testApp(), 'Disposable');
new NotificationTopics(disposable, 'Topics', {
  approvalsEmail: [],
  alertsEmail: [],
  owners: [],
  removalPolicy: RemovalPolicy.DESTROY,
});
const disposableTemplate = Template.fromStack(disposable);
const p = stack.pipeline;
const id = (construct: Parameters<typeof logicalId>[1]) => logicalId(stack, construct);

describe('the topics', () => {
  it('are encrypted with the rotating customer managed key', () => {
    for (const topic of [p.topics.approvals, p.topics.alerts]) {
      expect(resourcesOf(template, 'AWS::SNS::Topic')[id(topic)].Properties.KmsMasterKeyId).toEqual(
        arnOf(id(p.topics.key)),
      );
    }
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('keep their key when the stack is deleted, unless their caller says otherwise', () => {
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    disposableTemplate.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  it('refuse publishing without TLS', () => {
    for (const topic of [p.topics.approvals, p.topics.alerts]) {
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: id(topic) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sns:Publish',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('let CloudWatch alarms of this account publish alerts, and use the key for it', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: id(p.topics.alerts) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          }),
        ]),
      },
    });
  });

  const { template: more } = synthesiseOnce(
    exampleWith((c) => {
      c.notifications.approvalsEmail = ['pki-team@example.org'];
    }),
  );

  it('subscribe the configured addresses by email', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'security@example.org',
      TopicArn: { Ref: id(p.topics.alerts) },
    });
    more.resourceCountIs('AWS::SNS::Subscription', 2);
  });

  const { template: owned, stack: ownedStack } = synthesiseOnce(
    exampleWith((c) => {
      c.notifications.approvalsEmail = ['pki-team@example.org'];
      c.owners[1].snsApprovalLinks = true;
      c.owners[1].approvalsEmail = ['shop-oncall@example.org'];
    }),
  );

  it("never send a live link to a general approvals subscription; an owner's own subscriptions get its messages only", () => {
    const approvals = { Ref: logicalId(ownedStack, ownedStack.pipeline.topics.approvals) };
    owned.hasResourceProperties('AWS::SNS::Subscription', {
      Endpoint: 'pki-team@example.org',
      TopicArn: approvals,
      FilterPolicy: { link: ['withheld'] },
    });
    owned.hasResourceProperties('AWS::SNS::Subscription', {
      Endpoint: 'shop-oncall@example.org',
      TopicArn: approvals,
      FilterPolicy: { owner: ['web-shop'] },
    });
  });
});

describe('the alarms', () => {
  const alarmOf = (alarm: Parameters<typeof logicalId>[1]) =>
    resourcesOf(template, 'AWS::CloudWatch::Alarm')[id(alarm)].Properties;
  const alerts = { Ref: id(p.topics.alerts) };

  it('fire on the first occurrence and notify the alerts topic, also when they clear', () => {
    // The canary's per-address alarms are tested with the canary (test/infra/canary.test.ts).
    const canaryAlarms = new Set([...(p.canary?.arrivalAlarms.values() ?? [])].map((alarm) => id(alarm)));
    const alarms = Object.entries(resourcesOf(template, 'AWS::CloudWatch::Alarm'))
      .filter(([logicalId]) => !canaryAlarms.has(logicalId))
      .map(([, alarm]) => alarm);
    // Router errors and throttles, dead letters, digest errors, the three security metrics, the events handler's
    // errors and dead letters.
    expect(alarms).toHaveLength(9);
    for (const alarm of alarms) {
      expect(alarm.Properties).toMatchObject({
        Threshold: 1,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [alerts],
        OKActions: [alerts],
      });
    }
  });

  it.each([
    ['router errors', () => p.alarms.routerErrors, 'AWS/Lambda', 'Errors', () => ({ Ref: id(p.router.function) })],
    [
      'router throttles',
      () => p.alarms.routerThrottles,
      'AWS/Lambda',
      'Throttles',
      () => ({ Ref: id(p.router.function) }),
    ],
    ['digest errors', () => p.alarms.digestErrors, 'AWS/Lambda', 'Errors', () => ({ Ref: id(p.digest.function) })],
  ])('watch %s', (_name, alarm, namespace, metricName, dimension) => {
    expect(alarmOf(alarm())).toMatchObject({
      Namespace: namespace,
      MetricName: metricName,
      Statistic: 'Sum',
      Period: 300,
      Dimensions: [{ Name: 'FunctionName', Value: dimension() }],
    });
  });

  it('watch the dead-letter queue for any message', () => {
    expect(alarmOf(p.alarms.deadLetters)).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Statistic: 'Maximum',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id(p.deadLetterQueue), 'QueueName'] } }],
    });
  });

  it("watch the router's security metrics exactly as the router writes them (namespace, name, dimensions)", () => {
    // What the production metrics adapter writes in the router's environment, as CloudWatch reads it (EMF).
    const environment = resourcesOf(template, 'AWS::Lambda::Function')[id(p.router.function)].Properties.Environment
      .Variables as Record<string, string>;
    const written = metricWrittenIn(environment, (metrics) => metrics.count(SECURITY_METRICS.suspiciousMail));
    const { dimensions } = written;
    expect(dimensions).toEqual([{ Name: 'service', Value: 'router' }]);
    for (const alarm of [p.alarms.suspiciousMail, p.alarms.foreignAccountRequests, p.alarms.unparseableAcmMail]) {
      expect(alarmOf(alarm)).toMatchObject({ Namespace: written.namespace, Dimensions: dimensions });
    }
    expect(alarmOf(p.alarms.suspiciousMail).MetricName).toBe(written.name);
  });

  it("watch the router's security metrics in the stack's own namespace", () => {
    expect(alarmOf(p.alarms.suspiciousMail)).toMatchObject({
      Namespace: 'AcmValidationMail/AcmValidationMail',
      MetricName: SECURITY_METRICS.suspiciousMail,
      Statistic: 'Sum',
    });
    expect(alarmOf(p.alarms.foreignAccountRequests)).toMatchObject({
      Namespace: 'AcmValidationMail/AcmValidationMail',
      MetricName: SECURITY_METRICS.foreignAccountRequest,
      Statistic: 'Sum',
    });
    expect(alarmOf(p.alarms.unparseableAcmMail)).toMatchObject({
      Namespace: 'AcmValidationMail/AcmValidationMail',
      MetricName: SECURITY_METRICS.unparseableAcmMail,
      Statistic: 'Sum',
    });
  });
});

/**
 * The public construct as a platform team uses it: in a stack of its own, props validated with the file's messages
 * named from `props`, and the intent methods users extend it with.
 */
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SubscriptionFilter } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { AcmValidationMail, type AcmValidationMailProps, ConfigurationError } from '../../infra/index.js';
import { exampleJson, exampleWith, type RawConfiguration } from '../support/configuration.js';
import { testApp } from '../support/infra.js';

function platformStack(region = 'eu-west-1'): Stack {
  return new Stack(testApp(), 'CertificateMail', { env: { region, account: '111122223333' } });
}

function build(raw: RawConfiguration = exampleJson(), stack = platformStack()) {
  const mail = new AcmValidationMail(stack, 'AcmMail', raw as AcmValidationMailProps);
  return { stack, mail };
}

function problemsOf(action: () => unknown): readonly string[] {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('AcmValidationMail props', () => {
  it('names every problem from props, with the value, as the file does from config', () => {
    const problems = problemsOf(() =>
      build(
        exampleWith((config) => {
          config.owners[0].ticketQueue.push('tickets@');
          config.retention.rawMailDays = 0;
        }),
      ),
    );
    expect(problems).toContainEqual(expect.stringMatching(/^props\.owners\[0\]\.ticketQueue\[1\]: "tickets@" is not/));
    expect(problems).toContainEqual(
      'props.retention.rawMailDays: 0 is too short a retention for raw mail (expected 1 to 3650 days)',
    );
    expect(problems.every((problem) => problem.startsWith('props.'))).toBe(true);
  });

  it('names cross-field references from props too', () => {
    const problems = problemsOf(() =>
      build(exampleWith((config) => config.routing.push({ owner: 'data', accountId: '999999999999' }))),
    );
    expect(problems).toContainEqual(
      'props.routing[4].accountId: "999999999999" is not one of props.accounts (requests from it are security alerts, never routed to an owner)',
    );
  });

  it('refuses a stack in another region than the props say', () => {
    expect(problemsOf(() => build(exampleJson(), platformStack('us-east-1')))).toEqual([
      'props.region: "eu-west-1" is not the stack\'s region us-east-1 (expected the same region)',
    ]);
  });

  it('builds the pipeline in a stack of the platform team, with the defaults applied', () => {
    const { stack, mail } = build();
    expect(mail.configuration.router.reservedConcurrency).toBe(10);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SES::ReceiptRule', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Parses ACM validation mail'),
      ReservedConcurrentExecutions: 10,
    });
  });
});

describe('AcmValidationMail intent methods', () => {
  it('grantReadArchive: the two mail prefixes of the archive, nothing of another bucket', () => {
    const { stack, mail } = build();
    const investigator = new Role(stack, 'Investigator', { assumedBy: new ServicePrincipal('ec2.amazonaws.com') });
    mail.grantReadArchive(investigator);
    const bucketArn = { 'Fn::GetAtt': [stack.getLogicalId(mail.archive.bucket.node.defaultChild as never), 'Arn'] };
    const statements = JSON.stringify(
      Template.fromStack(stack).findResources('AWS::IAM::Policy', {
        Properties: { Roles: [{ Ref: stack.getLogicalId(investigator.node.defaultChild as never) }] },
      }),
    );
    for (const prefix of ['inbound/*', 'quarantine/*']) {
      expect(statements).toContain(JSON.stringify({ 'Fn::Join': ['', [bucketArn, `/${prefix}`]] }));
    }
    expect(statements).toContain('s3:GetObject*');
    expect(statements).not.toContain('s3:PutObject');
    expect(statements).not.toContain('s3:DeleteObject');
  });

  it('addApprovalsSubscription without owner: never a message with a live link', () => {
    const { stack, mail } = build();
    const queue = new Queue(stack, 'Tickets');
    mail.addApprovalsSubscription(new SqsSubscription(queue));
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      TopicArn: { Ref: stack.getLogicalId(mail.topics.approvals.node.defaultChild as never) },
      FilterPolicy: { link: ['withheld'] },
    });
  });

  it("addApprovalsSubscription with owner: that owner's messages only, over the subscription's own filter", () => {
    const { stack, mail } = build();
    mail.addApprovalsSubscription(
      new EmailSubscription('data-oncall@example.org', {
        filterPolicy: { kind: SubscriptionFilter.stringFilter({ allowlist: ['renewal'] }) },
      }),
      { owner: 'data' },
    );
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', {
      Endpoint: 'data-oncall@example.org',
      FilterPolicy: { kind: ['renewal'], owner: ['data'] },
    });
  });

  it('addApprovalsSubscription refuses an unknown owner and a filter that could widen ours', () => {
    const { mail } = build();
    expect(
      problemsOf(() => mail.addApprovalsSubscription(new EmailSubscription('a@example.org'), { owner: 'ops' })),
    ).toEqual(['owner: "ops" is not an owner (expected one of platform, web-shop, data)']);
    const widening = new EmailSubscription('b@example.org', {
      filterPolicy: { link: SubscriptionFilter.stringFilter({ allowlist: ['included'] }) },
    });
    expect(problemsOf(() => mail.addApprovalsSubscription(widening))).toEqual([
      'subscription: b@example.org filters on link itself (expected no filter on it: pass { owner } instead)',
    ]);
  });

  it('addAlertsSubscription: on the alerts topic, unfiltered', () => {
    const { stack, mail } = build();
    mail.addAlertsSubscription(new EmailSubscription('oncall@example.org'));
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', {
      Endpoint: 'oncall@example.org',
      TopicArn: { Ref: stack.getLogicalId(mail.topics.alerts.node.defaultChild as never) },
      FilterPolicy: Match.absent(),
    });
  });
});

describe('AcmValidationMail tags', () => {
  it("tags every resource of the construct in a platform team's stack, not the team's own resources", () => {
    const stack = platformStack();
    new AcmValidationMail(stack, 'AcmMail', exampleWith((config) => (config.tags = { 'cost-centre': 'pki' })) as never);
    const own = new Queue(stack, 'TeamQueue');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::S3::Bucket', {
      Tags: Match.arrayWith([{ Key: 'cost-centre', Value: 'pki' }]),
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Tags: Match.arrayWith([{ Key: 'cost-centre', Value: 'pki' }]),
    });
    expect(template.toJSON().Resources[stack.getLogicalId(own.node.defaultChild as never)].Properties?.Tags).toBe(
      undefined,
    );
  });
});

/**
 * The two topics: approvals (one message per approval request, with attributes for subscription filter policies)
 * and alerts (security alerts and operational alarms). Both encrypted with one customer managed key, TLS only.
 */
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface NotificationTopicsProps {
  /** General subscriptions to the approvals topic: every owner's messages, never one with a live link. */
  readonly approvalsEmail: readonly string[];
  readonly alertsEmail: readonly string[];
  /** Per-owner subscriptions, filtered to that owner's messages (which may carry links, when the owner chose it). */
  readonly owners: readonly { readonly snsFilterValue: string; readonly approvalsEmail: readonly string[] }[];
  /**
   * What happens to the topics' KMS key when it leaves the stack (deleted, or replaced by an update); KMS deletes a
   * key only after its 30-day waiting period.
   * @default - RemovalPolicy.RETAIN: the key is kept
   */
  readonly removalPolicy?: RemovalPolicy;
}

export class NotificationTopics extends Construct {
  readonly approvals: Topic;
  readonly alerts: Topic;
  /**
   * A customer managed key rather than alias/aws/sns: CloudWatch alarms can publish to an encrypted topic only when
   * the key policy lets cloudwatch.amazonaws.com use the key, and the AWS managed key's policy cannot be changed.
   */
  readonly key: Key;

  constructor(scope: Construct, id: string, props: NotificationTopicsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.key = new Key(this, 'Key', {
      description: 'Encrypts the ACM validation mail approvals and alerts topics',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    this.approvals = new Topic(this, 'Approvals', {
      displayName: 'ACM approval requests',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.alerts = new Topic(this, 'Alerts', {
      displayName: 'ACM validation mail alerts',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.alerts.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alerts.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    // The router marks each approvals message `link=included` or `withheld` (see the README: who can read what).
    const withoutLinks = { link: SubscriptionFilter.stringFilter({ allowlist: ['withheld'] }) };
    for (const address of props.approvalsEmail) {
      this.approvals.addSubscription(new EmailSubscription(address, { filterPolicy: withoutLinks }));
    }
    for (const owner of props.owners) {
      const ownMessages = { owner: SubscriptionFilter.stringFilter({ allowlist: [owner.snsFilterValue] }) };
      for (const address of owner.approvalsEmail) {
        this.approvals.addSubscription(new EmailSubscription(address, { filterPolicy: ownMessages }));
      }
    }
    for (const address of props.alertsEmail) this.alerts.addSubscription(new EmailSubscription(address));
  }
}

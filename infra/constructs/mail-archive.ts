/**
 * The raw-mail archive: SES writes every received mail under `inbound/`, the router copies suspicious ones under
 * `quarantine/`. Each prefix expires after its own retention. Retained when the stack is deleted, unless the caller
 * chooses otherwise.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';

import { ARCHIVE_PREFIX } from '../../handlers/core/deployment-contract.js';

export { ARCHIVE_PREFIX };

export interface MailArchiveProps {
  /** Days a received mail stays under `inbound/`. */
  readonly rawMailDays: number;
  /** Days a quarantined copy stays under `quarantine/`. */
  readonly quarantinedMailDays: number;
  /** Days the server access logs are kept. @default - 365 days */
  readonly accessLogDays?: number;
  /**
   * What happens to the archive and its access-log bucket when they leave the stack (deleted, or replaced by an
   * update). Mail is evidence. CloudFormation deletes only an empty bucket.
   * @default - RemovalPolicy.RETAIN: both buckets and the mail in them are kept
   */
  readonly removalPolicy?: RemovalPolicy;
}

export class MailArchive extends Construct {
  readonly bucket: Bucket;
  readonly accessLogBucket: Bucket;

  constructor(scope: Construct, id: string, props: MailArchiveProps) {
    super(scope, id);
    // Access logs delivered under a bucket policy, not the LogDeliveryWrite ACL that BUCKET_OWNER_ENFORCED forbids.
    // Set here rather than left to the app's cdk.json: a platform team's app may not have the flag, and the buckets
    // must come out the same in every app.
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const secureDefaults = {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // SSE-S3, the bucket's default encryption. Not the SES S3 action's KMS option: that one encrypts client side
      // in a format only the Java and Ruby SDKs can decrypt (acm-mail-facts.md). Access logs need SSE-S3 too.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    };
    this.accessLogBucket = new Bucket(this, 'AccessLogs', {
      ...secureDefaults,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(props.accessLogDays ?? 365) }],
    });
    this.bucket = new Bucket(this, 'Bucket', {
      ...secureDefaults,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'archive/',
      lifecycleRules: [
        {
          id: 'expire-raw-mail',
          prefix: ARCHIVE_PREFIX.inbound,
          expiration: Duration.days(props.rawMailDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        {
          id: 'expire-quarantined-mail',
          prefix: ARCHIVE_PREFIX.quarantine,
          expiration: Duration.days(props.quarantinedMailDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
  }

  /**
   * Lets SES write under `inbound/` only, and only on behalf of our own receipt rules in our own account
   * (`aws:SourceAccount` + `aws:SourceArn`, as the SES guide now documents; CDK's S3 action sets only the account).
   */
  allowSesDelivery(receiptRuleArns: readonly string[]): void {
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowSesToStoreInboundMail',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${ARCHIVE_PREFIX.inbound}*`)],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ArnEquals: { 'aws:SourceArn': [...receiptRuleArns] },
        },
      }),
    );
  }
}

import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { MailArchive } from '../../infra/constructs/mail-archive.js';
import { RequestState } from '../../infra/constructs/request-state.js';
import { arnOf, logicalId, receiptRuleArnInTemplate, resourcesOf, synthesiseOnce, testApp } from '../support/infra.js';

const { stack, template } = synthesiseOnce();
const bucketId = logicalId(stack, stack.pipeline.archive.bucket);

// The two constructs on their own, for a caller that chooses to delete them with its stack.
const disposable = new Stack(testApp(), 'Disposable');
new MailArchive(disposable, 'Archive', {
  rawMailDays: 1,
  quarantinedMailDays: 1,
  removalPolicy: RemovalPolicy.DESTROY,
});
new RequestState(disposable, 'State', { removalPolicy: RemovalPolicy.DESTROY });
const disposableTemplate = Template.fromStack(disposable);

/** DeletionPolicy and UpdateReplacePolicy of every resource of a type. */
function policiesOf(from: Template, type: string) {
  return Object.values(resourcesOf(from, type)).map(({ DeletionPolicy, UpdateReplacePolicy }) => ({
    DeletionPolicy,
    UpdateReplacePolicy,
  }));
}

describe('the raw-mail archive', () => {
  it('blocks public access, disables ACLs, encrypts by default with SSE-S3 and logs access', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: logicalId(stack, stack.pipeline.archive.accessLogBucket) },
        LogFilePrefix: 'archive/',
      },
    });
  });

  it('expires raw mail and quarantined mail after their configured days', () => {
    const archive = resourcesOf(template, 'AWS::S3::Bucket')[bucketId];
    expect(archive.Properties.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({ Id: 'expire-raw-mail', Prefix: 'inbound/', ExpirationInDays: 90, Status: 'Enabled' }),
      expect.objectContaining({
        Id: 'expire-quarantined-mail',
        Prefix: 'quarantine/',
        ExpirationInDays: 365,
        Status: 'Enabled',
      }),
    ]);
  });

  it('is retained when the stack is deleted', () => {
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(resourcesOf(template, 'AWS::S3::Bucket')[bucketId].DeletionPolicy).toBe('Retain');
  });

  it('keeps its access logs too, and is deleted with the stack only when its caller says so', () => {
    const retain = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' };
    expect(policiesOf(template, 'AWS::S3::Bucket')).toEqual([retain, retain]);
    const destroy = { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' };
    expect(policiesOf(disposableTemplate, 'AWS::S3::Bucket')).toEqual([destroy, destroy]);
  });

  it('refuses requests without TLS and lets SES put objects only under inbound/, for our rule, in our account', () => {
    const policy = Object.values(resourcesOf(template, 'AWS::S3::BucketPolicy')).find(
      (p) => p.Properties.Bucket.Ref === bucketId,
    );
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      {
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Resource: [arnOf(bucketId), { 'Fn::Join': ['', [arnOf(bucketId), '/*']] }],
      },
      {
        Sid: 'AllowSesToStoreInboundMail',
        Action: 's3:PutObject',
        Effect: 'Allow',
        Principal: { Service: 'ses.amazonaws.com' },
        Resource: { 'Fn::Join': ['', [arnOf(bucketId), '/inbound/*']] },
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnEquals: {
            'aws:SourceArn': [receiptRuleArnInTemplate('AcmValidationMail-acm-mail-1')],
          },
        },
      },
    ]);
  });

  it('takes no Referer condition and no client-side KMS option on the SES action', () => {
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toContain('aws:Referer');
    expect(text).not.toContain('KmsKeyArn');
  });
});

describe('the state table', () => {
  it('is retained by default, and deleted with the stack only when its caller says so', () => {
    expect(policiesOf(template, 'AWS::DynamoDB::Table')).toEqual([
      { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' },
    ]);
    expect(policiesOf(disposableTemplate, 'AWS::DynamoDB::Table')).toEqual([
      { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' },
    ]);
  });

  it('is on demand, encrypted, recoverable to a point in time, with a TTL and the open-requests index', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        GlobalSecondaryIndexes: [
          {
            IndexName: 'digestByOwner',
            KeySchema: [
              { AttributeName: 'digestOwner', KeyType: 'HASH' },
              { AttributeName: 'digestAt', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    });
  });
});

/**
 * Receipt-rule actions that grant SES exactly what one rule needs. CDK's own `aws-ses-actions` S3 and Lambda actions
 * condition SES only on the account; these let the caller scope the bucket policy and the function's resource
 * policy to the receipt rule's ARN as well (aws-cdk issue 29811; SES Developer Guide, "Giving permissions to Amazon
 * SES for email receiving").
 */
import { Stack } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IReceiptRuleAction, ReceiptRuleActionConfig } from 'aws-cdk-lib/aws-ses';
import type { aws_ses as sesInterfaces } from 'aws-cdk-lib/interfaces';
import type { Construct } from 'constructs';

/** The ARN SES presents as `aws:SourceArn` when a rule acts: receipt-rule-set/<set>:receipt-rule/<rule>. */
export function receiptRuleArn(scope: Construct, ruleSetName: string, ruleName: string): string {
  return Stack.of(scope).formatArn({
    service: 'ses',
    resource: 'receipt-rule-set',
    resourceName: `${ruleSetName}:receipt-rule/${ruleName}`,
  });
}

/** Stores the raw mail under a prefix. The bucket policy is the archive's (`MailArchive.allowSesDelivery`). */
export class StoreInArchive implements IReceiptRuleAction {
  constructor(
    private readonly bucket: IBucket,
    private readonly objectKeyPrefix: string,
  ) {}

  bind(_rule: sesInterfaces.IReceiptRuleRef): ReceiptRuleActionConfig {
    return { s3Action: { bucketName: this.bucket.bucketName, objectKeyPrefix: this.objectKeyPrefix } };
  }
}

/** Invokes the function asynchronously (`Event`), allowed for this one rule's ARN in this account. */
export class InvokeRouter implements IReceiptRuleAction {
  constructor(
    private readonly router: IFunction,
    private readonly ruleArn: string,
    private readonly permissionId: string,
  ) {}

  bind(rule: sesInterfaces.IReceiptRuleRef): ReceiptRuleActionConfig {
    this.router.addPermission(this.permissionId, {
      action: 'lambda:InvokeFunction',
      principal: new ServicePrincipal('ses.amazonaws.com'),
      sourceAccount: Stack.of(rule).account,
      sourceArn: this.ruleArn,
    });
    // SES checks that it may invoke the function when the rule is created.
    const permission = this.router.permissionsNode.tryFindChild(this.permissionId);
    if (permission !== undefined) rule.node.addDependency(permission);
    return { lambdaAction: { functionArn: this.router.functionArn, invocationType: 'Event' } };
  }
}

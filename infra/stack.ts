/** The one stack: an `AcmValidationMail` in the configured account and region, with the outputs acm-mail reads. */
import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Configuration } from '../handlers/core/configuration/index.js';
import { DEPLOYED_OUTPUTS } from '../handlers/core/deployment-contract.js';
import { AcmValidationMail } from './acm-validation-mail.js';

export interface AcmValidationMailStackProps extends Omit<StackProps, 'env' | 'stackName'> {
  /** Validated by `parseConfiguration`; gives the stack its name, account and region. */
  readonly configuration: Configuration;
}

export class AcmValidationMailStack extends Stack {
  readonly pipeline: AcmValidationMail;

  /** `infra/app.ts` passes `configuration.stackName` as `id`, so the construct id and the stack name agree. */
  constructor(scope: Construct, id: string, props: AcmValidationMailStackProps) {
    const { configuration, ...stackProps } = props;
    super(scope, id, {
      ...stackProps,
      stackName: configuration.stackName,
      description: 'Receives ACM validation mail with SES and routes each approval request to its owner',
      env: { region: configuration.region, account: configuration.account },
    });
    this.pipeline = new AcmValidationMail(this, 'Pipeline', configuration);
    for (const [key, value] of Object.entries(configuration.tags)) Tags.of(this).add(key, value);
    // What operators and `acm-mail replay` look up by name.
    const outputs: Record<string, [string, string]> = {
      [DEPLOYED_OUTPUTS.archiveBucket]: [
        this.pipeline.archive.bucket.bucketName,
        'Raw mail (inbound/) and quarantined copies (quarantine/)',
      ],
      [DEPLOYED_OUTPUTS.requestTable]: [
        this.pipeline.state.table.tableName,
        'Approval requests and per-message outcomes',
      ],
      [DEPLOYED_OUTPUTS.approvalsTopic]: [
        this.pipeline.topics.approvals.topicArn,
        'One message per approval request, with filter attributes',
      ],
      [DEPLOYED_OUTPUTS.alertsTopic]: [this.pipeline.topics.alerts.topicArn, 'Security alerts and alarms'],
      [DEPLOYED_OUTPUTS.deadLetterQueue]: [
        this.pipeline.deadLetterQueue.queueUrl,
        'Router events that failed every attempt',
      ],
      [DEPLOYED_OUTPUTS.routerFunction]: [
        this.pipeline.router.function.functionName,
        'The router function (acm-mail doctor checks its reserved concurrency)',
      ],
      [DEPLOYED_OUTPUTS.eventBus]: [
        this.pipeline.eventBus.bus.eventBusArn,
        "The central event bus: member accounts forward ACM's events to it; the product's events go out on it",
      ],
    };
    if (this.pipeline.canary) {
      outputs[DEPLOYED_OUTPUTS.canaryFunction] = [
        this.pipeline.canary.canary.function.functionName,
        'The mailbox canary function (acm-mail doctor --probe invokes it)',
      ];
      outputs[DEPLOYED_OUTPUTS.canarySchedule] = [
        this.pipeline.canary.dailySchedule.scheduleName,
        "The canary's daily schedule, group default (acm-mail doctor checks it is enabled)",
      ];
    }
    for (const [name, [value, description]] of Object.entries(outputs)) {
      new CfnOutput(this, name, { value, description });
    }
  }
}

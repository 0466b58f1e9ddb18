/** The one stack: a `ValidationMailPipeline` in the configured account and region. */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Configuration } from '../handlers/core/configuration/index.js';
import { ValidationMailPipeline } from './validation-mail-pipeline.js';

export interface AcmValidationMailStackProps extends Omit<StackProps, 'env' | 'stackName'> {
  readonly configuration: Configuration;
}

export class AcmValidationMailStack extends Stack {
  readonly pipeline: ValidationMailPipeline;

  constructor(scope: Construct, props: AcmValidationMailStackProps) {
    const { configuration, ...stackProps } = props;
    super(scope, configuration.stackName, {
      ...stackProps,
      stackName: configuration.stackName,
      description: 'Receives ACM validation mail with SES and routes each approval request to its owner',
      env: { region: configuration.region, account: configuration.account },
    });
    this.pipeline = new ValidationMailPipeline(this, 'Pipeline', { configuration });
  }
}

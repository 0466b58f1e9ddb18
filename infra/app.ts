/**
 * The CDK app. Reads and validates the configuration once (the example unless `-c config=path`), then builds the
 * stack. Nothing else reads context or the environment.
 */
import { App } from 'aws-cdk-lib';
import { ConfigurationError } from '../handlers/core/configuration/index.js';
import { checkWithAwsSolutions } from './cdk-nag.js';
import { EXAMPLE_CONFIGURATION, readConfigurationFile } from './configuration-file.js';
import { AcmValidationMailStack } from './stack.js';

const app = new App();
const configPath: unknown = app.node.tryGetContext('config');
try {
  const configuration = readConfigurationFile(typeof configPath === 'string' ? configPath : EXAMPLE_CONFIGURATION);
  new AcmValidationMailStack(app, configuration.stackName, { configuration });
  checkWithAwsSolutions(app);
} catch (error) {
  if (!(error instanceof ConfigurationError)) throw error;
  console.error(error.message);
  process.exit(1);
}

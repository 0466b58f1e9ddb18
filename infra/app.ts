/**
 * The CDK app. Reads and validates the configuration once (the example unless `-c config=path`), then builds the
 * stack. Nothing else reads context or the environment.
 */
import { resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { EXAMPLE_CONFIGURATION, readConfigurationFile } from '../handlers/adapters/configuration-file.js';
import { InputFileError } from '../handlers/adapters/input-files.js';
import { ConfigurationError } from '../handlers/core/configuration/index.js';
import { checkWithAwsSolutions } from './cdk-nag.js';
import { AcmMemberAccountStack, memberStackName } from './member-stack.js';
import { AcmValidationMailStack } from './stack.js';

const app = new App();
const configPath: unknown = app.node.tryGetContext('config');
try {
  // Named absolute in every message, as the synth always has: its output is often read far from the checkout (CI).
  const configuration = readConfigurationFile(
    resolve(typeof configPath === 'string' ? configPath : EXAMPLE_CONFIGURATION),
  );
  new AcmValidationMailStack(app, configuration.stackName, { configuration });
  // Deployed to each member account (and region) apart from the central stack: README, "ACM events from every account".
  new AcmMemberAccountStack(app, memberStackName(configuration), { configuration });
  checkWithAwsSolutions(app);
} catch (error) {
  if (!(error instanceof ConfigurationError || error instanceof InputFileError)) throw error;
  console.error(error.message);
  process.exit(1);
}

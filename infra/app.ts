/**
 * The CDK app. Reads and validates the configuration once (the example unless `-c config=path`), then builds the
 * stack. Nothing else reads context or the environment.
 *
 * It takes the product from the package's public entry point, by the package's name, as a platform team's app does;
 * cdk.json runs it with the `acm-mail-source` condition, under which that name resolves to infra/index.ts instead of
 * the compiled dist/ (which only `npm pack` builds). cdk-nag is this repository's own check, not part of the package.
 */
import { resolve } from 'node:path';
import {
  AcmMemberAccountStack,
  AcmValidationMailStack,
  ConfigurationError,
  EXAMPLE_CONFIGURATION,
  InputFileError,
  memberStackName,
  readConfigurationFile,
} from 'acm-validation-mail';
import { App } from 'aws-cdk-lib';
import { checkWithAwsSolutions } from './cdk-nag.js';

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

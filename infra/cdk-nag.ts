/** cdk-nag's AwsSolutions pack over the whole app (v3 API: a CDK validation plugin, not an aspect). */
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

export function checkWithAwsSolutions(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}

/** The deployment's resources, named by the stack's outputs (the way `acm-mail replay` finds them). */
import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DEPLOYED_OUTPUTS } from '../core/deployment-contract.js';
import { type CheckResult, callFailed, errorText, fail, ok } from './check.js';

export type DeployedOutputs = ReadonlyMap<string, string>;

/**
 * The outputs this configuration's stack must have: the canary's function exists only when the canary is on, so a
 * stack deployed with `canary.enabled` false has no `CanaryFunction` output, rightly.
 */
export function expectedOutputs(canaryEnabled: boolean): string[] {
  const canaryOutputs: readonly string[] = [DEPLOYED_OUTPUTS.canaryFunction, DEPLOYED_OUTPUTS.canarySchedule];
  return Object.values(DEPLOYED_OUTPUTS).filter((name) => canaryEnabled || !canaryOutputs.includes(name));
}

export async function stackOutputs(
  stackName: string,
  region: string,
  cloudformation: CloudFormationClient,
  expected: readonly string[] = Object.values(DEPLOYED_OUTPUTS),
): Promise<{ check: CheckResult; outputs: DeployedOutputs }> {
  const id = 'stack';
  try {
    const answer = await cloudformation.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = answer.Stacks?.[0];
    const outputs = new Map((stack?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
    const missing = expected.filter((name) => !outputs.get(name));
    if (missing.length > 0) {
      return {
        check: fail(
          id,
          `stack ${stackName} (${stack?.StackStatus ?? 'status unknown'}) lacks output(s) ${missing.join(', ')}: the checks that need them cannot run`,
          'deploy this version of the stack (npx cdk deploy)',
        ),
        outputs,
      };
    }
    return { check: ok(id, `stack ${stackName} in ${region}: ${stack?.StackStatus ?? 'status unknown'}`), outputs };
  } catch (error) {
    if (/does not exist/.test(errorText(error))) {
      return {
        check: fail(
          id,
          `there is no stack ${stackName} in ${region}`,
          `deploy it (npx cdk deploy), or name the deployed one: --stack NAME`,
        ),
        outputs: new Map(),
      };
    }
    return { check: callFailed(id, 'cloudformation:DescribeStacks', region, error), outputs: new Map() };
  }
}

/** The output's value, or the failing check that says which output the named check needed. */
export function requiredOutput(
  outputs: DeployedOutputs,
  name: string,
  checkId: string,
): { value: string } | { check: CheckResult } {
  const value = outputs.get(name);
  if (value) return { value };
  return {
    check: fail(
      checkId,
      `not checked: the stack has no output ${name}`,
      'deploy this version of the stack (npx cdk deploy)',
    ),
  };
}

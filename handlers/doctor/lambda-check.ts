/**
 * The router's reserved concurrency against the account's pool. Lambda refuses a reservation that would leave fewer
 * than 100 unreserved executions in the region (Lambda Developer Guide, "Configuring reserved concurrency"), and new
 * accounts often start with a pool of 10: there the stack's reservation cannot be made at all.
 */
import { GetAccountSettingsCommand, GetFunctionConcurrencyCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { Configuration } from '../core/configuration/index.js';
import { type CheckResult, callFailed, fail, ok } from './check.js';

/** What Lambda keeps unreserved in every account and region, whatever the functions reserve. */
export const MINIMUM_UNRESERVED = 100;
/** Service Quotas' code of "Concurrent executions" (Lambda). */
export const CONCURRENCY_QUOTA_CODE = 'L-B99A9384';

export async function concurrencyCheck(
  config: Pick<Configuration, 'region' | 'router'>,
  lambda: LambdaClient,
  routerFunction: string,
): Promise<CheckResult> {
  const id = 'lambda-concurrency';
  const configured = config.router.reservedConcurrency;
  let reserved: number | undefined;
  let total: number;
  let unreserved: number;
  try {
    reserved = (await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: routerFunction })))
      .ReservedConcurrentExecutions;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') {
      return fail(id, `the router function ${routerFunction} does not exist`, 'redeploy the stack (npx cdk deploy)');
    }
    return callFailed(id, 'lambda:GetFunctionConcurrency', config.region, error);
  }
  try {
    const limit = (await lambda.send(new GetAccountSettingsCommand({}))).AccountLimit;
    total = limit?.ConcurrentExecutions ?? 0;
    unreserved = limit?.UnreservedConcurrentExecutions ?? 0;
  } catch (error) {
    return callFailed(id, 'lambda:GetAccountSettings', config.region, error);
  }
  const pool = `the account's pool in ${config.region} is ${total}, ${unreserved} of it unreserved`;
  if (reserved === configured) {
    return ok(id, `the router reserves ${reserved} (router.reservedConcurrency); ${pool}`);
  }
  // The router's current reservation returns to the pool when it changes: only the difference has to fit.
  const more = configured - (reserved ?? 0);
  const headroom = unreserved - MINIMUM_UNRESERVED;
  const found =
    reserved === undefined
      ? `the router has no reserved concurrency (router.reservedConcurrency is ${configured})`
      : `the router reserves ${reserved}, the configuration says ${configured}`;
  if (more <= headroom) {
    return fail(
      id,
      `${found}; ${pool}: ${configured} fits`,
      'redeploy the stack with this configuration (npx cdk deploy); without a reservation a flood of mail to the five addresses can take the whole pool',
    );
  }
  const wanted = total + (more - headroom);
  const fitting = (reserved ?? 0) + Math.max(0, headroom);
  const lower = fitting >= 1 ? `; or lower router.reservedConcurrency to ${fitting} and redeploy` : '';
  return fail(
    id,
    `${found}; ${pool}, and Lambda keeps ${MINIMUM_UNRESERVED} unreserved: ${configured} does not fit (${Math.max(0, headroom)} more can be reserved)`,
    `raise the pool: aws service-quotas request-service-quota-increase --service-code lambda --quota-code ${CONCURRENCY_QUOTA_CODE} --desired-value ${wanted} --region ${config.region}${lower}`,
  );
}

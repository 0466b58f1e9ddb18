/**
 * Whose account the doctor is looking at, before anything else: every other answer describes that account, and
 * checking the wrong one (a stale AWS_PROFILE) would report a healthy deployment as broken or the reverse.
 */
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { Configuration } from '../core/configuration/index.js';
import { type CheckResult, callFailed, errorText, fail, ok } from './check.js';

export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
}

const NO_CREDENTIALS =
  /CredentialsProviderError|Could not load credentials|ExpiredToken|InvalidClientTokenId|security token/i;

export async function callerIdentityCheck(
  config: Pick<Configuration, 'account' | 'region'>,
  sts: STSClient,
): Promise<{ check: CheckResult; caller: CallerIdentity | null }> {
  const id = 'aws-identity';
  let caller: CallerIdentity;
  try {
    const answer = await sts.send(new GetCallerIdentityCommand({}));
    caller = { account: answer.Account ?? '', arn: answer.Arn ?? '' };
  } catch (error) {
    const text = errorText(error);
    if (NO_CREDENTIALS.test(text)) {
      return {
        check: fail(
          id,
          `no usable AWS credentials in this shell (${text}); nothing in AWS was checked`,
          'log in and name the profile: aws sso login --profile <profile>, then AWS_PROFILE=<profile> npx acm-mail doctor ... (or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)',
        ),
        caller: null,
      };
    }
    return { check: callFailed(id, 'sts:GetCallerIdentity', config.region, error), caller: null };
  }
  if (config.account !== undefined && caller.account !== config.account) {
    return {
      check: fail(
        id,
        `these credentials are account ${caller.account} (${caller.arn}), but the configuration's account is ${config.account}; nothing in AWS was checked`,
        `use credentials of account ${config.account} (AWS_PROFILE=<a profile of ${config.account}>), or fix "account" in the configuration`,
      ),
      caller: null,
    };
  }
  return { check: ok(id, `checking account ${caller.account} in ${config.region} as ${caller.arn}`), caller };
}

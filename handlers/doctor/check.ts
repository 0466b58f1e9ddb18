/**
 * One finding of `acm-mail doctor`: ok, or what is wrong and the exact fix (a command to run or a record to add).
 * `info` is said but is not a failure (the canary turned off in the configuration, say).
 */
export type CheckStatus = 'ok' | 'fail' | 'info';

export interface CheckResult {
  /** Stable, for scripts reading `--json`: the check group, then what it looked at (`dns:example.net`). */
  readonly id: string;
  readonly status: CheckStatus;
  /** What was found, with the values. */
  readonly detail: string;
  /** What to do, exactly; null when the check passed. */
  readonly fix: string | null;
}

export const ok = (id: string, detail: string): CheckResult => ({ id, status: 'ok', detail, fix: null });
export const info = (id: string, detail: string): CheckResult => ({ id, status: 'info', detail, fix: null });
export const fail = (id: string, detail: string, fix: string): CheckResult => ({ id, status: 'fail', detail, fix });

/** An AWS SDK error in words: its name (`AccessDeniedException`) and message. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message ? `${error.name}: ${error.message}` : error.name;
  return String(error);
}

const DENIED = /AccessDenied|UnauthorizedOperation|not authorized/i;
const UNREACHABLE = /ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|TimeoutError|socket hang up|RequestTimeout/i;

/**
 * A failed AWS call as a failing check: a missing permission names the IAM action to grant, an endpoint that did not
 * answer says so (every client has a request timeout, so it ends here instead of hanging).
 */
export function callFailed(id: string, action: string, region: string, error: unknown): CheckResult {
  const text = errorText(error);
  if (DENIED.test(text)) {
    return fail(
      id,
      `${action} was denied: ${text}`,
      `allow ${action} to the identity this shell uses (README, "acm-mail doctor", lists every action it needs)`,
    );
  }
  if (UNREACHABLE.test(text)) {
    return fail(
      id,
      `${action} got no answer: ${text}`,
      `check this machine's network access to the AWS endpoints of ${region} (a proxy, a VPN), then run the doctor again`,
    );
  }
  return fail(id, `${action} failed: ${text}`, `look at the error above; run the doctor again once it is resolved`);
}

/** Whether every check passed: `info` does not fail a run. */
export function allPassed(checks: readonly CheckResult[]): boolean {
  return checks.every((check) => check.status !== 'fail');
}

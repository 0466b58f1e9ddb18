/** The doctor's findings for people (a list, each fix indented under its check) and for scripts (one JSON document). */
import type { CheckResult } from './check.js';
import type { DoctorReport } from './doctor.js';

const MARK: Record<CheckResult['status'], string> = { ok: 'ok  ', fail: 'FAIL', info: 'info' };

export function humanReport(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((check) => check.id.length));
  const lines = [
    `acm-mail doctor: ${report.account === null ? 'account unknown' : `account ${report.account}`}, region ${report.region}, stack ${report.stack}`,
    '',
  ];
  for (const check of report.checks) {
    lines.push(`${MARK[check.status]}  ${check.id.padEnd(width)}  ${check.detail}`);
    if (check.fix !== null) lines.push(`      ${' '.repeat(width)}  fix: ${check.fix}`);
  }
  const failed = report.checks.filter((check) => check.status === 'fail').length;
  lines.push(
    '',
    failed === 0 ? `all ${report.checks.length} checks passed` : `${failed} of ${report.checks.length} checks failed`,
  );
  return `${lines.join('\n')}\n`;
}

export function jsonReport(report: DoctorReport): string {
  return `${JSON.stringify({
    account: report.account,
    region: report.region,
    stack: report.stack,
    passed: report.passed,
    checks: report.checks.map(({ id, status, detail, fix }) => ({ id, status, detail, fix })),
  })}\n`;
}

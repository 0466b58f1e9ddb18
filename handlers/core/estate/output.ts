/**
 * The estate report in its three forms: a JSON document (every certificate with its migration advice), CSV for
 * spreadsheets (csv.ts), and text for a person at a terminal. Pure: the report, the known zones and the clock in.
 */
import { type MigrationAdvice, migrationAdvice } from './advice.js';
import { type EstateCertificate, type EstateReport, inUseTypes, isEmailValidated } from './certificate.js';
import { estateCsv } from './csv.js';
import type { KnownHostedZone } from './scope.js';

/** The advice for each email-validated certificate, by ARN. */
export function adviceFor(
  report: EstateReport,
  zones: readonly KnownHostedZone[],
  now: Date,
): Map<string, MigrationAdvice> {
  return new Map(
    report.certificates
      .filter(isEmailValidated)
      .map((certificate) => [certificate.arn, migrationAdvice(certificate, zones, now)] as const),
  );
}

export interface EstateCounts {
  readonly certificates: number;
  readonly emailValidated: number;
  readonly readyNow: number;
  readonly unusedExpiringSoon: number;
  readonly unlisted: number;
}

export function estateCounts(report: EstateReport, advice: ReadonlyMap<string, MigrationAdvice>): EstateCounts {
  const all = [...advice.values()];
  return {
    certificates: report.certificates.length,
    emailValidated: all.length,
    readyNow: all.filter((a) => a.ready).length,
    unusedExpiringSoon: all.filter((a) => a.unusedAndExpiringSoon).length,
    unlisted: report.unlisted.length,
  };
}

export function estateJson(report: EstateReport, zones: readonly KnownHostedZone[], now: Date): string {
  const advice = adviceFor(report, zones, now);
  return `${JSON.stringify(
    {
      ...report,
      counts: estateCounts(report, advice),
      certificates: report.certificates.map((certificate) => ({
        ...certificate,
        inUseTypes: inUseTypes(certificate.inUseBy),
        advice: advice.get(certificate.arn) ?? null,
      })),
    },
    null,
    2,
  )}\n`;
}

export function estateCsvOf(report: EstateReport, zones: readonly KnownHostedZone[], now: Date): string {
  return estateCsv(report.certificates, adviceFor(report, zones, now));
}

const line = (certificate: EstateCertificate) =>
  `${certificate.accountName} (${certificate.accountId}) ${certificate.region}  ${certificate.domain}` +
  `${certificate.names.length > 1 ? ` +${certificate.names.length - 1}` : ''}  ${certificate.status}` +
  `  expires ${certificate.notAfter?.slice(0, 10) ?? '-'}  in use by ${certificate.inUseBy.length}`;

/**
 * For a terminal: the unlisted accounts first (so nobody reads a partial estate as whole), the counts, then each
 * email-validated certificate with its advice, the ones nobody expects first, then those ready to move.
 */
export function estateText(report: EstateReport, zones: readonly KnownHostedZone[], now: Date): string {
  const advice = adviceFor(report, zones, now);
  const counts = estateCounts(report, advice);
  const out: string[] = [];
  for (const scope of report.unlisted) {
    out.push(
      `NOT LISTED: ${scope.accountName} (${scope.accountId})${scope.region ? ` ${scope.region}` : ''}: ${scope.reason}`,
    );
  }
  if (report.withoutRole.length > 0) {
    out.push(
      `no status role (accounts[].statusRoleArn), not listed: ${report.withoutRole.map((a) => `${a.accountName} (${a.accountId})`).join(', ')}`,
    );
  }
  if (report.mailHistoryNote !== null) out.push(`approval mail seen: unknown (${report.mailHistoryNote})`);
  if (out.length > 0) out.push('');
  out.push(
    `${counts.certificates} certificates in ${report.accountsListed} accounts (${report.regions.join(', ')}); ` +
      `${counts.emailValidated} validated by email, ${counts.readyNow} ready for DNS validation now, ` +
      `${counts.unusedExpiringSoon} not in use and expiring within 45 days`,
  );
  const order = (a: MigrationAdvice) => (a.unusedAndExpiringSoon ? 0 : a.ready ? 1 : 2);
  const byArn = new Map(report.certificates.map((certificate) => [certificate.arn, certificate]));
  const listed = [...advice.values()].sort((a, b) => order(a) - order(b) || a.arn.localeCompare(b.arn));
  for (const item of listed) {
    const certificate = byArn.get(item.arn) as EstateCertificate;
    out.push('', line(certificate), `  ${certificate.arn}`);
    const seen = certificate.seenMail;
    out.push(
      seen === null
        ? '  approval mail: none seen by this pipeline'
        : `  approval mail: ${seen.requests} request(s), last received ${seen.lastReceivedAt}`,
    );
    if (item.unusedAndExpiringSoon) {
      out.push(
        `  NOT IN USE and expires in ${item.daysToExpiry} days: ACM will ask for an approval nobody may expect; if nobody needs it, delete it (step 5) instead of moving it`,
      );
    }
    out.push(
      item.ready
        ? '  READY for DNS validation: every name is in a Route 53 hosted zone this configuration knows'
        : `  NOT READY: a CNAME is needed outside the known hosted zones for ${item.externalNames.join(', ')}`,
    );
    item.steps.forEach((step, index) => {
      out.push(`  ${index + 1}. ${step.title}`);
      for (const command of step.commands) out.push(`     ${command}`);
    });
  }
  return `${out.join('\n')}\n`;
}

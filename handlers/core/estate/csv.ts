/**
 * The estate as CSV for spreadsheets: RFC 4180 (comma, CRLF, a field with a comma, quote, CR or LF in double quotes,
 * quotes doubled), so a domain or a list never breaks a row; and safe to open: a value a spreadsheet would run as a
 * formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading apostrophe (OWASP, "CSV
 * Injection"). Certificate names come from whoever requested them, so every value is treated as hostile.
 */
import type { MigrationAdvice } from './advice.js';
import { type EstateCertificate, inUseTypes } from './certificate.js';

export const ESTATE_CSV_COLUMNS = [
  'account_id',
  'account_name',
  'region',
  'certificate_arn',
  'domain',
  'subject_alternative_names',
  'validation_methods',
  'status',
  'type',
  'not_after',
  'in_use_count',
  'in_use_types',
  'renewal_eligibility',
  'renewal_status',
  'approval_mail_seen',
  'approval_mail_last_received',
  'dns_ready',
  'names_outside_known_zones',
  'unused_expiring_soon',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One row per certificate; the advice columns are empty for a certificate that is not email-validated. */
export function estateCsv(
  certificates: readonly EstateCertificate[],
  adviceByArn: ReadonlyMap<string, MigrationAdvice>,
): string {
  const rows = certificates.map((certificate) => {
    const advice = adviceByArn.get(certificate.arn);
    return [
      certificate.accountId,
      certificate.accountName,
      certificate.region,
      certificate.arn,
      certificate.domain,
      certificate.names.filter((name) => name !== certificate.domain).join(' '),
      certificate.validations.map((v) => `${v.name}=${v.method ?? 'NONE'}`).join(' '),
      certificate.status,
      certificate.type,
      certificate.notAfter ?? '',
      String(certificate.inUseBy.length),
      inUseTypes(certificate.inUseBy).join(' '),
      certificate.renewalEligibility ?? '',
      certificate.renewalStatus ?? '',
      certificate.seenMail === null ? 'no' : 'yes',
      certificate.seenMail?.lastReceivedAt ?? '',
      advice === undefined ? '' : advice.ready ? 'yes' : 'no',
      advice?.externalNames.join(' ') ?? '',
      advice === undefined ? '' : advice.unusedAndExpiringSoon ? 'yes' : 'no',
    ];
  });
  return `${[[...ESTATE_CSV_COLUMNS], ...rows].map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

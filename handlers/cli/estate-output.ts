/** How the estate is said on a terminal: the one-line count the local run prints, and the per-account progress. */

import type { EstateReport } from '../core/estate/certificate.js';
import { adviceFor, estateCounts } from '../core/estate/output.js';
import type { EstateProgress } from '../estate/estate.js';

/** The local run's human line about the estate (the JSON counts line has `estate`, the certificates listed). */
export function estateLine(report: EstateReport): string {
  // Readiness needs the hosted zones; the line says only what the report alone knows.
  const counts = estateCounts(report, adviceFor(report, [], new Date(report.listedAt)));
  return (
    `estate: ${counts.certificates} certificates listed in ${report.accountsListed} accounts ` +
    `(${report.regions.join(', ')}), ${counts.emailValidated} validated by email` +
    `${counts.unlisted > 0 ? `, ${counts.unlisted} account(s) or region(s) could not be listed` : ''}` +
    `${report.withoutRole.length > 0 ? `; ${report.withoutRole.length} account(s) have no status role` : ''}`
  );
}

export function estateProgressText(progress: EstateProgress, total: number): string | null {
  if (progress.kind === 'account') {
    return `listing ${progress.accountName} (${progress.accountId}), account ${progress.index + 1} of ${total}`;
  }
  return null;
}

/**
 * The estate in each owner's digest: the email-validated certificates the owner owns (by the same routing rules as
 * their requests: the certificate's domain and account), how many could move to DNS validation now, and the next
 * expiry among them. The steps themselves are in `acm-mail estate`; the digest only keeps the count in view.
 */
import type { Configuration, Owner } from '../configuration/index.js';
import { migrationAdvice } from '../estate/advice.js';
import { type EstateReport, isEmailValidated } from '../estate/certificate.js';
import { knownHostedZones } from '../estate/scope.js';
import { routeToOwner } from '../routing/owner-routing.js';

export interface EstateSection {
  readonly emailValidated: number;
  /** Every name in a hosted zone the configuration knows. */
  readonly readyNow: number;
  /** Not in use and expiring within 45 days: an approval mail nobody may expect. */
  readonly unusedExpiringSoon: number;
  readonly nextExpiry: { readonly domain: string; readonly account: string; readonly notAfter: string } | null;
  /** When the estate was listed. */
  readonly listedAt: string;
  /** Some accounts or regions could not be listed: the numbers may be low. */
  readonly incomplete: boolean;
}

export function estateSectionOf(
  owner: Pick<Owner, 'name'>,
  report: EstateReport,
  config: Pick<Configuration, 'routing' | 'owners' | 'fallbackOwner' | 'validationDomains' | 'estate'>,
  now: Date,
): EstateSection | null {
  const zones = knownHostedZones(config);
  const owned = report.certificates.filter(
    (certificate) =>
      isEmailValidated(certificate) &&
      routeToOwner({ domain: certificate.domain, accountId: certificate.accountId }, config).owner.name === owner.name,
  );
  if (owned.length === 0) return null;
  const advice = owned.map((certificate) => migrationAdvice(certificate, zones, now));
  const next = owned
    .filter((certificate) => certificate.notAfter !== null)
    .sort((a, b) => (a.notAfter as string).localeCompare(b.notAfter as string))[0];
  return {
    emailValidated: owned.length,
    readyNow: advice.filter((a) => a.ready).length,
    unusedExpiringSoon: advice.filter((a) => a.unusedAndExpiringSoon).length,
    nextExpiry:
      next === undefined ? null : { domain: next.domain, account: next.accountName, notAfter: next.notAfter as string },
    listedAt: report.listedAt,
    incomplete: report.unlisted.length > 0,
  };
}

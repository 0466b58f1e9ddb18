import type { Outcome } from './routing/outcomes.js';

/**
 * Custom metrics the router emits (CloudWatch embedded metric format) and the stack alarms on. One list, so the
 * names in the alarms and in the code cannot drift apart.
 */
export const SECURITY_METRICS = {
  /** A mail that claimed to be ACM's but failed a trust check (forged sender, look-alike link, failed DKIM...). */
  suspiciousMail: 'SuspiciousMail',
  /** A genuine approval request from an AWS account that is not one of the organisation's. */
  foreignAccountRequest: 'ForeignAccountRequest',
  /** A mail in ACM's approval format whose domain, account, region or certificate could not be read. */
  unparseableAcmMail: 'UnparseableAcmMail',
} as const;

/** The metric each outcome counts, written by the router for every message. */
export const OUTCOME_METRICS: Record<Outcome, string> = {
  routed: 'RoutedMail',
  duplicate: 'DuplicateMail',
  'foreign-account': SECURITY_METRICS.foreignAccountRequest,
  suspicious: SECURITY_METRICS.suspiciousMail,
  'not-acm': 'NotAcmMail',
  unparseable: SECURITY_METRICS.unparseableAcmMail,
  probe: 'ProbeMail',
};

/** Namespace of a deployment's metrics; per stack, so two deployments in one account do not mix. */
export function metricsNamespace(stackName: string): string {
  return `AcmValidationMail/${stackName}`;
}

/**
 * The mailbox canary's metrics, each with the dimension `Address` (the watched address): the check emits
 * `ProbeArrived` 1 or 0 for every probe of a run, and the stack alarms per address when it is below 1 or missing.
 */
export const CANARY_METRICS = {
  probeArrived: 'ProbeArrived',
  addressDimension: 'Address',
} as const;

/** Reading our accounts from AWS Organizations (README, "Accounts from AWS Organizations"). */
export const ORGANIZATION_METRICS = {
  /** Organizations could not be read: the last good list stood in (or, with none, the mail was retried). */
  lookupFailed: 'OrganizationsLookupFailed',
} as const;

/** The product events (core/product-events.ts) the router put on the central bus: one count per event. */
export const PRODUCT_EVENT_METRICS = {
  eventsPut: 'ProductEventsPut',
} as const;

/**
 * What each digest run measures: the requests still waiting for an approval (open, deadline not passed), over all
 * owners. Written without dimensions (not even the default `service`), so the dashboard names it plainly.
 */
export const DIGEST_METRICS = {
  openRequests: 'OpenRequests',
} as const;

/** What the events handler counts of ACM's events (README, "ACM events from every account"). */
export const ACM_EVENT_METRICS = {
  /** A certificate with open requests was issued: their tickets got the "you can close this ticket" follow-up. */
  certificateIssued: 'CertificateIssued',
  /** A renewal is due and no approval mail arrived: the alert went out (once per certificate and window). */
  renewalMailMissing: 'RenewalMailMissing',
  /** ACM says a certificate expired. */
  certificateExpired: 'CertificateExpired',
  /** An event on the bus that is not a readable ACM event of the four types. */
  unreadableAcmEvent: 'UnreadableAcmEvent',
} as const;

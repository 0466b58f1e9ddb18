/**
 * The trust gate: which checks a mail failed, and what that makes it.
 *
 * A mail is ACM's own (`trusted`) only when two independent witnesses say so and nothing contradicts them:
 * - SES: its stamp names a passing DKIM signature whose domain is exactly `certificates.amazon.com`, with no DKIM or
 *   DMARC failure beside it, its verdicts readable in SES's own layout, consistent with themselves and with the
 *   receipt event;
 * - our own check of that signature over the stored mail (own-dkim.ts), when it can run;
 * and the header block is unambiguous: one From field with one mailbox, `no-reply@certificates.amazon.com`, each
 * single field once, no stray lines.
 */
import { domainOf } from './addresses.js';
import type { HeaderFacts } from './header-facts.js';
import type { OwnDkimVerdict } from './own-dkim.js';
import type { SesVerdicts } from './ses-verdicts.js';
import { ACM_DKIM_DOMAIN, ACM_SENDER_ADDRESS } from './template.js';
import { type Reason, SUSPICIOUS_REASONS, type TrustVerdict, UNVERIFIED_REASONS } from './types.js';

const SUSPICIOUS = new Set<Reason>(SUSPICIOUS_REASONS);
const UNVERIFIED = new Set<Reason>(UNVERIFIED_REASONS);

/** A From address at ACM's sending domain: only an authenticated signature can back such a claim. */
export function claimsAcm(address: string): boolean {
  const domain = domainOf(address);
  return domain === ACM_DKIM_DOMAIN || domain.endsWith(`.${ACM_DKIM_DOMAIN}`);
}

/** Whether SES's verdicts prove ACM signed the mail: a passing DKIM signature by ACM's domain, no failure for it. */
export function sesAuthenticatesAcm(ses: SesVerdicts): boolean {
  if (!ses.hasAuthenticationResults || ses.findings.length > 0) return false;
  const forAcm = ses.dkimResults.filter((result) => result.domain === ACM_DKIM_DOMAIN);
  return (
    forAcm.some((result) => result.status === 'PASS') &&
    !forAcm.some((result) => result.status === 'FAIL') &&
    ses.dmarc !== 'FAIL'
  );
}

/**
 * What SES's verdicts, our own DKIM check and the header block say. `ownDkim` is null when SES does not claim ACM's
 * signature (our check then has nothing to confirm). SPF failing alone is not held against a mail that ACM's DKIM
 * signature authenticates: forwarding (the corporate mail system relaying the five mailboxes) breaks SPF and keeps
 * DKIM, and DMARC itself passes on either.
 */
export function senderReasons(ses: SesVerdicts | null, headers: HeaderFacts, ownDkim: OwnDkimVerdict | null): Reason[] {
  const reasons: Reason[] = [...headers.findings];
  if (headers.from !== ACM_SENDER_ADDRESS) reasons.push('from-not-acm');
  if (ses === null) {
    reasons.push('no-ses-verdicts');
    return reasons;
  }
  reasons.push(...ses.findings);
  // Without SES's Authentication-Results nothing names a signing domain: nothing below it is read, and an ACM From
  // is unproven rather than disproven. Statuses that failed (the event's, or the X-SES-* fields) still count.
  const checked = ses.hasAuthenticationResults || ses.findings.length > 0;
  if (!checked) reasons.push('no-ses-verdicts');
  // SES evaluated DMARC for another From than the one we read: two From fields, or one SES read differently.
  if (ses.dmarcHeaderFrom !== null && headers.from !== null && ses.dmarcHeaderFrom !== domainOf(headers.from)) {
    reasons.push('conflicting-verdicts');
  }
  let authenticated = sesAuthenticatesAcm(ses);
  if (authenticated && ownDkim !== null) {
    if (ownDkim === 'unavailable') reasons.push('own-dkim-unavailable');
    else if (ownDkim !== 'pass') {
      reasons.push('dkim-disagreement');
      authenticated = false;
    }
  }
  if (ses.spam === 'FAIL') reasons.push('spam-fail');
  if (ses.virus === 'FAIL') reasons.push('virus-fail');
  if (ses.dmarc === 'FAIL') reasons.push('dmarc-fail');
  const acmFailed = ses.dkimResults.some((result) => result.domain === ACM_DKIM_DOMAIN && result.status === 'FAIL');
  if (acmFailed || (ses.dkim === 'FAIL' && !authenticated)) reasons.push('dkim-fail');
  if (ses.spf === 'FAIL' && !authenticated) reasons.push('spf-fail');
  if (checked && !authenticated && headers.claimedFrom.some(claimsAcm)) reasons.push('from-acm-unauthenticated');
  return reasons;
}

/**
 * Suspicious if any check actively failed; unverified if nothing failed but nothing proves it; else trusted. Notes
 * (`own-dkim-unavailable`) change nothing: they say which witness was missing.
 */
export function trustOf(reasons: readonly Reason[]): TrustVerdict {
  if (reasons.some((reason) => SUSPICIOUS.has(reason))) return 'suspicious';
  if (reasons.some((reason) => UNVERIFIED.has(reason))) return 'unverified';
  return 'trusted';
}

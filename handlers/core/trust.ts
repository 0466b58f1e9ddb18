/** The trust gate: which checks a mail failed, and what that makes it. */
import { isAcmAuthenticated, type SesAuthentication } from './ses-verdicts.js';
import { ACM_DKIM_DOMAIN, ACM_SENDER_ADDRESS } from './template.js';
import { type Reason, SUSPICIOUS_REASONS, type TrustVerdict, UNVERIFIED_REASONS } from './types.js';

const SUSPICIOUS = new Set<Reason>(SUSPICIOUS_REASONS);
const UNVERIFIED = new Set<Reason>(UNVERIFIED_REASONS);

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

/** A From address at ACM's sending domain: only SES's authentication can back such a claim. */
function claimsAcm(address: string): boolean {
  const domain = domainOf(address);
  return domain === ACM_DKIM_DOMAIN || domain.endsWith(`.${ACM_DKIM_DOMAIN}`);
}

/**
 * What SES's verdicts and the From header say. SPF failing alone is not held against a mail that ACM's DKIM
 * signature authenticates: forwarding (the corporate mail system relaying the five mailboxes) breaks SPF and keeps
 * DKIM, and DMARC itself passes on either.
 */
export function senderReasons(ses: SesAuthentication | null, fromAddresses: readonly string[]): Reason[] {
  const reasons: Reason[] = [];
  const from = fromAddresses.length === 1 ? (fromAddresses[0] ?? '') : null;
  if (fromAddresses.length > 1) reasons.push('multiple-from-mailboxes');
  if (from !== ACM_SENDER_ADDRESS) reasons.push('from-not-acm');
  if (ses === null) {
    reasons.push('no-ses-verdicts');
    return reasons;
  }
  const authenticated = isAcmAuthenticated(ses, from === null ? null : domainOf(from));
  if (ses.spam === 'FAIL') reasons.push('spam-fail');
  if (ses.virus === 'FAIL') reasons.push('virus-fail');
  if (ses.dmarc === 'FAIL') reasons.push('dmarc-fail');
  if (ses.dkimFailDomains.includes(ACM_DKIM_DOMAIN) || (ses.dkim === 'FAIL' && !authenticated)) {
    reasons.push('dkim-fail');
  }
  if (ses.spf === 'FAIL' && !authenticated) reasons.push('spf-fail');
  if (fromAddresses.some(claimsAcm) && !authenticated) reasons.push('from-acm-unauthenticated');
  return reasons;
}

/** Suspicious if any check actively failed; unverified if nothing failed but nothing proves it; else trusted. */
export function trustOf(reasons: readonly Reason[]): TrustVerdict {
  if (reasons.some((reason) => SUSPICIOUS.has(reason))) return 'suspicious';
  if (reasons.some((reason) => UNVERIFIED.has(reason))) return 'unverified';
  return 'trusted';
}

/**
 * One approval request = one certificate and one domain name. Its five copies (one per mailbox), SES or Lambda
 * retries and resends inside the approval window all carry the same ARN and domain, so they share this key.
 */
import { createHash } from 'node:crypto';
import type { ApprovalRequest } from '../types.js';

export function requestKey(approval: Pick<ApprovalRequest, 'certificateArn' | 'domain'>): string {
  return `${approval.certificateArn}|${approval.domain}`;
}

/**
 * A Message-ID-shaped anchor for the request's ticket thread, at the sender's domain. SES replaces a Message-ID we
 * set, but keeps `References` and `In-Reply-To`, so every mail about one request carries this anchor there and ticket
 * systems thread a double send or a follow-up into the same ticket.
 */
export function threadAnchor(key: string, senderDomain: string): string {
  return `<acm-request.${requestDigest(key)}@${senderDomain}>`;
}

/**
 * An opaque id of the request for mail headers (`X-ACM-Validation-Mail`), the same as in its thread anchor: it ties a
 * ticket to its request without showing the certificate ARN's account or anything secret.
 */
export function requestDigest(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

/** A digest of an approval link: lets the store tell a resend (new code) from a copy without keeping every link. */
export function linkDigest(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 32);
}

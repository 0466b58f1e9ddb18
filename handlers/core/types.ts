/** What the parser says about one inbound mail. */

export type MailKind = 'acm-approval' | 'not-acm';

/**
 * - `trusted`: provably ACM's own mail, intact and self-consistent; only this may ever show a clickable link.
 * - `suspicious`: some check actively failed (authentication, spam/virus, a forged sender, an inconsistency, a bad link).
 * - `unverified`: nothing failed, but nothing proves the mail is ACM's (no SES results, or a forwarded copy).
 */
export type TrustVerdict = 'trusted' | 'unverified' | 'suspicious';

/** Why a mail is `not-acm`. */
export const CLASSIFICATION_REASONS = [
  'oversize',
  'mime-unreadable',
  'delivery-report',
  'acm-notice-not-approval',
  'no-acm-template',
] as const;

/** Why a mail is not `trusted`: each makes it `suspicious` or keeps it `unverified` (see trust.ts). */
export const SUSPICIOUS_REASONS = [
  'malformed-ses-verdicts',
  'conflicting-verdicts',
  'event-verdicts-disagree',
  'dkim-disagreement',
  'spam-fail',
  'virus-fail',
  'dkim-fail',
  'dmarc-fail',
  'spf-fail',
  'from-acm-unauthenticated',
  'multiple-from-mailboxes',
  'from-unreadable',
  'duplicate-header-field',
  'stray-header-line',
  'header-block-cut',
  'parts-disagree',
  'impersonates-acm',
  'oversize-template',
  'missing-domain',
  'missing-account-id',
  'missing-region',
  'missing-certificate-identifier',
  'multiple-domain-lines',
  'multiple-account-lines',
  'multiple-region-lines',
  'multiple-identifier-lines',
  'invalid-domain',
  'invalid-account-id',
  'invalid-region',
  'invalid-certificate-identifier',
  'account-mismatch',
  'region-mismatch',
  'partition-mismatch',
  'link-region-mismatch',
  'missing-approval-link',
  'multiple-approval-links',
  'link-forbidden-character',
  'link-unparseable',
  'link-not-https',
  'link-userinfo',
  'link-port',
  'link-host-not-allowed',
  'link-path-not-approvals',
  'link-query-incomplete',
  'link-unexpected-parameter',
  'link-fragment',
  'acm-look-alike-link',
  'invalid-expiration-date',
] as const;

export const UNVERIFIED_REASONS = ['no-ses-verdicts', 'from-not-acm', 'forwarded-copy'] as const;

/** Said so that nothing is silent, without changing the verdict (see trust.ts). */
export const NOTE_REASONS = ['own-dkim-unavailable'] as const;

export type ClassificationReason = (typeof CLASSIFICATION_REASONS)[number];
export type SuspiciousReason = (typeof SUSPICIOUS_REASONS)[number];
export type UnverifiedReason = (typeof UNVERIFIED_REASONS)[number];
export type NoteReason = (typeof NOTE_REASONS)[number];
export type Reason = ClassificationReason | SuspiciousReason | UnverifiedReason | NoteReason;
export type LinkRejection = Extract<SuspiciousReason, `link-${string}`>;

/** The fields of one approval request, normalised (see normalise.ts). */
export interface ApprovalRequest {
  /** The validation domain as the `Domain:` line writes it, lower-cased; `*.` and punycode kept. */
  readonly domain: string;
  /** 12 digits, dashes removed. */
  readonly accountId: string;
  readonly region: string;
  /** The certificate's UUID, lower-case. */
  readonly certificateId: string;
  /** As written in the mail, or built from UUID, region and account for the pre-2020 template. */
  readonly certificateArn: string;
  /** Only a link that passed validation (approval-link.ts); a bearer secret: never log it whole. */
  readonly approvalUrl: string | null;
  readonly renewal: boolean;
  /** ISO 8601 UTC, when the mail states the certificate's expiry. */
  readonly expiresAt: string | null;
}

export interface AcmMailResult {
  readonly kind: MailKind;
  readonly trust: TrustVerdict;
  /** Sorted, machine-readable; a trusted approval request has none but notes (`own-dkim-unavailable`). */
  readonly reasons: readonly Reason[];
  readonly subject: string;
  readonly messageId: string;
  /** Present for an `acm-approval` whose fields could all be read; null otherwise. */
  readonly approval: ApprovalRequest | null;
}

/** SES's verdict statuses (SES receipt event `receipt.*Verdict.status`, and the `X-SES-*` headers). */
export type SesStatus = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED';

/** The part of an SES receipt event's `receipt` object the trust gate reads (sample 16). */
export interface SesReceipt {
  readonly spfVerdict?: { readonly status: string };
  readonly dkimVerdict?: { readonly status: string };
  readonly dmarcVerdict?: { readonly status: string };
  readonly spamVerdict?: { readonly status: string };
  readonly virusVerdict?: { readonly status: string };
}

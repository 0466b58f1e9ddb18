/**
 * What the events handler does with one of ACM's events: pure, values in and one decision out. The handler
 * (handlers/acm-events/) orders the side effects; the README's "ACM events from every account" states the rules.
 */
import type { CertificateRequestState } from '../state.js';
import { ACM_EVENT_TYPES, type AcmCertificateEvent, type ValidationMethod } from './acm-event.js';

/** Exactly one per ACM event id. */
export const ACM_EVENT_OUTCOMES = [
  /** Available for a certificate with open requests: recorded as issued, follow-up sent in each ticket's thread. */
  'issued',
  /** Available for a certificate no open request names (DNS-validated, or its mail never came to us). */
  'issued-no-request',
  /** Renewal due, email-validated, and no approval mail in the window: alerted (once per certificate and window). */
  'renewal-mail-missing',
  /** Renewal due and approval mail for it did arrive in the window: nothing to do. */
  'renewal-mail-arrived',
  /** Renewal due for a certificate that is DNS-validated, imported or private: no mail to expect. */
  'renewal-not-email-validated',
  /** Renewal due but whether mail is expected cannot be known (no status role, ACM unreachable, no expiry). */
  'renewal-unknown',
  /** Renewal due, but the window opened too recently for the mail to be late. */
  'renewal-window-opening',
  'expired',
  /** Not one of ACM's four events, or a field that cannot be read. */
  'unreadable',
] as const;
export type AcmEventOutcome = (typeof ACM_EVENT_OUTCOMES)[number];

/** ACM mails renewal approval requests from 45 days before expiry (ACM User Guide, email-renewal-validation.html). */
export const RENEWAL_MAIL_WINDOW_DAYS = 45;
/**
 * Days after the window opens before missing mail is alerted: ACM's first renewal mail and its first Approaching
 * Expiration event can come the same day, in either order, and a mail may take a while through forwarding.
 */
export const RENEWAL_MAIL_GRACE_DAYS = 3;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What ACM's DescribeCertificate said, through the account's status role; null when it could not be asked. */
export interface DescribedCertificate {
  readonly type: string | null;
  readonly validationMethod: ValidationMethod | null;
  readonly domainName: string | null;
  readonly notAfter: string | null;
}

/** Whether approval mail is expected for the certificate's renewal, and how we know. */
export type MailExpectation =
  | { readonly expected: true; readonly because: 'event' | 'acm' | 'mail-seen' }
  | { readonly expected: false; readonly because: 'event' | 'acm'; readonly method: string }
  | { readonly expected: null; readonly because: 'unknown' };

/**
 * The event's own `DomainValidationMethod` first, then ACM's answer; without either, a certificate whose approval
 * mail reached us before is email-validated (DNS-validated certificates get no mail). Otherwise unknown: no alert,
 * since a guess would alert on every DNS-validated certificate of the organisation.
 */
export function mailExpectation(
  event: AcmCertificateEvent,
  described: DescribedCertificate | null,
  requests: readonly CertificateRequestState[],
): MailExpectation {
  const type = event.certificateType ?? described?.type ?? null;
  if (type !== null && type !== 'AMAZON_ISSUED') {
    return { expected: false, because: event.certificateType !== null ? 'event' : 'acm', method: type };
  }
  if (event.validationMethod !== null) {
    return event.validationMethod === 'EMAIL'
      ? { expected: true, because: 'event' }
      : { expected: false, because: 'event', method: event.validationMethod };
  }
  if (described?.validationMethod) {
    return described.validationMethod === 'EMAIL'
      ? { expected: true, because: 'acm' }
      : { expected: false, because: 'acm', method: described.validationMethod };
  }
  if (requests.length > 0) return { expected: true, because: 'mail-seen' };
  return { expected: null, because: 'unknown' };
}

/** The renewal window an event falls in: from 45 days before the certificate's expiry. */
export interface RenewalWindow {
  readonly start: string;
  readonly certificateExpiresAt: string;
}

export function renewalWindowOf(
  event: AcmCertificateEvent,
  described: DescribedCertificate | null,
): RenewalWindow | null {
  const fromDays = event.daysToExpiry !== null ? Date.parse(event.time) + event.daysToExpiry * DAY_MS : Number.NaN;
  const expiresAt =
    event.expiresAt ??
    (event.daysToExpiry !== null
      ? Number.isFinite(new Date(fromDays).getTime())
        ? new Date(fromDays).toISOString()
        : null
      : (described?.notAfter ?? null));
  // A window whose start or end no date can hold is no window (a hostile or broken event): the renewal stays unknown.
  if (
    expiresAt === null ||
    !Number.isFinite(new Date(Date.parse(expiresAt) - RENEWAL_MAIL_WINDOW_DAYS * DAY_MS).getTime())
  )
    return null;
  return {
    start: new Date(Date.parse(expiresAt) - RENEWAL_MAIL_WINDOW_DAYS * DAY_MS).toISOString(),
    certificateExpiresAt: expiresAt,
  };
}

export type AcmEventDecision =
  | { readonly outcome: 'issued'; readonly close: readonly CertificateRequestState[] }
  | { readonly outcome: 'issued-no-request' }
  | {
      readonly outcome: 'renewal-mail-missing';
      readonly window: RenewalWindow;
      readonly domain: string;
      readonly expectation: MailExpectation;
    }
  | { readonly outcome: 'renewal-mail-arrived'; readonly requestKeys: readonly string[] }
  | { readonly outcome: 'renewal-not-email-validated'; readonly method: string }
  | { readonly outcome: 'renewal-unknown'; readonly why: string }
  | { readonly outcome: 'renewal-window-opening'; readonly window: RenewalWindow }
  | { readonly outcome: 'expired'; readonly openRequestKeys: readonly string[] };

export interface DecisionInput {
  readonly event: AcmCertificateEvent;
  /** The certificate's requests (current windows) the router recorded. */
  readonly requests: readonly CertificateRequestState[];
  /** ACM's answer through the status role; null without one (or when it failed). */
  readonly described: DescribedCertificate | null;
}

/** Requests that are still open: not yet recorded as issued, or issued by this very event (a retry resumes). */
export function openRequestsFor(event: AcmCertificateEvent, requests: readonly CertificateRequestState[]) {
  return requests.filter((request) => request.issuedAt === null || request.issuedByEvent === event.id);
}

export function decideAcmEvent(input: DecisionInput): AcmEventDecision {
  const { event, requests, described } = input;
  switch (event.type) {
    case ACM_EVENT_TYPES.available: {
      const close = openRequestsFor(event, requests);
      return close.length > 0 ? { outcome: 'issued', close } : { outcome: 'issued-no-request' };
    }
    case ACM_EVENT_TYPES.expired:
      return { outcome: 'expired', openRequestKeys: openRequestsFor(event, requests).map((request) => request.key) };
    case ACM_EVENT_TYPES.approachingExpiration:
    case ACM_EVENT_TYPES.renewalActionRequired:
      return decideRenewal(event, requests, described);
  }
}

function decideRenewal(
  event: AcmCertificateEvent,
  requests: readonly CertificateRequestState[],
  described: DescribedCertificate | null,
): AcmEventDecision {
  const expectation = mailExpectation(event, described, requests);
  if (expectation.expected === false) return { outcome: 'renewal-not-email-validated', method: expectation.method };
  if (expectation.expected === null) {
    return {
      outcome: 'renewal-unknown',
      why: 'validation method unknown (no status role for the account, or ACM unreachable)',
    };
  }
  const window = renewalWindowOf(event, described);
  if (window === null) return { outcome: 'renewal-unknown', why: 'the certificate expiry is unknown' };
  const arrived = requests.filter((request) => request.latestReceivedAt >= window.start);
  if (arrived.length > 0)
    return { outcome: 'renewal-mail-arrived', requestKeys: arrived.map((request) => request.key) };
  if (Date.parse(event.time) < Date.parse(window.start) + RENEWAL_MAIL_GRACE_DAYS * DAY_MS) {
    return { outcome: 'renewal-window-opening', window };
  }
  const domain = event.commonName ?? described?.domainName ?? requests[0]?.domain ?? event.certificateArn;
  return { outcome: 'renewal-mail-missing', window, domain, expectation };
}

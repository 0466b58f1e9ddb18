/** What the events handler needs from the outside world (handlers/acm-events/). */
import type { DescribedCertificate } from '../core/acm-events/decide.js';
import type { AcmEventOutcomeRecord, CertificateRequestState } from '../core/state.js';

export interface CertificateEventStore {
  recordedOutcome(eventId: string): Promise<AcmEventOutcomeRecord | null>;
  /**
   * Takes the event for this delivery until `until` (ISO time): false while another delivery of the same event holds
   * it. Two deliveries of one event at once would otherwise both pass the per-event claims and both send.
   */
  leaseEvent(eventId: string, now: string, until: string, expiresAtEpoch: number): Promise<boolean>;
  /** Gives the event up after a failure, so that the retry need not wait for the lease to run out. */
  releaseEvent(eventId: string): Promise<void>;
  /** Records the outcome unless one exists; returns the one that stands. */
  recordOutcome(record: AcmEventOutcomeRecord): Promise<AcmEventOutcomeRecord>;
  /** The certificate's requests (each one's current window), as the router listed them under the certificate. */
  requestsOf(certificateArn: string): Promise<CertificateRequestState[]>;
  /**
   * Records the request as issued by this event. True when this event may send its follow-up: it recorded it, or
   * recorded it before (a retry); false when another event already did.
   */
  markIssued(requestKey: string, eventId: string, issuedAt: string): Promise<boolean>;
  /** The follow-up was sent: a retry does not send it again. */
  markIssuedNoticeSent(requestKey: string, eventId: string, at: string): Promise<void>;
  /**
   * True when this event may send the missing-mail alert of the certificate's renewal window that ends at
   * `certificateExpiresAt` (window starts at `windowStart`): no alert yet for this window, or this event's own (a
   * retry). An alert of an earlier window (its expiry before this window's start) does not count.
   */
  claimRenewalAlert(
    certificateArn: string,
    eventId: string,
    window: { readonly start: string; readonly certificateExpiresAt: string },
    expiresAtEpoch: number,
  ): Promise<boolean>;
}

export interface CertificateDescriber {
  /**
   * ACM's DescribeCertificate through the owning account's status role; null when no role is configured for the
   * account or ACM could not be asked (logged by the adapter): the caller decides without it.
   */
  describe(accountId: string, region: string, certificateArn: string): Promise<DescribedCertificate | null>;
}

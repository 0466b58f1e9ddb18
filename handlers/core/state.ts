/**
 * The state model: what the state table holds, as the router, the digest and the local run read and write it. Only
 * types; the table's items are made from and read into these by one codec (adapters/request-table-codec.ts).
 *
 * - a request: one certificate and one domain name (`key`), its current 72-hour window, and what has been delivered;
 * - a message's outcome: exactly one per SES message id, security outcomes with the facts the digest lists;
 * - alert markers and hourly budgets, which hold no record of their own (see the codec);
 * - the mailbox canary's probes, per run, and its last word on each watched address.
 */
import type { AcmEventOutcome } from './acm-events/decide.js';
import type { ProbePath } from './canary/targets.js';
import type { ProductEvent } from './product-events.js';
import type { Outcome } from './routing/outcomes.js';

/** What every stored copy of a request says about it: the router's claim, the state table, the digest. */
export interface RequestRecord {
  readonly key: string;
  readonly domain: string;
  readonly accountId: string;
  readonly region: string;
  readonly certificateArn: string;
  readonly owner: string;
  readonly renewal: boolean;
  readonly trust: 'trusted' | 'unverified';
  readonly approvalDeadline: string;
}

/**
 * A link a copy of the request carried, with the trust of the mail it came in. A link is clickable anywhere only when
 * it came in trusted mail (from one of our accounts: other accounts' requests are never stored): a newer link from an
 * unverified copy never inherits the trust of an earlier trusted one.
 */
export interface SeenLink {
  readonly url: string;
  readonly trust: 'trusted' | 'unverified';
  readonly receivedAt: string;
}

/** A request's current window as every reader needs it. */
export interface RequestWindow extends RequestRecord {
  readonly firstReceivedAt: string;
  readonly addresses: readonly string[];
  /** Every link the request's copies carried, oldest first, each with the trust of its own mail. */
  readonly links: readonly SeenLink[];
}

/** What identifies a request and whom it goes to: the same in a claim and in the stored request. */
export interface RequestFacts extends RequestRecord {
  readonly threadAnchor: string;
}

/** A request as the router's claims see it. */
export interface StoredRequest extends RequestWindow, RequestFacts {
  readonly latestReceivedAt: string;
  readonly status: 'claimed' | 'delivered';
  readonly claimedBy: string | null;
  /** SES's id of the first ticket mail sent (to the first queue); null until one was sent. */
  readonly ticketMessageId: string | null;
  /** The subject the first ticket was sent with: a follow-up's subject repeats it, so it threads by subject too. */
  readonly ticketSubject: string | null;
  /**
   * SES's id of the first ticket mail to each queue, by lower-case queue address: each queue's system threads the
   * follow-ups by its own. Empty for requests stored before tickets were kept per queue (one mail went to all).
   */
  readonly ticketMessageIds: Readonly<Record<string, string>>;
  readonly publishedAt: string | null;
  readonly pendingFollowUpBy: string | null;
}

/** A request as the digest sees it. */
export interface DigestRequest extends RequestWindow {
  readonly certificateExpiresAt: string | null;
  readonly ticketSubject: string | null;
  readonly ticketMessageId: string | null;
  /** When ACM's `Certificate Available` event said the certificate is issued (the events handler); else absent. */
  readonly issuedAt?: string | null;
}

/**
 * A request as the events handler sees it, found by its certificate: the router's stored request and what ACM's
 * events have recorded on it.
 */
export interface CertificateRequestState extends StoredRequest {
  /** When ACM said the certificate is issued; null while it has not. */
  readonly issuedAt: string | null;
  /** The ACM event that recorded it issued (its retries resume the follow-up). */
  readonly issuedByEvent: string | null;
  /** When the "issued: you can close this ticket" follow-up was sent; null until it was. */
  readonly issuedNoticeSentAt: string | null;
}

/** The one outcome of one ACM event (keyed by EventBridge's event id). */
export interface AcmEventOutcomeRecord {
  readonly eventId: string;
  readonly outcome: AcmEventOutcome;
  readonly detailType: string | null;
  readonly certificateArn: string | null;
  readonly accountId: string | null;
  readonly requestKeys: readonly string[];
  readonly detail: string | null;
  readonly recordedAt: string;
  readonly expiresAtEpoch: number;
}

/** One copy's bid to deliver a request. */
export interface ClaimRequest extends RequestFacts {
  readonly messageId: string;
  readonly receivedAt: string;
  readonly recipients: readonly string[];
  readonly approvalUrl: string | null;
  readonly linkDigest: string | null;
  /** The certificate's expiry when the mail states it (renewals). */
  readonly certificateExpiresAt: string | null;
  /** When our claim may be taken over by another copy if we have not delivered by then. */
  readonly claimExpiresAt: string;
  /** Clock time of this attempt (claims expire against it). */
  readonly now: string;
  /** Epoch seconds: DynamoDB's TTL. */
  readonly expiresAtEpoch: number;
}

/**
 * - `new`: we opened the request and must deliver its ticket.
 * - `resume`: a claim of ours (a retry) or an abandoned one we took over; deliver what is missing.
 * - `follow-up`: a resend inside the window with a link not seen before; we must send the follow-up.
 * - `duplicate`: already delivered, nothing to do.
 * - `in-progress`: another copy holds a fresh claim; wait and ask again.
 */
export type ClaimKind = 'new' | 'resume' | 'follow-up' | 'duplicate' | 'in-progress';

export interface Claim {
  readonly kind: ClaimKind;
  readonly request: StoredRequest;
}

/** What the router records of a security outcome for the digest's summary (no link, ever). */
export interface SecurityEventFacts {
  readonly subject: string;
  readonly domain: string | null;
  readonly accountId: string | null;
  readonly region: string | null;
  readonly certificateArn: string | null;
  readonly authenticated: boolean;
}

/** The one outcome of a message. */
export interface OutcomeRecord {
  readonly messageId: string;
  readonly outcome: Outcome;
  readonly requestKey: string | null;
  readonly reasons: readonly string[];
  readonly detail: string | null;
  readonly recordedAt: string;
  readonly expiresAtEpoch: number;
  /** For security outcomes: what the digest's security summary lists (no link, ever). */
  readonly security?: SecurityEventFacts;
  /**
   * The product events this outcome still owes the central bus: written with the outcome, removed once PutEvents
   * accepted them (`markEventsPut`). A retry that finds the outcome recorded puts them again (README, "Events out").
   */
  readonly pendingEvents?: readonly ProductEvent[];
}

/** A foreign-account, suspicious or unparseable outcome, as the digest reads it. */
export interface SecurityEvent extends SecurityEventFacts {
  readonly messageId: string;
  readonly outcome: 'foreign-account' | 'suspicious' | 'unparseable';
  readonly recordedAt: string;
  readonly requestKey: string | null;
  readonly reasons: readonly string[];
}

/**
 * One canary probe: sent to one watched address in one run, and what became of it. Kept under its run, so the
 * run's check reads all of its probes at once.
 */
export interface ProbeRecord {
  readonly runId: string;
  readonly address: string;
  readonly domain: string;
  readonly path: ProbePath;
  readonly sentAt: string;
  /** When the run's check looks: `sentAt` plus the configured arrival time. */
  readonly checkAt: string;
  /** When the router recorded it arriving, by which SES message; null while it has not. */
  readonly arrivedAt: string | null;
  readonly arrivalMessageId: string | null;
  /** When the check alerted that it had not arrived; null when it has not (or it was in time). */
  readonly missingAlertedAt: string | null;
  /** When a late arrival sent the follow-up that clears that alert. */
  readonly lateClearedAt: string | null;
}

/** The canary's last word on one address, for the digest and `acm-mail doctor`. */
export interface ProbeAddressState {
  readonly address: string;
  readonly domain: string;
  readonly path: ProbePath;
  readonly lastRunId: string | null;
  readonly lastSentAt: string | null;
  /** When a probe to it last arrived (the newest arrival of any run), and when that probe had been sent. */
  readonly lastArrivedAt: string | null;
  readonly lastArrivedSentAt: string | null;
  /** When a run's check last found its probe missing. */
  readonly lastMissingAt: string | null;
}

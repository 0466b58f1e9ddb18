/**
 * What the router needs from the outside world, as small interfaces. The Lambda wires AWS adapters
 * (handlers/adapters/), the local run and the tests wire the same adapters pointed at local emulators.
 */
import type { SecurityEventFacts } from '../core/digest/digest.js';
import type { Outcome } from '../core/routing/outcomes.js';
import type { RequestRecord, SeenLink } from '../core/routing/request-key.js';

export interface StoredMail {
  /** At most the parser's size limit plus one byte: enough to classify an oversize mail, never more. */
  readonly bytes: Buffer;
  /** The object's full size. */
  readonly sizeBytes: number;
}

export interface MailArchive {
  /** The raw mail SES stored under `inbound/<messageId>`; null when there is no such object. */
  readInbound(messageId: string, maxBytes: number): Promise<StoredMail | null>;
  /** Copies a mail under `quarantine/`; returns its location. */
  quarantine(messageId: string, bytes: Buffer): Promise<string>;
  /** `s3://bucket/key` of an inbound mail, for tickets and alerts. */
  inboundLocation(messageId: string): string;
}

/** What identifies a request and whom it goes to: the same in a claim and in the stored request. */
export interface RequestFacts extends RequestRecord {
  readonly threadAnchor: string;
}

/** A request as the state table holds it. */
export interface StoredRequest extends RequestFacts {
  readonly firstReceivedAt: string;
  readonly latestReceivedAt: string;
  readonly addresses: readonly string[];
  /** Every link a copy carried, oldest first, each with the trust of its mail. */
  readonly links: readonly SeenLink[];
  readonly status: 'claimed' | 'delivered';
  readonly claimedBy: string | null;
  readonly ticketMessageId: string | null;
  readonly publishedAt: string | null;
  readonly pendingFollowUpBy: string | null;
}

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
}

export interface RequestStore {
  recordedOutcome(messageId: string): Promise<OutcomeRecord | null>;
  /** Records the outcome unless one exists; returns the one that stands. */
  recordOutcome(record: OutcomeRecord): Promise<OutcomeRecord>;
  claim(request: ClaimRequest): Promise<Claim>;
  markTicketSent(key: string, messageId: string, ticketMessageId: string, ticketSubject: string): Promise<void>;
  markPublished(key: string, messageId: string, at: string): Promise<void>;
  /** Ends our claim: the request is delivered. */
  markDelivered(key: string, messageId: string): Promise<void>;
  finishFollowUp(key: string, messageId: string): Promise<void>;
  /** True when this message may send the alert `alertKey` (first to ask, or the same message retrying). */
  claimAlert(alertKey: string, messageId: string, expiresAtEpoch: number): Promise<boolean>;
  /** Takes one of `max` slots of the hour bucket; false when they are gone. */
  takeHourlySlot(bucket: string, max: number, expiresAtEpoch: number): Promise<boolean>;
}

export interface OutgoingMail {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Message-ID-shaped anchors for threading (`References`); the first is also `In-Reply-To` for follow-ups. */
  readonly references?: readonly string[];
  readonly inReplyTo?: string;
}

export interface Notifier {
  /** Sends a new message from the configured sender; returns the id SES gave it. */
  sendMail(mail: OutgoingMail): Promise<string>;
  publish(topic: 'approvals' | 'alerts', message: object, attributes: Readonly<Record<string, string>>): Promise<void>;
}

export interface Metrics {
  count(name: string): void;
  /** Writes what was counted (CloudWatch EMF in Lambda). */
  flush(): void;
}

export interface RouterLogger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

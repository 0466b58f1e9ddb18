/**
 * What the router needs from the outside world, as small interfaces. The Lambda wires AWS adapters
 * (handlers/adapters/), the local run and the tests wire the same adapters pointed at local emulators.
 */
import type { Claim, ClaimRequest, OutcomeRecord } from '../core/state.js';
import type { Mailer } from './mail.js';

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

export interface RequestStore {
  recordedOutcome(messageId: string): Promise<OutcomeRecord | null>;
  /** Records the outcome unless one exists; returns the one that stands. */
  recordOutcome(record: OutcomeRecord): Promise<OutcomeRecord>;
  /** The outcome's `pendingEvents` were put on the bus: forgets them (a no-op when there are none). */
  markEventsPut(messageId: string): Promise<void>;
  claim(request: ClaimRequest): Promise<Claim>;
  /**
   * Records the ticket mails sent so far: `ticketMessageIds` holds every queue's first ticket (lower-case address to
   * SES's id), the earlier ones included; the first id sent also becomes the request's `ticketMessageId`.
   */
  markTicketSent(
    key: string,
    messageId: string,
    ticketMessageIds: Readonly<Record<string, string>>,
    ticketSubject: string,
  ): Promise<void>;
  markPublished(key: string, messageId: string, at: string): Promise<void>;
  /** Ends our claim: the request is delivered. */
  markDelivered(key: string, messageId: string): Promise<void>;
  finishFollowUp(key: string, messageId: string): Promise<void>;
  /** True when this message may send the alert `alertKey` (first to ask, or the same message retrying). */
  claimAlert(alertKey: string, messageId: string, expiresAtEpoch: number): Promise<boolean>;
  /** Takes one of `max` slots of the hour bucket; false when they are gone. */
  takeHourlySlot(bucket: string, max: number, expiresAtEpoch: number): Promise<boolean>;
}

export type Topic = 'approvals' | 'alerts';

export interface Notifier extends Mailer {
  publish(topic: Topic, message: object, attributes: Readonly<Record<string, string>>): Promise<void>;
}

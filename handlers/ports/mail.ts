/** Mail we send (tickets, alerts, summaries, digests): SES v2 in production, the SES emulator locally. */

export interface OutgoingMail {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Message-ID-shaped anchors for threading (`References`); the first is also `In-Reply-To` for follow-ups. */
  readonly references?: readonly string[];
  readonly inReplyTo?: string;
  /** Where replies go (`Reply-To`), when not to the sender: an owner's `replyTo` on its ticket mail. */
  readonly replyTo?: string;
  /**
   * Header fields of the receiver's delivery profile (core/routing/delivery-profiles.ts): `X-ACM-Validation-Mail`,
   * and `Auto-Submitted` only where the receiver keeps such mail. @default those of mail to a person: automatic,
   * and `X-ACM-Validation-Mail: notification`
   */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Mailer {
  /** Sends a new message from the configured sender; returns the id SES gave it. */
  sendMail(mail: OutgoingMail): Promise<string>;
}

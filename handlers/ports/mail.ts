/** Mail we send (tickets, alerts, summaries, digests): SES v2 in production, the SES emulator locally. */

export interface OutgoingMail {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Message-ID-shaped anchors for threading (`References`); the first is also `In-Reply-To` for follow-ups. */
  readonly references?: readonly string[];
  readonly inReplyTo?: string;
}

export interface Mailer {
  /** Sends a new message from the configured sender; returns the id SES gave it. */
  sendMail(mail: OutgoingMail): Promise<string>;
}

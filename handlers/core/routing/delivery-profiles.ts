/**
 * Delivery profiles: the header fields and the threading of mail we send into a ticket queue, per ticket system.
 * Each system makes a ticket from the first mail of a request and a comment from its follow-ups only when the mail
 * carries what the system threads by and nothing that makes it drop or suspend the mail. Pure: values in, values out.
 *
 * What every profile shares, and why the "automatic mail" headers can go for ticket systems:
 * - `X-ACM-Validation-Mail` identifies our mail on every mail we send (kind, and for tickets an opaque request id:
 *   the hash of the request key that the thread anchor also carries; never a link, a code or an account secret).
 * - Loop protection does not rest on `Auto-Submitted` (RFC 3834): the sender is never a watched or a queue address
 *   (configuration/parse.ts), the mailer refuses watched addresses again, and the router's loop guard quiets mail
 *   from our sender whatever its other headers say (decide.ts).
 * - No profile writes `Return-Path`, and none can make it null: SES sets the envelope sender (MAIL FROM) of every
 *   mail it sends, to the sender's address or to its custom MAIL FROM domain, and the receiving server writes
 *   `Return-Path` from that. Jira drops mail with a null Return-Path as a delivery status notification.
 * - `Precedence: bulk` is never written: our mail is one mail per request to one queue, not a list.
 *
 * Sources (each cited again where a choice rests on it):
 * - [JSM-PROCESS] Atlassian, "How does Jira Service Management process email requests?",
 *   https://support.atlassian.com/jira-service-management-cloud/docs/how-does-jira-service-management-process-email-requests/
 * - [JSM-REJECTED] Atlassian knowledge base, "Emails sent by customers are Rejected by Jira Service Management mail
 *   handler", https://confluence.atlassian.com/jirakb/emails-sent-by-customers-are-rejected-by-jira-service-management-mail-handler-1085191121.html
 * - [JSM-THREAD] Atlassian knowledge base, "Incoming email should be a new issue instead of a comment in JSM Cloud",
 *   https://confluence.atlassian.com/jirakb/incoming-email-should-be-a-new-issue-instead-of-a-comment-in-jsm-cloud-1155485862.html
 * - [ZD-SUSPEND] Zendesk, "Causes for ticket suspension",
 *   https://support.zendesk.com/hc/en-us/articles/4408828416282-Causes-for-ticket-suspension
 * - [ZD-THREAD] Zendesk, "How are incoming emails threaded to tickets?",
 *   https://support.zendesk.com/hc/en-us/articles/8396827889946-How-are-incoming-emails-threaded-to-tickets
 * - [SN-CRITERIA] ServiceNow, "Criteria for matching email to inbound actions",
 *   https://www.servicenow.com/docs/r/platform-administration/inbound-action-type-criteria.html
 * - [SN-PROCESSING] ServiceNow, "Inbound email action processing",
 *   https://www.servicenow.com/docs/r/platform-administration/inbound-action-processing.html
 * - [SN-WATERMARK] ServiceNow, "Watermarks on notification emails",
 *   https://www.servicenow.com/docs/r/platform-administration/c_WorkingWithWatermarks.html
 * - [SN-FILTERS] ServiceNow, "Email filters",
 *   https://www.servicenow.com/docs/r/platform-administration/c_EmailFilters.html
 * - [FD-THREAD] Freshdesk, "Why is a customer's reply to a ticket creating a new ticket? (Email threading)",
 *   https://support.freshdesk.com/en/support/solutions/articles/226802-why-is-a-customer-s-reply-to-a-ticket-creating-a-new-ticket-email-threading-
 * - [FD-SPAM] Freshworks community, "Proactive spam filter for emails",
 *   https://community.freshworks.com/product-updates/proactive-spam-filter-for-emails-19151
 * - [RFC3834] RFC 3834, "Recommendations for Automatic Responses to Electronic Mail", section 5 (Auto-Submitted).
 */
import type { TicketSystem } from '../configuration/schema.js';
import { PROJECT_HEADER } from '../header-facts.js';

export { PROJECT_HEADER };

/** What a mail we send is, as `X-ACM-Validation-Mail` says it. */
export type OutgoingMailKind = 'ticket' | 'follow-up' | 'summary' | 'alert' | 'digest' | 'notification' | 'probe';

/**
 * The headers that mark mail as automatic: RFC 3834's `Auto-Submitted` (autoresponders must not answer it) and
 * Microsoft Exchange's `X-Auto-Response-Suppress` (no out-of-office or delivery receipts back). Right for people's
 * mailboxes and lists, which would otherwise answer our mail; wrong for ticket systems, which drop or suspend it.
 */
export const AUTOMATIC_MAIL_HEADERS: Readonly<Record<string, string>> = {
  'Auto-Submitted': 'auto-generated',
  'X-Auto-Response-Suppress': 'All',
};

/** How a system can attach a follow-up to the ticket of the first mail, without its API. */
export interface DeliveryProfile {
  readonly system: TicketSystem;
  /** Whether our mail may say it is automatic (AUTOMATIC_MAIL_HEADERS) without being dropped or suspended. */
  readonly marksAutomatic: boolean;
  /**
   * `In-Reply-To` of a follow-up: `first-ticket` names the first ticket mail as the queue received it (SES's
   * Message-ID), the one id the system stored; `thread-anchor` names our anchor, as mail clients need no more.
   */
  readonly followUpInReplyTo: 'first-ticket' | 'thread-anchor';
}

/**
 * The profiles. Threading: every system below matches a follow-up's `In-Reply-To`/`References` against the
 * Message-IDs of mail it already took into a ticket; SES replaces the Message-ID we write with its own
 * (`<id@<region>.amazonses.com>`), so the id that works is the one SES gave the first ticket mail to that queue.
 */
export const DELIVERY_PROFILES: Readonly<Record<TicketSystem, DeliveryProfile>> = {
  // [JSM-PROCESS], [JSM-REJECTED]: the mail processor rejects mail whose auto-submitted header contains
  // auto-generated, auto-replied or auto-notified ("Auto-reply mail"), `Precedence: bulk` ("Bulk mail"), and a null
  // Return-Path or a multipart/report delivery status ("Automated delivery status message"), unless the sender's
  // domain is on the project's allowlist. It does not name X-Auto-Response-Suppress, but that header says "automatic"
  // as much as Auto-Submitted does and answers no need of a ticket system, so it goes too.
  // [JSM-THREAD]: Jira stores the Message-ID of every mail it processes; a later mail whose In-Reply-To or References
  // names one becomes a comment on that issue (as does an issue key in the subject, which we cannot know), provided
  // the sender is involved in the issue: the same From, our sender, is its reporter.
  'jira-service-management': {
    system: 'jira-service-management',
    marksAutomatic: false,
    followUpInReplyTo: 'first-ticket',
  },
  // [ZD-SUSPEND]: mail whose header "indicates that the message is an auto-generated email of any kind" is suspended
  // as "Automated response mail" (Zendesk names the API and the Channels framework as the only supported programmatic
  // way); many mails from one sender in a short time are suspended as a loop and the sender blocked for an hour;
  // mail from a "noreply" address is suspended (configuration/parse.ts refuses such a sender for Zendesk queues).
  // [ZD-THREAD]: Zendesk checks the References and In-Reply-To message ids against its existing tickets; its other
  // markers (an encoded id `[XXXXXX-XXXX]` in the body, `support+id<encoded>@` addresses) come from Zendesk's own
  // notifications, which we never see, and need its API to know.
  zendesk: { system: 'zendesk', marksAutomatic: false, followUpInReplyTo: 'first-ticket' },
  // [SN-CRITERIA], [SN-PROCESSING]: an email is a reply when it carries a watermark of an existing record, else a
  // reply prefix plus a record number in the subject, else an In-Reply-To header that matches an existing record
  // (In-Reply-To only: References is not named). The watermark (`Ref:MSG...`, [SN-WATERMARK]) and the record number
  // (INC...) are made by the instance after our first mail arrived: without its API we cannot know them, so the
  // follow-up's In-Reply-To must name the first ticket mail. Where the instance does not match it, the follow-up
  // becomes a new record. [SN-FILTERS]: inbound mail is ignored by admin-defined email filters; any "automatic" header
  // is a reason a filter may use, and none helps make a record, so none is sent.
  servicenow: { system: 'servicenow', marksAutomatic: false, followUpInReplyTo: 'first-ticket' },
  // [FD-THREAD]: a mail threads into a ticket by the ticket id `[#123]` in the subject, by Message-ID (In-Reply-To /
  // References naming a mail of the ticket) or by a unique identifier Freshdesk hides in its own notifications. The
  // id and the identifier are Freshdesk's, known only through its API; the Message-ID works without it.
  // [FD-SPAM]: Freshdesk scores incoming mail for spam by undisclosed rules; "automatic" headers are what helpdesks
  // commonly drop, and none helps make a ticket, so none is sent.
  freshdesk: { system: 'freshdesk', marksAutomatic: false, followUpInReplyTo: 'first-ticket' },
  // A person's mailbox or a generic list: today's behaviour. [RFC3834]: autoresponders must not answer
  // auto-generated mail, which keeps out-of-office replies away from our sender. Mail clients thread by References.
  mail: { system: 'mail', marksAutomatic: true, followUpInReplyTo: 'thread-anchor' },
};

/** The value of `X-ACM-Validation-Mail`: the kind, and for ticket mail the opaque request id. */
export function projectHeaderValue(kind: OutgoingMailKind, requestId?: string): string {
  return requestId === undefined ? kind : `${kind}; request=${requestId}`;
}

/** Header fields of mail to a person (alerts, digests): automatic, and ours. */
export function personMailHeaders(kind: OutgoingMailKind): Readonly<Record<string, string>> {
  return { [PROJECT_HEADER]: projectHeaderValue(kind), ...AUTOMATIC_MAIL_HEADERS };
}

/** Header fields of a mail into a queue of `system`: ours, and automatic only where the system keeps such mail. */
export function queueMailHeaders(
  system: TicketSystem,
  kind: OutgoingMailKind,
  requestId?: string,
): Readonly<Record<string, string>> {
  return {
    [PROJECT_HEADER]: projectHeaderValue(kind, requestId),
    ...(DELIVERY_PROFILES[system].marksAutomatic ? AUTOMATIC_MAIL_HEADERS : {}),
  };
}

export interface QueueThreading {
  readonly references: readonly string[];
  readonly inReplyTo: string | undefined;
}

/**
 * The threading of one ticket mail to one queue. Every mail about a request references the thread anchor; a
 * follow-up also references the first ticket mail to this queue (SES's Message-ID for it, when known) and replies to
 * it where the system threads by In-Reply-To. Without a known first ticket (a queue added after it was sent, or
 * state written before tickets were kept per queue) the follow-up replies to the anchor: the system then makes a new
 * ticket, never a comment on someone else's.
 */
export function queueThreading(
  system: TicketSystem,
  thread: { readonly anchor: string; readonly firstTicket: string | null },
  followUp: boolean,
): QueueThreading {
  const references = thread.firstTicket === null ? [thread.anchor] : [thread.anchor, thread.firstTicket];
  if (!followUp) return { references, inReplyTo: undefined };
  const repliesToFirst = DELIVERY_PROFILES[system].followUpInReplyTo === 'first-ticket' && thread.firstTicket !== null;
  return { references, inReplyTo: repliesToFirst ? (thread.firstTicket ?? undefined) : thread.anchor };
}

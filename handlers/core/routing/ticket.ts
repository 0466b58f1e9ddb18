/**
 * The ticket an owner receives for one approval request, in the owner's language and time zone. Only a trusted mail
 * from one of our accounts gets a clickable approval link. An unverified copy (a forward) names the request but
 * withholds its link, defanged and redacted: a link from unproven mail may be a stranger's own approval link dressed
 * as ours, and the way to a usable one is a resend from the ACM console, which arrives authenticated.
 *
 * The subject says what matters first: that the copy is unverified (when it is), then kind, domain, account and the
 * deadline, so a queue's list view is enough to triage. It is built only from fields the parser checked (domain,
 * account id) and from our configuration (account name), never from the mail's own subject.
 */
import type { Locale } from '../configuration/schema.js';
import { catalogueFor } from '../i18n/catalogue.js';
import { zonedTimeShort, zonedTimeWithUtc } from '../i18n/time.js';
import type { ApprovalRequest } from '../types.js';
import { defangLink, presentAddress } from './defang.js';
import {
  consoleLink,
  escapeHtml,
  htmlDocument,
  htmlParagraphs,
  htmlRows,
  type RenderedMail,
  textRows,
  timeToDeadline,
} from './presentation.js';

export interface TicketFacts {
  readonly approval: ApprovalRequest;
  readonly ownerName: string;
  readonly accountName: string | null;
  /** The mail was `trusted`: ACM's signature verified by SES. */
  readonly authenticated: boolean;
  readonly firstReceivedAt: string;
  readonly approvalDeadline: string;
  /** The watched addresses this request's copies reached so far. */
  readonly addresses: readonly string[];
  /** `s3://bucket/inbound/<messageId>` of the mail this ticket was made from. */
  readonly rawMail: string;
  readonly now: Date;
  /** A resend inside the window: a new link for the same request. */
  readonly followUp: boolean;
  /** The owner's language. */
  readonly locale: Locale;
  /** The owner's IANA time zone: every time in the ticket is shown in it, with UTC beside. */
  readonly timeZone: string;
  /** For a follow-up: the subject the request's first ticket was sent with (null when the store has none). */
  readonly firstTicketSubject: string | null;
}

/**
 * A follow-up's subject is the first ticket's, as sent, behind `Re: `: ticket systems that thread by subject (and
 * people scanning a queue) see one conversation, even when the follow-up's deadline or trust differ from the first
 * ticket's; the follow-up's own trust and new deadline lead its body. `Re: ` is the mail convention in every
 * language (RFC 5322 section 3.6.5), so it is not in the catalogue.
 */
const REPLY_PREFIX = 'Re: ';

export function renderTicket(facts: TicketFacts): RenderedMail {
  const { approval, locale, timeZone } = facts;
  const words = catalogueFor(locale).ticket;
  const at = (iso: string) => zonedTimeWithUtc(iso, timeZone, locale);
  const account = facts.accountName ? words.accountNamed(facts.accountName, approval.accountId) : approval.accountId;
  const ownSubject = words.subject({
    verified: facts.authenticated,
    renewal: approval.renewal,
    domain: approval.domain,
    account: facts.accountName ?? approval.accountId,
    deadline: zonedTimeShort(facts.approvalDeadline, timeZone, locale),
  });
  const subject = facts.followUp ? `${REPLY_PREFIX}${facts.firstTicketSubject ?? ownSubject}` : ownSubject;
  const labels = words.labels;
  const rows: [string, string][] = [
    [labels.domain, approval.domain],
    [labels.request, words.requestKind(approval.renewal)],
    [labels.account, account],
    [labels.region, approval.region],
    [labels.certificate, approval.certificateArn],
    [labels.console, consoleLink(approval)],
    [
      labels.approveBefore,
      words.approveBefore(at(facts.approvalDeadline), timeToDeadline(facts.approvalDeadline, facts.now)),
    ],
    ...(approval.expiresAt ? ([[labels.certificateExpires, at(approval.expiresAt)]] as [string, string][]) : []),
    [labels.firstReceived, at(facts.firstReceivedAt)],
    [labels.reachedAddresses, facts.addresses.map(presentAddress).join(', ')],
    [labels.rawMail, facts.rawMail],
    [labels.owner, facts.ownerName],
    [labels.authenticity, words.authenticity(facts.authenticated)],
  ];

  const intro = !facts.followUp
    ? words.intro(approval.domain)
    : facts.authenticated
      ? words.followUpTrusted
      : words.followUpUnverified;
  const checks = [
    words.checksHeading,
    words.checkRequested(approval.domain, account, approval.region),
    words.checkApprovalPage,
    words.checkNobodyAsked,
    words.approvingNote,
  ];

  // The link block says the same in both parts, in the same order; the HTML anchor shows the link itself as its text,
  // so what a reader sees is where it goes, and the text part is the HTML part's text.
  const link = approval.approvalUrl;
  let linkText: string;
  let linkHtml: string;
  if (link === null) {
    linkText = words.linkNone;
    linkHtml = `<p>${escapeHtml(linkText)}</p>`;
  } else if (facts.authenticated) {
    linkText = `${words.linkHeading}\n${link}`;
    linkHtml = `<p>${escapeHtml(words.linkHeading)}<br><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`;
  } else {
    const heading = words.linkWithheldHeading;
    const defanged = defangLink(link);
    const advice = words.linkWithheldAdvice(approval.accountId, facts.accountName);
    linkText = [heading, defanged, advice].join('\n');
    linkHtml = `<p><strong>${escapeHtml(heading)}</strong><br><code>${escapeHtml(defanged)}</code></p>${htmlParagraphs([advice])}`;
  }

  const text = [intro, '', textRows(rows), '', linkText, '', ...checks, ''].join('\n');
  const html = htmlDocument(
    subject,
    [htmlParagraphs([intro]), htmlRows(rows), linkHtml, htmlParagraphs(checks)].join('\n'),
    undefined,
    locale,
  );
  return { subject, text, html };
}

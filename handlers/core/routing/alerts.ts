/**
 * Security alerts (to the security contact and the alerts topic) and the summary of mail that is not ACM's. The
 * alerts are in English: the security contact is one address with no locale of its own; the summary goes to the
 * fallback owner's queue, in that owner's language. None carries a usable approval link: at most a defanged one with
 * its code and context redacted. Free text from the mail (its subject) goes through `presentMailText`, addresses through `presentAddress`; domains, accounts, regions and
 * ARNs are shown as they are, because the parser let through only well-formed ones (a DNS name holds no link).
 */
import type { Locale } from '../configuration/schema.js';
import { catalogueFor } from '../i18n/catalogue.js';
import { zonedTimeWithUtc } from '../i18n/time.js';
import { explainReasons } from '../reason-text.js';
import type { ApprovalRequest, Reason } from '../types.js';
import { defangLink, presentMailText as fromMail, presentAddress } from './defang.js';
import { formatUtc, htmlDocument, htmlParagraphs, htmlRows, type RenderedMail, textRows } from './presentation.js';

/** The address AWS asks people to write to about validation mail they did not expect (ACM User Guide). */
export const ACM_VALIDATION_QUESTIONS = 'validation-questions@amazon.com';

export interface AlertContext {
  readonly receivedAt: string;
  readonly recipients: readonly string[];
  /** The From address, the envelope sender (MAIL FROM) and SES's verdicts: who sent the mail, as far as SES knows. */
  readonly from: string | null;
  readonly envelopeFrom: string | null;
  readonly verdicts: string;
  /** `s3://bucket/key` of the raw mail and, when copied, of its quarantined copy. */
  readonly rawMail: string;
  readonly quarantined: string | null;
  readonly messageId: string;
}

export function renderForeignAccountAlert(
  approval: ApprovalRequest,
  authenticated: boolean,
  context: AlertContext,
): RenderedMail {
  const domain = approval.domain;
  const subject = `[ACM security] Certificate for ${domain} requested by AWS account ${approval.accountId}, not one of ours`;
  const summary =
    `A certificate for ${domain} was requested by AWS account ${approval.accountId}, which is not one of ours.` +
    (authenticated ? '' : ' The mail is an UNAUTHENTICATED copy: even the account id in it is only a claim.');
  const rows: [string, string][] = [
    ['Domain', domain],
    ['AWS account', `${approval.accountId} (not in the configured accounts)`],
    ['Region', approval.region],
    ['Certificate', approval.certificateArn],
    ['Request', approval.renewal ? 'renewal' : 'new certificate'],
    ['Authenticity', authenticated ? "ACM's signature verified by SES" : 'unauthenticated copy'],
    ['Approval link', approval.approvalUrl ? defangLink(approval.approvalUrl) : 'none'],
    ...arrivalRows(context),
  ];
  const advice = [
    'What to do:',
    '1. Do NOT approve it. Approving gives that account a publicly trusted certificate for our domain.',
    '2. Find out whether anyone in the organisation asked for it (a new AWS account not yet in the configuration?). If so, add the account to the configuration; the next resend is then routed to its owner.',
    `3. If nobody asked for it, report it to ${ACM_VALIDATION_QUESTIONS} with the certificate ARN above, and keep the raw mail.`,
  ];
  return compose(subject, [summary], rows, advice);
}

export function renderSuspiciousAlert(
  reasons: readonly Reason[],
  approval: ApprovalRequest | null,
  subjectLine: string,
  context: AlertContext,
): RenderedMail {
  const about = approval?.domain ?? fromMail(subjectLine || context.messageId);
  const subject = `[ACM security] Suspicious mail posing as an ACM approval request (${about})`;
  const rows: [string, string][] = [
    ['Why', explainReasons(reasons)],
    ['Subject', fromMail(subjectLine)],
    ...(approval
      ? ([
          ['Domain', approval.domain],
          ['AWS account', approval.accountId],
          ['Region', approval.region],
          ['Certificate', approval.certificateArn],
        ] as [string, string][])
      : []),
    ['Approval link', approval?.approvalUrl ? defangLink(approval.approvalUrl) : 'refused or absent'],
    ...arrivalRows(context),
  ];
  const advice = [
    'What to do:',
    '1. Do not follow any link in the original mail; nobody was sent a ticket for it.',
    '2. Review the quarantined copy. If it is phishing, block the sender; if it is a genuine ACM mail that failed a check (a relay rewriting it, say), resend the validation mail from the ACM console.',
  ];
  return compose(subject, ['A mail to a watched ACM mailbox failed a trust check.'], rows, advice);
}

export function renderUnparseableAlert(
  reasons: readonly Reason[],
  subjectLine: string,
  context: AlertContext,
): RenderedMail {
  const subject = `[ACM security] An ACM approval mail could not be read (${fromMail(subjectLine || context.messageId)})`;
  const rows: [string, string][] = [
    ['Missing or unreadable', explainReasons(reasons)],
    ['Subject', fromMail(subjectLine)],
    ...arrivalRows(context),
  ];
  const advice = [
    'What to do:',
    '1. Read the quarantined copy: ACM may have changed its template, or the mail may be a forgery.',
    '2. If it is a genuine request, find the certificate in the ACM console and handle it there; report the new format so the parser learns it.',
  ];
  return compose(
    subject,
    ['A mail in the ACM approval format arrived, but its domain, account, region or certificate could not be read.'],
    rows,
    advice,
  );
}

export interface NotAcmSummaryFacts {
  readonly from: string | null;
  readonly subject: string;
  readonly sizeBytes: number;
  readonly rawMail: string;
  readonly reasons: readonly Reason[];
  readonly receivedAt: string;
  readonly recipients: readonly string[];
  /** The fallback owner's language and time zone: the summary goes to its ticket queue. */
  readonly locale: Locale;
  readonly timeZone: string;
}

/**
 * Sender, subject, size and where the raw mail is: never its content. Written in the fallback owner's language; the
 * reasons stay in English (`reason-text.ts` is shared with the security alerts, which the security contact reads in
 * English).
 */
export function renderNotAcmSummary(facts: NotAcmSummaryFacts): RenderedMail {
  const words = catalogueFor(facts.locale).notAcm;
  const labels = words.labels;
  const subjectLine = fromMail(facts.subject);
  const rows: [string, string][] = [
    [labels.from, facts.from === null ? words.none : presentAddress(facts.from)],
    [labels.subject, subjectLine || words.none],
    [labels.size, words.sizeBytes(facts.sizeBytes)],
    [labels.whyNotAcm, explainReasons(facts.reasons) || '-'],
    [labels.received, zonedTimeWithUtc(facts.receivedAt, facts.timeZone, facts.locale)],
    [labels.reached, facts.recipients.map(presentAddress).join(', ')],
    [labels.rawMail, facts.rawMail],
  ];
  return compose(words.subject(subjectLine), [words.intro], rows, [words.advice], facts.locale);
}

/** When and where the mail arrived, and where its raw and quarantined copies are. */
export function arrivalRows(context: AlertContext): [string, string][] {
  return [
    ['From', context.from === null ? '(none readable)' : presentAddress(context.from)],
    ['Envelope sender', context.envelopeFrom === null ? '(none)' : presentAddress(context.envelopeFrom)],
    ['SES verdicts', context.verdicts],
    ['SES message id', context.messageId],
    ['Received', formatUtc(context.receivedAt)],
    ['Reached', context.recipients.map(presentAddress).join(', ')],
    ['Raw mail', context.rawMail],
    ['Quarantined copy', context.quarantined ?? 'none'],
  ];
}

function compose(
  subject: string,
  intro: readonly string[],
  rows: readonly (readonly [string, string])[],
  advice: readonly string[],
  lang?: Locale,
): RenderedMail {
  return {
    subject,
    text: [...intro, '', textRows(rows), '', ...advice, ''].join('\n'),
    html: htmlDocument(
      subject,
      [htmlParagraphs(intro), htmlRows(rows), htmlParagraphs(advice)].join('\n'),
      undefined,
      lang,
    ),
  };
}

/**
 * Security alerts (to the security contact and the alerts topic) and the summary of mail that is not ACM's. None
 * carries a usable approval link: at most a defanged one with its code and context redacted. Free text from the mail
 * (its subject) goes through `presentMailText`, addresses through `presentAddress`; domains, accounts, regions and
 * ARNs are shown as they are, because the parser let through only well-formed ones (a DNS name holds no link).
 */
import type { ApprovalRequest, Reason } from '../types.js';
import { defangLink, presentMailText as fromMail, presentAddress } from './defang.js';
import { formatUtc, htmlDocument, htmlParagraphs, htmlRows, type RenderedMail, textRows } from './presentation.js';

/** The address AWS asks people to write to about validation mail they did not expect (ACM User Guide). */
export const ACM_VALIDATION_QUESTIONS = 'validation-questions@amazon.com';

export interface AlertContext {
  readonly receivedAt: string;
  readonly recipients: readonly string[];
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

const REASON_TEXT: Partial<Record<Reason, string>> = {
  'spam-fail': 'SES judged it spam',
  'virus-fail': 'SES found a virus',
  'dkim-fail': 'a DKIM signature failed',
  'dmarc-fail': 'DMARC failed',
  'from-acm-unauthenticated': "it claims ACM's From address but carries no valid ACM signature",
  'account-mismatch': "the account line differs from the certificate ARN's account",
  'region-mismatch': "the region line differs from the certificate ARN's region",
  'link-region-mismatch': "the link's region differs from the request's region",
  'link-host-not-allowed': 'the approval link points to a host that is not ACM',
  'link-userinfo': 'the approval link hides its real host behind user information (an @)',
  'link-not-https': 'the approval link is not https',
  'multiple-approval-links': 'it carries more than one approval link',
  'malformed-ses-verdicts': "SES's verdicts do not have SES's layout: sender text may have been written into them",
  'conflicting-verdicts': 'the verdicts contradict each other (two DMARC results, DMARC for another From, ...)',
  'event-verdicts-disagree': "SES's receipt event and the verdicts stamped on the mail disagree",
  'dkim-disagreement': "our own check of ACM's DKIM signature failed where SES says it passed",
  'duplicate-header-field': 'a header field that may appear once appears twice (From, Subject, ...)',
  'from-unreadable': 'its From field is not a readable address',
  'stray-header-line': 'its header block holds a line that is no header field',
  'parts-disagree': 'its text and HTML parts ask different things',
  'acm-look-alike-link': "it links a host that imitates ACM's",
  'impersonates-acm': "ACM's template in a mail from someone else, not marked as a forward",
  'invalid-expiration-date': 'its expiry date is not one AWS writes',
};

export function renderSuspiciousAlert(
  reasons: readonly Reason[],
  approval: ApprovalRequest | null,
  subjectLine: string,
  context: AlertContext,
): RenderedMail {
  const about = approval?.domain ?? fromMail(subjectLine || context.messageId);
  const subject = `[ACM security] Suspicious mail posing as an ACM approval request (${about})`;
  const rows: [string, string][] = [
    ['Why', reasons.map((reason) => (REASON_TEXT[reason] ? `${reason} (${REASON_TEXT[reason]})` : reason)).join('; ')],
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
    ['Missing or unreadable', reasons.join(', ')],
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
}

/** Sender, subject, size and where the raw mail is: never its content. */
export function renderNotAcmSummary(facts: NotAcmSummaryFacts): RenderedMail {
  const subject = `[ACM mailbox] Not an approval request: ${fromMail(facts.subject) || '(no subject)'}`;
  const rows: [string, string][] = [
    ['From', facts.from === null ? '(none)' : presentAddress(facts.from)],
    ['Subject', fromMail(facts.subject) || '(none)'],
    ['Size', `${facts.sizeBytes} bytes`],
    ['Why not ACM', facts.reasons.join(', ') || '-'],
    ['Received', formatUtc(facts.receivedAt)],
    ['Reached', facts.recipients.map(presentAddress).join(', ')],
    ['Raw mail', facts.rawMail],
  ];
  return compose(
    subject,
    ['A mail that is not an ACM approval request reached a watched mailbox. Its content is not shown here.'],
    rows,
    ['Nothing needs doing unless you expected this mail; the raw mail stays in the archive for its retention period.'],
  );
}

/** When and where the mail arrived, and where its raw and quarantined copies are. */
function arrivalRows(context: AlertContext): [string, string][] {
  return [
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
): RenderedMail {
  return {
    subject,
    text: [...intro, '', textRows(rows), '', ...advice, ''].join('\n'),
    html: htmlDocument(subject, [htmlParagraphs(intro), htmlRows(rows), htmlParagraphs(advice)].join('\n')),
  };
}

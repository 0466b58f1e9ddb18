/**
 * The ticket an owner receives for one approval request. Only a trusted mail from one of our accounts gets a
 * clickable approval link. An unverified copy (a forward) names the request but withholds its link, defanged and
 * redacted: a link from unproven mail may be a stranger's own approval link dressed as ours, and the way to a usable
 * one is a resend from the ACM console, which arrives authenticated.
 */
import type { ApprovalRequest } from '../types.js';
import { defangLink, presentAddress } from './defang.js';
import {
  consoleLink,
  escapeHtml,
  formatUtc,
  htmlDocument,
  htmlParagraphs,
  htmlRows,
  type RenderedMail,
  textRows,
  timeLeft,
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
}

export function renderTicket(facts: TicketFacts): RenderedMail {
  const { approval } = facts;
  const account = facts.accountName ? `${facts.accountName}, ${approval.accountId}` : approval.accountId;
  const subject =
    `${facts.followUp ? 'Re: ' : ''}[ACM approval] ${approval.domain} ` +
    `(${facts.accountName ?? approval.accountId}, ${approval.region})`;
  const rows: [string, string][] = [
    ['Domain', approval.domain],
    ['Request', approval.renewal ? 'renewal of an existing certificate' : 'new certificate'],
    ['AWS account', account],
    ['Region', approval.region],
    ['Certificate', approval.certificateArn],
    ['In the console', consoleLink(approval)],
    ['Approve before', `${formatUtc(facts.approvalDeadline)} (${timeLeft(facts.approvalDeadline, facts.now)})`],
    ...(approval.expiresAt ? ([['Certificate expires', formatUtc(approval.expiresAt)]] as [string, string][]) : []),
    ['First received', formatUtc(facts.firstReceivedAt)],
    ['Received at', facts.addresses.map(presentAddress).join(', ')],
    ['Raw mail (audit)', facts.rawMail],
    ['Owner', facts.ownerName],
    [
      'Authenticity',
      facts.authenticated
        ? "verified: ACM's DKIM signature checked by SES"
        : 'UNAUTHENTICATED: a copy forwarded inside another message; nothing proves it is ACM mail',
    ],
  ];

  const intro = !facts.followUp
    ? `ACM asks the owner of ${approval.domain} to approve a certificate request.`
    : facts.authenticated
      ? 'ACM sent this approval request again with a new approval link (a resend). Use this link; the earlier one may no longer work.'
      : 'Another copy of this request arrived with a different approval link, in a mail that is NOT authenticated (a forward, or a forgery). Its link is withheld. Use a link from an authenticated ticket of this thread, or resend the validation mail from the ACM console.';
  const checks = [
    'Before approving, check:',
    `1. Someone in your team requested this certificate for ${approval.domain} in AWS account ${account}, region ${approval.region} (open it in the console above).`,
    '2. The approval page shows exactly this domain, account id and region.',
    '3. If nobody asked for it, do not approve: tell the security contact.',
    'Approving is done on the approval page with its "I Approve" button; this pipeline never approves anything.',
  ];

  const link = approval.approvalUrl;
  let linkText: string;
  let linkHtml: string;
  if (link === null) {
    linkText = 'Approval link: none usable in this mail; use the console to resend the validation mail.';
    linkHtml = `<p>${linkText}</p>`;
  } else if (facts.authenticated) {
    linkText = `Approval link (opens the page; it does not approve by itself):\n${link}`;
    linkHtml = `<p>Approval link (opens the page; it does not approve by itself):<br><a href="${escapeHtml(link)}">Open the approval page for ${escapeHtml(approval.domain)}</a></p>`;
  } else {
    const withheld = [
      'Approval link WITHHELD (unauthenticated copy):',
      defangLink(link),
      `To approve: open the certificate in the console (above), check that it is yours (account ${approval.accountId}, ${facts.accountName ?? 'one of ours'}), and use "Resend validation email". The resent mail arrives authenticated, and its ticket carries a link you can use.`,
    ];
    linkText = withheld.join('\n');
    linkHtml = `<p><strong>${escapeHtml(withheld[0] as string)}</strong><br><code>${escapeHtml(withheld[1] as string)}</code></p>${htmlParagraphs([withheld[2] as string])}`;
  }

  const text = [intro, '', textRows(rows), '', linkText, '', ...checks, ''].join('\n');
  const html = htmlDocument(
    subject,
    [htmlParagraphs([intro]), htmlRows(rows), linkHtml, htmlParagraphs(checks)].join('\n'),
  );
  return { subject, text, html };
}

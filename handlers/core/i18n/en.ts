/** English: the default locale. */
import type { Catalogue, TimeToDeadline } from './catalogue.js';

const span = ({ hours, minutes }: TimeToDeadline) => `${hours} h ${minutes} min`;
const timeToDeadline = (time: TimeToDeadline) => (time.passed ? `expired ${span(time)} ago` : `${span(time)} left`);

export const en: Catalogue = {
  // --- ticket mail ---
  ticket: {
    subject: ({ verified, renewal, domain, account, deadline }) =>
      `[ACM approval${verified ? '' : ' - UNVERIFIED COPY'}] ${renewal ? 'renewal' : 'new'} ${domain} (${account}) - approve by ${deadline}`,
    labels: {
      domain: 'Domain',
      request: 'Request',
      account: 'AWS account',
      region: 'Region',
      certificate: 'Certificate',
      console: 'In the console',
      approveBefore: 'Approve before',
      certificateExpires: 'Certificate expires',
      firstReceived: 'First received',
      reachedAddresses: 'Received at',
      rawMail: 'Raw mail (audit)',
      owner: 'Owner',
      authenticity: 'Authenticity',
    },
    requestKind: (renewal) => (renewal ? 'renewal of an existing certificate' : 'new certificate'),
    accountNamed: (name, id) => `${name}, ${id}`,
    timeToDeadline,
    approveBefore: (deadline, time) => `${deadline}, ${timeToDeadline(time)}`,
    authenticity: (verified) =>
      verified
        ? "verified: ACM's DKIM signature checked by SES"
        : 'UNAUTHENTICATED: a copy forwarded inside another message; nothing proves it is ACM mail',
    intro: (domain) => `ACM asks the owner of ${domain} to approve a certificate request.`,
    followUpTrusted:
      'ACM sent this approval request again with a new approval link (a resend). Use this link; the earlier one may no longer work.',
    followUpUnverified:
      'Another copy of this request arrived with a different approval link, in a mail that is NOT authenticated (a forward, or a forgery). Its link is withheld. Use a link from an authenticated ticket of this thread, or resend the validation mail from the ACM console.',
    checksHeading: 'Before approving, check:',
    checkRequested: (domain, account, region) =>
      `1. Someone in your team requested this certificate for ${domain} in AWS account ${account}, region ${region} (open it in the console above).`,
    checkApprovalPage: '2. The approval page shows exactly this domain, account id and region.',
    checkNobodyAsked: '3. If nobody asked for it, do not approve: tell the security contact.',
    approvingNote:
      'Approving is done on the approval page with its "I Approve" button; this pipeline never approves anything.',
    linkNone: 'Approval link: none usable in this mail; use the console to resend the validation mail.',
    linkHeading: 'Approval link (opens the page; it does not approve by itself):',
    linkWithheldHeading: 'Approval link WITHHELD (unauthenticated copy):',
    linkWithheldAdvice: (accountId, accountName) =>
      `To approve: open the certificate in the console (above), check that it is yours (account ${accountId}, ${accountName ?? 'one of ours'}), and use "Resend validation email". The resent mail arrives authenticated, and its ticket carries a link you can use.`,
  },
  // --- not-ACM summary ---
  notAcm: {
    subject: (subject) => `[ACM mailbox] Not an approval request: ${subject || '(no subject)'}`,
    labels: {
      from: 'From',
      subject: 'Subject',
      size: 'Size',
      whyNotAcm: 'Why not ACM',
      received: 'Received',
      reached: 'Reached',
      rawMail: 'Raw mail',
    },
    none: '(none)',
    sizeBytes: (bytes) => `${bytes} bytes`,
    intro: 'A mail that is not an ACM approval request reached a watched mailbox. Its content is not shown here.',
    advice:
      'Nothing needs doing unless you expected this mail; the raw mail stays in the archive for its retention period.',
  },
  // --- digest ---
  digest: {},
};

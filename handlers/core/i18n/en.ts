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
  digest: {
    htmlLang: 'en',
    subject: (c) => {
      const parts = [`${c.open} open`];
      if (c.expiringToday > 0) parts.push(`${c.expiringToday} expiring today`);
      if (c.expired > 0) parts.push(`${c.expired} expired`);
      if (c.security > 0) parts.push(`${c.security} security`);
      if (c.done > 0) parts.push(`${c.done} done`);
      if (c.mailboxesMissing > 0)
        parts.push(`${c.mailboxesMissing} mailbox${c.mailboxesMissing === 1 ? '' : 'es'} not receiving`);
      return `ACM approvals: ${parts.join(', ')}`;
    },
    asOf: (owner, time) => `Certificate approval requests for ${owner}, as of ${time}.`,
    summary: (c) => {
      const parts = [
        `${c.open} need${c.open === 1 ? 's' : ''} action${c.expiringToday > 0 ? ` (${c.expiringToday} due today)` : ''}`,
      ];
      if (c.expired > 0) parts.push(`${c.expired} expired`);
      if (c.security > 0) parts.push(`${c.security} not our account`);
      if (c.done > 0) parts.push(`${c.done} done`);
      if (c.mailboxesMissing > 0) {
        parts.push(
          `${c.mailboxesMissing} mailbox${c.mailboxesMissing === 1 ? '' : 'es'} not receiving (see the canary below)`,
        );
      }
      return `${parts.join(' · ')}.`;
    },
    nothingOpen: (owner) => `Nothing is open for ${owner}.`,
    needsAction: (n) => `Needs action (${n})`,
    expiredSection: (n) => `Expired: resend needed (${n})`,
    foreignSection: (n) => `Not our account: do not approve (${n})`,
    doneSection: (n) => `Done (${n})`,
    approveBy: (time, left, dueToday) =>
      `Approve by ${time} (${dueToday ? 'due today, ' : ''}${left.hours} h ${left.minutes} min left)`,
    windowClosed: (time, ago) =>
      `Window closed ${time} (expired ${
        'days' in ago ? `${ago.days} day${ago.days === 1 ? '' : 's'} ago` : `${ago.hours} h ${ago.minutes} min ago`
      })`,
    doNotApprove: (accountId) => `Do not approve: requested from account ${accountId}, which is not ours`,
    certificateIssued: 'Done: ACM reports the certificate issued',
    openApprovalPage: 'Open the approval page',
    approvalPageLabel: 'Approval page',
    linkWithheldUnverified:
      'Link withheld: it came only in an unverified copy (a forward or a forgery). Resend the approval mail from the ACM console.',
    noLinkReceived: 'No approval link was received. Resend the approval mail from the ACM console.',
    resendExpired: 'The approval window has closed. Resend the approval mail from the ACM console.',
    foreignAdvice: 'Nobody should approve this. Tell the security contact if you did not expect it.',
    nothingToDo: 'Nothing to do.',
    laterUnverifiedLink: 'A later UNAUTHENTICATED copy brought another link: not shown.',
    labels: {
      domain: 'Domain',
      account: 'Account',
      region: 'Region',
      kind: 'Kind',
      ticket: 'Ticket',
      trust: 'Trust',
      acmStatus: 'ACM status',
      certificateExpires: 'Certificate expires',
      reached: 'Reached',
      firstReceived: 'First received',
      linkAsReceived: 'Link (not clickable)',
    },
    renewal: 'renewal',
    newCertificate: 'new',
    trusted: 'verified ACM mail',
    unverified: 'UNAUTHENTICATED',
    acmStatus: {
      issued: 'issued (ACM)',
      pending: 'pending validation (ACM)',
      failed: 'FAILED (ACM)',
      unknown: 'unknown (no status role)',
    },
    unknown: 'unknown',
    certificateExpiry: (time, days) => {
      if (days === null) return time;
      if (days > 1) return `${time} (renewal due in ${days} days)`;
      if (days === 1) return `${time} (renewal due tomorrow)`;
      if (days === 0) return `${time} (expires today)`;
      return `${time} (expired ${-days} day${days === -1 ? '' : 's'} ago)`;
    },
    canarySection: (n) => `Mailbox canary (${n} address${n === 1 ? '' : 'es'})`,
    canaryIntro:
      "Every day a test mail goes to each address your approval mail can arrive at. One that does not come back means ACM's mail to that address would be lost: check its MX, the forwarding and the SES rule set (npx acm-mail doctor says which).",
    canaryArrived: (lastSuccess) => `OK: last arrived ${lastSuccess}`,
    canaryMissing: (missingAt, lastSuccess) =>
      `MISSING: the last test mail did not arrive${missingAt === null ? '' : ` (found ${missingAt})`}. ${
        lastSuccess === null ? 'It has never arrived.' : `Last arrived ${lastSuccess}.`
      }`,
    canaryPending: 'SENT: the first test mail has not arrived yet.',
    canaryNever: 'NEVER TESTED: no test mail has gone to this address yet.',
    estateSection: (n) => `Certificates still validated by email (${n})`,
    estateSummary: (n, ready) =>
      `${n} certificate${n === 1 ? '' : 's'} you own ${n === 1 ? 'renews' : 'renew'} only when someone approves a mail; ${ready} could move to DNS validation now (every name in a Route 53 zone we know).`,
    estateNextExpiry: (domain, account, time) => `Next expiry: ${domain} (${account}) on ${time}.`,
    estateUnusedExpiring: (n) =>
      `${n} not in use and expiring within 45 days: ACM will ask for an approval nobody may expect. Delete ${n === 1 ? 'it' : 'them'} if no longer needed.`,
    estateIncomplete: 'Some accounts or regions could not be listed: the numbers may be low.',
    estateHowTo: (listedAt) =>
      `Listed ${listedAt}. The steps per certificate: npx acm-mail estate (README, "Moving off email validation").`,
    compactLegend:
      'One line a request: deadline | approval | domain | account | region | kind | ticket | trust | ACM status | certificate expires | reached | first received | link (not clickable) | note',
    footer:
      'Approving happens only on the approval page ("I Approve"); this pipeline never approves. Links are clickable only for verified ACM mail from our accounts while its window is open.',
  },
};

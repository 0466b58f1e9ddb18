/** English: the default locale. */
import type { Catalogue } from './catalogue.js';

export const en: Catalogue = {
  // --- ticket mail ---
  ticket: {},
  // --- not-ACM summary ---
  notAcm: {},
  // --- digest ---
  digest: {
    htmlLang: 'en',
    subject: (c) => {
      const parts = [`${c.open} open`];
      if (c.expiringToday > 0) parts.push(`${c.expiringToday} expiring today`);
      if (c.expired > 0) parts.push(`${c.expired} expired`);
      if (c.security > 0) parts.push(`${c.security} security`);
      if (c.done > 0) parts.push(`${c.done} done`);
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
    compactLegend:
      'One line a request: deadline | approval | domain | account | region | kind | ticket | trust | ACM status | certificate expires | reached | first received | link (not clickable) | note',
    footer:
      'Approving happens only on the approval page ("I Approve"); this pipeline never approves. Links are clickable only for verified ACM mail from our accounts while its window is open.',
  },
};

/**
 * The digest as mail: an HTML table that renders in common mail clients (inline styles, no scripts, no images) and a
 * plain-text part with the same entries. Times are in the digest's time zone; every value from mail is escaped.
 */
import { defangLink, presentAddress, presentMailText } from '../routing/defang.js';
import { escapeHtml, htmlDocument, type RenderedMail, timeLeft } from '../routing/presentation.js';
import type { DigestEntry, EntryState, OwnerDigest, SecurityDigest } from './digest.js';

export interface RenderContext {
  readonly timeZone: string;
  readonly now: Date;
}

const STATE_LABEL: Record<EntryState, string> = {
  expired: 'EXPIRED: resend needed',
  'foreign-account': 'NOT OUR ACCOUNT: do not approve',
  open: 'open',
  done: 'done: certificate issued',
};
const STATE_COLOUR: Record<EntryState, string> = {
  expired: '#b00020',
  'foreign-account': '#b00020',
  open: '#1b5e20',
  done: '#5f6368',
};
const ACM_STATUS: Record<DigestEntry['certificateStatus'], string> = {
  issued: 'issued (ACM)',
  pending: 'pending validation (ACM)',
  failed: 'FAILED (ACM)',
  unknown: 'unknown (no status role)',
};

const formatters = new Map<string, Intl.DateTimeFormat>();

/** `Thu 26 Nov 2026, 09:00 CET` in the digest's time zone (daylight saving included). */
export function localTime(iso: string, timeZone: string): string {
  // One formatter per zone: building an Intl.DateTimeFormat costs far more than using one (10,000-entry digests).
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter.format(new Date(iso));
}

export function digestSubject(counts: OwnerDigest['counts']): string {
  const parts = [`${counts.open} open`];
  if (counts.expiringToday > 0) parts.push(`${counts.expiringToday} expiring today`);
  if (counts.expired > 0) parts.push(`${counts.expired} expired`);
  if (counts.security > 0) parts.push(`${counts.security} security`);
  if (counts.done > 0) parts.push(`${counts.done} done`);
  return `ACM approvals: ${parts.join(', ')}`;
}

/** Each entry's fields as label/value pairs, the one source for both the table and the text. */
function fields(entry: DigestEntry, context: RenderContext): [string, string][] {
  const deadline =
    entry.approvalDeadline === null
      ? 'none: do not approve'
      : `${localTime(entry.approvalDeadline, context.timeZone)} (${timeLeft(entry.approvalDeadline, context.now)}${entry.expiringToday ? ', today' : ''})`;
  const expiry = entry.certificateExpiresAt
    ? `${localTime(entry.certificateExpiresAt, context.timeZone)}${entry.renewalDueInDays !== null ? ` (in ${entry.renewalDueInDays} days)` : ''}`
    : 'unknown';
  return [
    ['Status', STATE_LABEL[entry.state]],
    ['Domain', entry.domain],
    ['Account', entry.accountName ? `${entry.accountName} (${entry.accountId})` : entry.accountId],
    ['Region', entry.region],
    ['Kind', entry.renewal ? 'renewal' : 'new'],
    ['Approve before', deadline],
    ['First received', localTime(entry.firstReceivedAt, context.timeZone)],
    ['Certificate expires', expiry],
    ['Reached', entry.addresses.map(presentAddress).join(', ') || '-'],
    // The ticket's subject is ours, made of the request's checked fields.
    ['Ticket', entry.ticket ?? '-'],
    ['Trust', entry.trust === 'trusted' ? 'verified ACM mail' : 'UNAUTHENTICATED'],
    ['ACM status', entry.state === 'foreign-account' ? '-' : ACM_STATUS[entry.certificateStatus]],
    ['Approval link', linkText(entry)],
  ];
}

/** Only a link that came in trusted mail, of a request whose window is open, is ever clickable. */
function clickable(entry: DigestEntry): entry is DigestEntry & { approvalUrl: string } {
  return entry.state === 'open' && entry.linkTrust === 'trusted' && entry.approvalUrl !== null;
}

/** The real link where it may be clicked; everything else defanged with its secrets redacted. */
function linkText(entry: DigestEntry): string {
  const later = entry.laterUnverifiedLink ? ' (a later UNAUTHENTICATED copy brought another link: not shown)' : '';
  if (entry.approvalUrl === null) return entry.state === 'expired' ? 'resend from the ACM console' : '-';
  if (clickable(entry)) return `${entry.approvalUrl}${later}`;
  return `${defangLink(entry.approvalUrl)}${later}`;
}

export function renderOwnerDigest(digest: OwnerDigest, context: RenderContext): RenderedMail {
  const subject = digestSubject(digest.counts);
  const intro =
    digest.entries.length === 0
      ? `Nothing is open for ${digest.owner.name}.`
      : `Certificate approval requests for ${digest.owner.name}, as of ${localTime(context.now.toISOString(), context.timeZone)}. Expired and foreign-account entries come first.`;
  const entryFields = digest.entries.map((entry) => fields(entry, context));
  const textBlocks = entryFields.map((rows, index) => {
    const width = Math.max(...rows.map(([label]) => label.length)) + 2;
    return [`${index + 1}.`, ...rows.map(([label, value]) => `   ${`${label}:`.padEnd(width)}${value}`)].join('\n');
  });
  const text = [subject, '', intro, '', ...textBlocks.flatMap((block) => [block, '']), footerText].join('\n');

  // The table exists only when there are entries, so the first one names the columns.
  const header = (entryFields[0] ?? []).map(([label]) => label);
  const rows = digest.entries.map((entry, index) => {
    const cells = (entryFields[index] ?? []).map(([label, value]) => {
      const cell =
        label === 'Approval link' && clickable(entry)
          ? `<a href="${escapeHtml(entry.approvalUrl)}" style="color:#0b57d0">open the approval page</a>${
              entry.laterUnverifiedLink
                ? escapeHtml(' (a later UNAUTHENTICATED copy brought another link: not shown)')
                : ''
            }`
          : escapeHtml(value);
      const colour = label === 'Status' ? `color:${STATE_COLOUR[entry.state]};font-weight:bold;` : '';
      // Dates, accounts and states stay on one line; domains, addresses and subjects wrap.
      const wrap = WRAPPING.has(label) ? '' : 'white-space:nowrap;';
      return `<td style="${CELL}${colour}${wrap}">${cell}</td>`;
    });
    const shade = entry.state === 'expired' || entry.state === 'foreign-account' ? ' style="background:#fdecea"' : '';
    return `<tr${shade}>${cells.join('')}</tr>`;
  });
  const table =
    digest.entries.length === 0
      ? ''
      : `<table style="border-collapse:collapse;font-size:13px" cellpadding="0" cellspacing="0">\n<thead><tr>${header
          .map((label) => `<th style="${CELL}background:#f1f3f4;text-align:left">${escapeHtml(label)}</th>`)
          .join('')}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
  const html = htmlDocument(
    subject,
    [
      `<h2 style="font-size:18px">${escapeHtml(subject)}</h2>`,
      `<p>${escapeHtml(intro)}</p>`,
      table,
      `<p style="color:#5f6368;font-size:12px">${escapeHtml(footerText)}</p>`,
    ].join('\n'),
  );
  return { subject, text, html };
}

export function renderSecurityDigest(digest: SecurityDigest, context: RenderContext): RenderedMail {
  const c = digest.counts;
  const subject = `ACM security: ${c.foreignAccount} foreign-account, ${c.suspicious} suspicious, ${c.unparseable} unreadable`;
  const rows = digest.events.map((event): [string, string][] => [
    ['Event', event.outcome],
    ['When', localTime(event.recordedAt, context.timeZone)],
    ['Domain', event.domain ?? '-'],
    ['Account', event.accountId ?? '-'],
    ['Region', event.region ?? '-'],
    ['Certificate', event.certificateArn ?? '-'],
    ['Subject', presentMailText(event.subject) || '-'],
    ['Reasons', event.reasons.join(', ') || '-'],
    ['Authenticated', event.authenticated ? 'yes' : 'no'],
    ['Message', event.messageId],
  ]);
  const intro =
    digest.events.length === 0
      ? 'No security events in the period.'
      : 'Security events of the period, newest first (one per request). Quarantined copies are under quarantine/<Message>.';
  const text = [
    subject,
    '',
    intro,
    '',
    ...rows.flatMap((event, index) => [
      [`${index + 1}.`, ...event.map(([label, value]) => `   ${`${label}:`.padEnd(16)}${value}`)].join('\n'),
      '',
    ]),
  ].join('\n');
  const header = (rows[0] ?? []).map(([label]) => label);
  const table =
    rows.length === 0
      ? ''
      : `<table style="border-collapse:collapse;font-size:13px" cellpadding="0" cellspacing="0">\n<thead><tr>${header
          .map((label) => `<th style="${CELL}background:#f1f3f4;text-align:left">${escapeHtml(label)}</th>`)
          .join('')}</tr></thead>\n<tbody>\n${rows
          .map(
            (event) => `<tr>${event.map(([, value]) => `<td style="${CELL}">${escapeHtml(value)}</td>`).join('')}</tr>`,
          )
          .join('\n')}\n</tbody>\n</table>`;
  const html = htmlDocument(
    subject,
    [`<h2 style="font-size:18px">${escapeHtml(subject)}</h2>`, `<p>${escapeHtml(intro)}</p>`, table].join('\n'),
  );
  return { subject, text, html };
}

const CELL = 'border:1px solid #dadce0;padding:4px 8px;vertical-align:top;';
const WRAPPING = new Set(['Domain', 'Reached', 'Ticket', 'Approval link', 'Status']);
const footerText =
  'Approving happens only on the approval page ("I Approve"); this pipeline never approves. Links are shown only for verified ACM mail from our accounts while its window is open.';

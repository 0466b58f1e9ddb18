/**
 * The digest as mail: an HTML table that renders in common mail clients (the cells' look in one style sheet, the grid
 * also from table attributes; no scripts, no images) and a plain-text part with the same entries. Times are in the
 * digest's time zone; every value from mail is escaped.
 */
import { defangLink, presentAddress, presentMailText } from '../routing/defang.js';
import {
  escapeHtml,
  HTML_DOCUMENT_END,
  htmlDocument,
  htmlDocumentStart,
  type RenderedMail,
  timeLeft,
} from '../routing/presentation.js';
import type { DigestEntry, EntryState, OwnerDigest, SecurityDigest } from './digest.js';
import { localTime } from './local-time.js';

export { localTime };

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

const CELL = 'border:1px solid #dadce0;padding:4px 8px;vertical-align:top;';
/**
 * The cells' look, once in the head instead of on each of a large digest's 130,000 cells (a 10,000-request digest
 * was 16 MB of HTML, three quarters of it the same style attribute). Gmail, Outlook, Apple Mail and Thunderbird apply
 * a style sheet in the head; where a client drops it, the table's own attributes (`border`, `cellpadding`, `valign`,
 * `nowrap`) still draw a grid of readable cells, and what carries meaning (status colours, the shading of expired and
 * foreign-account rows, the header) stays inline.
 */
const TABLE_STYLE = `td{${CELL}}`;
const TABLE_OPEN = '<table border="1" cellpadding="4" cellspacing="0" style="border-collapse:collapse;font-size:13px">';
const WRAPPING = new Set(['Domain', 'Reached', 'Ticket', 'Approval link', 'Status']);
const footerText =
  'Approving happens only on the approval page ("I Approve"); this pipeline never approves. Links are shown only for verified ACM mail from our accounts while its window is open.';

export function digestSubject(counts: OwnerDigest['counts']): string {
  const parts = [`${counts.open} open`];
  if (counts.expiringToday > 0) parts.push(`${counts.expiringToday} expiring today`);
  if (counts.expired > 0) parts.push(`${counts.expired} expired`);
  if (counts.security > 0) parts.push(`${counts.security} security`);
  if (counts.done > 0) parts.push(`${counts.done} done`);
  return `ACM approvals: ${parts.join(', ')}`;
}

/** The columns of the table and the labels of the text, in order: `fields` gives each entry's values in this order. */
const LABELS = [
  'Status',
  'Domain',
  'Account',
  'Region',
  'Kind',
  'Approve before',
  'First received',
  'Certificate expires',
  'Reached',
  'Ticket',
  'Trust',
  'ACM status',
  'Approval link',
] as const;
const APPROVAL_LINK_COLUMN = LABELS.indexOf('Approval link');
const STATUS_COLUMN = LABELS.indexOf('Status');

/** Each entry's values in the order of `LABELS`, the one source for both the table and the text. */
function fields(entry: DigestEntry, context: RenderContext): string[] {
  const deadline =
    entry.approvalDeadline === null
      ? 'none: do not approve'
      : `${localTime(entry.approvalDeadline, context.timeZone)} (${timeLeft(entry.approvalDeadline, context.now)}${entry.expiringToday ? ', today' : ''})`;
  const expiry = entry.certificateExpiresAt
    ? `${localTime(entry.certificateExpiresAt, context.timeZone)}${entry.renewalDueInDays !== null ? ` (in ${entry.renewalDueInDays} days)` : ''}`
    : 'unknown';
  return [
    STATE_LABEL[entry.state],
    entry.domain,
    entry.accountName ? `${entry.accountName} (${entry.accountId})` : entry.accountId,
    entry.region,
    entry.renewal ? 'renewal' : 'new',
    deadline,
    localTime(entry.firstReceivedAt, context.timeZone),
    expiry,
    entry.addresses.map(presentAddress).join(', ') || '-',
    // The ticket's subject is ours, made of the request's checked fields.
    entry.ticket ?? '-',
    entry.trust === 'trusted' ? 'verified ACM mail' : 'UNAUTHENTICATED',
    entry.state === 'foreign-account' ? '-' : ACM_STATUS[entry.certificateStatus],
    linkText(entry),
  ];
}

/** Only a link that came in trusted mail, of a request whose window is open, is ever clickable. */
function clickable(entry: DigestEntry): entry is DigestEntry & { approvalUrl: string } {
  return entry.state === 'open' && entry.linkTrust === 'trusted' && entry.approvalUrl !== null;
}

const LATER_UNVERIFIED = ' (a later UNAUTHENTICATED copy brought another link: not shown)';

/** The real link where it may be clicked; everything else defanged with its secrets redacted. */
function linkText(entry: DigestEntry): string {
  const later = entry.laterUnverifiedLink ? LATER_UNVERIFIED : '';
  if (entry.approvalUrl === null) return entry.state === 'expired' ? 'resend from the ACM console' : '-';
  if (clickable(entry)) return `${entry.approvalUrl}${later}`;
  return `${defangLink(entry.approvalUrl)}${later}`;
}

/** The text part's label column: every label padded to the longest, so the values line up. */
const TEXT_LABEL_WIDTH = Math.max(...LABELS.map((label) => label.length)) + 2;
const TEXT_LABELS = LABELS.map((label) => `\n   ${`${label}:`.padEnd(TEXT_LABEL_WIDTH)}`);
/**
 * Up to this many entries the text part gives each its block of labelled lines; beyond, one line an entry in the
 * table's column order under a line naming the columns, with the same values. Fifteen lines an entry make 1,500 lines
 * at a hundred: a list that long is searched and scanned, as the table is, and one line an entry is little more than
 * half the size (a 10,000-request digest's text: 4 MB instead of 7 MB).
 */
const LABELLED_TEXT_UP_TO = 100;
const COMPACT_TEXT_HEADER = `One line an entry: ${LABELS.join(' | ')}`;
const COMPACT_TEXT_SEPARATORS = LABELS.map((_, column) => (column === 0 ? ' ' : ' | '));
/** Each column's opening tag. Dates, accounts and states stay on one line; domains, addresses and subjects wrap. */
const CELL_OPEN = LABELS.map((label) => (WRAPPING.has(label) ? '<td>' : '<td nowrap>'));
/**
 * What comes before each value in a row of an entry in that state, the previous cell's end included, made once: a
 * 10,000-entry digest has 130,000 cells, and fewer, longer pieces are what make a large string quick to build.
 */
const CELL_STARTS: Record<EntryState, readonly string[]> = {
  expired: cellStarts('expired'),
  'foreign-account': cellStarts('foreign-account'),
  open: cellStarts('open'),
  done: cellStarts('done'),
};
function cellStarts(state: EntryState): string[] {
  const row = state === 'expired' || state === 'foreign-account' ? '<tr style="background:#fdecea">' : '<tr>';
  const status = `<td style="color:${STATE_COLOUR[state]};font-weight:bold">`;
  return LABELS.map(
    (_, column) => `${column === 0 ? row : '</td>'}${column === STATUS_COLUMN ? status : CELL_OPEN[column]}`,
  );
}
const HEADER_CELL_STYLE = `${CELL}background:#f1f3f4;text-align:left`;
const TABLE_START = `${TABLE_OPEN}\n<thead><tr>${LABELS.map(
  (label) => `<th style="${HEADER_CELL_STYLE}">${escapeHtml(label)}</th>`,
).join('')}</tr></thead>\n<tbody valign="top">\n`;

export function renderOwnerDigest(digest: OwnerDigest, context: RenderContext): RenderedMail {
  const subject = digestSubject(digest.counts);
  const intro =
    digest.entries.length === 0
      ? `Nothing is open for ${digest.owner.name}.`
      : `Certificate approval requests for ${digest.owner.name}, as of ${localTime(context.now.toISOString(), context.timeZone)}. Expired and foreign-account entries come first.`;
  // One pass over the entries writes both parts; each part is one array of pieces joined once, the HTML document
  // included, so that a digest of megabytes is copied once, not once per layer (rows, table, body, document).
  const compact = digest.entries.length > LABELLED_TEXT_UP_TO;
  const text = [subject, '', intro, ''];
  if (compact) text.push(COMPACT_TEXT_HEADER, '');
  const html = [
    htmlDocumentStart(subject, TABLE_STYLE),
    `<h2 style="font-size:18px">${escapeHtml(subject)}</h2>\n<p>${escapeHtml(intro)}</p>\n`,
  ];
  // The table exists only when there are entries.
  if (digest.entries.length > 0) html.push(TABLE_START);
  // Each entry's block and row are written from their pieces in one go, then taken whole; the two piece lists are
  // filled in place, a fixed number of slots, so that 10,000 entries do not regrow them 10,000 times.
  const labels = compact ? COMPACT_TEXT_SEPARATORS : TEXT_LABELS;
  const block = Array.from({ length: 1 + 2 * LABELS.length }, () => '');
  const row = Array.from({ length: 2 * LABELS.length + 1 }, () => '');
  row[2 * LABELS.length] = '</td></tr>\n';
  digest.entries.forEach((entry, index) => {
    const values = fields(entry, context);
    const starts = CELL_STARTS[entry.state];
    block[0] = `${index + 1}.`;
    for (let column = 0; column < values.length; column += 1) {
      const value = values[column] as string;
      block[1 + 2 * column] = labels[column] as string;
      block[2 + 2 * column] = value;
      row[2 * column] = starts[column] as string;
      row[1 + 2 * column] =
        column === APPROVAL_LINK_COLUMN && clickable(entry)
          ? `<a href="${escapeHtml(entry.approvalUrl)}" style="color:#0b57d0">open the approval page</a>${
              entry.laterUnverifiedLink ? escapeHtml(LATER_UNVERIFIED) : ''
            }`
          : escapeHtml(value);
    }
    text.push(block.join(''));
    if (!compact) text.push('');
    html.push(row.join(''));
  });
  if (compact) text.push('');
  text.push(footerText);
  if (digest.entries.length > 0) html.push('</tbody>\n</table>');
  html.push(`\n<p style="color:#5f6368;font-size:12px">${escapeHtml(footerText)}</p>`, HTML_DOCUMENT_END);
  return { subject, text: text.join('\n'), html: html.join('') };
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
      : `${TABLE_OPEN}\n<thead><tr>${header
          .map((label) => `<th style="${HEADER_CELL_STYLE}">${escapeHtml(label)}</th>`)
          .join('')}</tr></thead>\n<tbody valign="top">\n${rows
          .map((event) => `<tr>${event.map(([, value]) => `<td>${escapeHtml(value)}</td>`).join('')}</tr>`)
          .join('\n')}\n</tbody>\n</table>`;
  const html = htmlDocument(
    subject,
    [`<h2 style="font-size:18px">${escapeHtml(subject)}</h2>`, `<p>${escapeHtml(intro)}</p>`, table].join('\n'),
    TABLE_STYLE,
  );
  return { subject, text, html };
}

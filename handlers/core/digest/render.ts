/**
 * The digest as mail, written for the person who has to act on it: one block per request, the deadline and the
 * approve action (or the reason there is none) first, in sections by what is to be done (needs action, expired,
 * not our account, done). The HTML is what mail clients render reliably: one column of nested tables no wider than
 * 600 px and fluid below it, every style inline on the element it applies to (hand-written, a few constants: no style
 * sheet for a client to drop, no inliner in the bundle), no images, no external resources, no script. A plain-text
 * part carries the same entries with the same values in the same order. Every value from mail is escaped; the words
 * come from the owner's catalogue, times in the owner's zone and language.
 */

import type { Locale } from '../configuration/schema.js';
import type { DigestWords, Span } from '../i18n/catalogue.js';
import { catalogueFor } from '../i18n/catalogue.js';
import { defangLink, presentAddress, presentMailText } from '../routing/defang.js';
import { escapeHtml, type RenderedMail } from '../routing/presentation.js';
import type { CanaryLine } from './canary.js';
import type { DigestEntry, EntryState, OwnerDigest, SecurityDigest } from './digest.js';
import type { EstateSection } from './estate.js';
import { localTime } from './local-time.js';

export { localTime };

export interface RenderContext {
  readonly timeZone: string;
  readonly now: Date;
  /** @default - `en` */
  readonly locale?: Locale;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * Up to this many entries each gets its block of labelled lines (text) and labelled rows (HTML); beyond, one line an
 * entry under a legend naming the values, in both parts. A person reads a hundred blocks at most; ten thousand are
 * searched, and their blocks with inline styles would be 30 MB of HTML where the lines are 5 MB.
 */
export const BLOCKS_UP_TO = 100;

// --- the look, inline: each constant is the whole style of one kind of element ------------------------------------
const INK = '#202124';
const MUTED = '#5f6368';
const LINE = '#dadce0';
const STATE_COLOUR: Record<EntryState, string> = {
  open: '#1b5e20',
  expired: '#b00020',
  'foreign-account': '#b00020',
  done: MUTED,
};
/** Long unbreakable values (a 63-character label, an ARN, a defanged link) wrap instead of widening the page. */
const WRAP = 'word-break:break-word;overflow-wrap:anywhere';
const PRESENTATION = 'role="presentation" cellpadding="0" cellspacing="0" border="0"';
const FONT = "font-family:Arial,Helvetica,'Hiragino Sans','Yu Gothic',Meiryo,sans-serif";
const SECTION_STYLE = `padding:20px 16px 8px 16px;font-size:16px;line-height:22px;font-weight:bold;color:${INK}`;
const LABEL_STYLE = `padding:2px 8px 2px 0;color:${MUTED};font-size:13px;line-height:18px;vertical-align:top;${WRAP}`;
const VALUE_STYLE = `padding:2px 0;font-size:13px;line-height:18px;vertical-align:top;${WRAP}`;
const BUTTON_STYLE =
  'display:inline-block;background:#0b57d0;color:#ffffff;text-decoration:none;font-weight:bold;padding:8px 14px;border-radius:4px';
const COMPACT_ENTRY_OPEN = '<p style="margin:0 0 8px 0">';

/**
 * The page: a full-width table that centres a 600 px one. `max-width` makes it fluid below 600 px; Outlook for
 * Windows (Word's renderer) ignores `max-width`, so a fixed-width table only it reads (the conditional comment) holds
 * it at 600 there. `lang` lets clients pick Japanese glyphs for a `ja` digest.
 */
function documentStart(title: string, lang: string): string {
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body style="margin:0;padding:0;background:#f1f3f4">
<table ${PRESENTATION} width="100%" style="width:100%;background:#f1f3f4"><tr><td align="center" style="padding:12px 0">
<!--[if mso]><table ${PRESENTATION} width="600" align="center"><tr><td><![endif]-->
<table ${PRESENTATION} width="100%" style="width:100%;max-width:600px;background:#ffffff;${FONT};font-size:14px;line-height:20px;color:${INK};${WRAP}">
`;
}
const DOCUMENT_END = `</table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr></table>
</body></html>
`;

function titleRows(title: string, lines: readonly string[]): string {
  return `<tr><td style="padding:16px 16px 4px 16px;font-size:18px;line-height:24px;font-weight:bold;${WRAP}">${escapeHtml(title)}</td></tr>
${lines.map((line) => `<tr><td style="padding:0 16px 4px 16px;${WRAP}">${escapeHtml(line)}</td></tr>`).join('\n')}
`;
}

function sectionRow(heading: string, colour: string): string {
  return `<tr><td style="${SECTION_STYLE};color:${colour}">${escapeHtml(heading)}</td></tr>\n`;
}

/**
 * One request or event: a bordered box with a bar in its state's colour, its first line (the deadline), the action
 * line (already HTML), then label and value rows. `table-layout:fixed` keeps the label column at its width whatever
 * the values hold.
 */
function blockRow(
  colour: string,
  headline: string,
  actionHtml: string,
  rows: readonly (readonly [string, string])[],
): string {
  const details = rows
    .map(
      ([label, value]) =>
        `<tr><td width="34%" style="width:34%;${LABEL_STYLE}">${escapeHtml(label)}</td><td style="${VALUE_STYLE}">${escapeHtml(value)}</td></tr>`,
    )
    .join('\n');
  return `<tr><td style="padding:0 16px 12px 16px">
<table ${PRESENTATION} width="100%" style="width:100%;border:1px solid ${LINE};border-left:4px solid ${colour}"><tr><td style="padding:10px 12px;${WRAP}">
<div style="font-weight:bold;color:${colour};${WRAP}">${escapeHtml(headline)}</div>
${actionHtml}
<table ${PRESENTATION} width="100%" style="width:100%;table-layout:fixed;margin-top:8px">
${details}
</table>
</td></tr></table>
</td></tr>
`;
}

// --- what each entry says, once, for both parts --------------------------------------------------------------------

/** What an entry says, in the order both parts write it. */
interface EntryView {
  readonly state: EntryState;
  readonly headline: string;
  /** The link to click, only where `clickable()` allows it. */
  readonly approvalUrl: string | null;
  /** Why there is nothing to click, where there is not. */
  readonly reason: string | null;
  /** A later unverified copy brought another link (never shown). */
  readonly note: string | null;
  /** In the order of `detailLabels(words)`; a null value is left out of a block and written `-` in a line. */
  readonly values: readonly (string | null)[];
}

/** Only a link that came in trusted mail, of a request of ours whose window is open, is ever clickable. */
function clickable(entry: DigestEntry): entry is DigestEntry & { approvalUrl: string } {
  return entry.state === 'open' && entry.linkTrust === 'trusted' && entry.approvalUrl !== null;
}

function span(ms: number): Span {
  if (ms >= DAY_MS) return { days: Math.floor(ms / DAY_MS) };
  const minutes = Math.floor(ms / MINUTE_MS);
  return { hours: Math.floor(minutes / 60), minutes: minutes % 60 };
}

function headlineOf(entry: DigestEntry, words: DigestWords, context: Required<RenderContext>): string {
  if (entry.state === 'foreign-account' || entry.approvalDeadline === null) return words.doNotApprove(entry.accountId);
  if (entry.state === 'done') return words.certificateIssued;
  const time = localTime(entry.approvalDeadline, context.timeZone, context.locale);
  const ms = Date.parse(entry.approvalDeadline) - context.now.getTime();
  if (entry.state === 'expired' || ms < 0) return words.windowClosed(time, span(Math.max(0, -ms)));
  const minutes = Math.floor(ms / MINUTE_MS);
  return words.approveBy(time, { hours: Math.floor(minutes / 60), minutes: minutes % 60 }, entry.expiringToday);
}

function reasonOf(entry: DigestEntry, words: DigestWords): string | null {
  switch (entry.state) {
    case 'foreign-account':
      return words.foreignAdvice;
    case 'expired':
      return words.resendExpired;
    case 'done':
      return words.nothingToDo;
    case 'open':
      if (clickable(entry)) return null;
      return entry.approvalUrl === null ? words.noLinkReceived : words.linkWithheldUnverified;
  }
}

/** The labels of an entry's details, in the order of `EntryView.values`. */
function detailLabels(words: DigestWords): string[] {
  const l = words.labels;
  return [
    l.domain,
    l.account,
    l.region,
    l.kind,
    l.ticket,
    l.trust,
    l.acmStatus,
    l.certificateExpires,
    l.reached,
    l.firstReceived,
    l.linkAsReceived,
  ];
}

function viewOf(entry: DigestEntry, words: DigestWords, context: Required<RenderContext>): EntryView {
  const expiry = entry.certificateExpiresAt
    ? words.certificateExpiry(
        localTime(entry.certificateExpiresAt, context.timeZone, context.locale),
        entry.renewalDueInDays,
      )
    : words.unknown;
  const canClick = clickable(entry);
  return {
    state: entry.state,
    headline: headlineOf(entry, words, context),
    approvalUrl: canClick ? entry.approvalUrl : null,
    reason: reasonOf(entry, words),
    note: entry.laterUnverifiedLink ? words.laterUnverifiedLink : null,
    values: [
      entry.domain,
      entry.accountName ? `${entry.accountName} (${entry.accountId})` : entry.accountId,
      entry.region || '-',
      entry.renewal ? words.renewal : words.newCertificate,
      // The ticket's subject is ours, made of the request's checked fields.
      entry.ticket ?? '-',
      entry.trust === 'trusted' ? words.trusted : words.unverified,
      entry.state === 'foreign-account' ? '-' : words.acmStatus[entry.certificateStatus],
      expiry,
      entry.addresses.map(presentAddress).join(', ') || '-',
      localTime(entry.firstReceivedAt, context.timeZone, context.locale),
      // Never the link itself where it may not be clicked: defanged, its secrets redacted.
      entry.approvalUrl !== null && !canClick ? defangLink(entry.approvalUrl) : null,
    ],
  };
}

/** The action as one text value: the link where it may be clicked, else the reason; the note after either. */
function actionValues(view: EntryView): [string, string] {
  return [view.approvalUrl ?? view.reason ?? '-', view.note ?? '-'];
}

// --- the text part -------------------------------------------------------------------------------------------------

/** Columns a terminal gives a string: East Asian wide characters take two, so Japanese labels line up too. */
function displayWidth(text: string): number {
  let width = 0;
  for (const character of text) width += (character.codePointAt(0) ?? 0) >= 0x1100 ? 2 : 1;
  return width;
}

function labelPadder(words: DigestWords): (label: string) => string {
  const labels = Object.values(words.labels).concat(words.approvalPageLabel);
  const width = Math.max(...labels.map((label) => displayWidth(label))) + 2;
  const padded = new Map(labels.map((label) => [label, `${label}:${' '.repeat(width - displayWidth(label) - 1)}`]));
  return (label) => padded.get(label) ?? `${label}: `;
}

function textBlock(
  number: number,
  view: EntryView,
  labels: readonly string[],
  pad: (label: string) => string,
  words: DigestWords,
): string {
  const lines = [`${number}. ${view.headline}`];
  if (view.approvalUrl !== null) lines.push(`   ${pad(words.approvalPageLabel)}${view.approvalUrl}`);
  if (view.reason !== null) lines.push(`   ${view.reason}`);
  if (view.note !== null) lines.push(`   ${view.note}`);
  view.values.forEach((value, index) => {
    if (value !== null) lines.push(`   ${pad(labels[index] as string)}${value}`);
  });
  return lines.join('\n');
}

// --- the owner's digest --------------------------------------------------------------------------------------------

const SECTIONS: readonly EntryState[] = ['open', 'expired', 'foreign-account', 'done'];

function sectionHeading(state: EntryState, count: number, words: DigestWords): string {
  switch (state) {
    case 'open':
      return words.needsAction(count);
    case 'expired':
      return words.expiredSection(count);
    case 'foreign-account':
      return words.foreignSection(count);
    case 'done':
      return words.doneSection(count);
  }
}

export function digestSubject(
  counts: OwnerDigest['counts'] & { readonly mailboxesMissing?: number },
  locale: Locale = 'en',
): string {
  return catalogueFor(locale).digest.subject({ mailboxesMissing: 0, ...counts });
}

export function renderOwnerDigest(digest: OwnerDigest, given: RenderContext): RenderedMail {
  const context: Required<RenderContext> = { locale: 'en', ...given };
  const words = catalogueFor(context.locale).digest;
  const counts = {
    ...digest.counts,
    mailboxesMissing: digest.canary.filter((line) => line.mark === 'missing').length,
  };
  const subject = words.subject(counts);
  const asOf = words.asOf(digest.owner.name, localTime(context.now.toISOString(), context.timeZone, context.locale));
  const intro =
    digest.entries.length === 0
      ? [words.nothingOpen(digest.owner.name), ...(counts.mailboxesMissing > 0 ? [words.summary(counts)] : [])]
      : [asOf, words.summary(counts)];
  const compact = digest.entries.length > BLOCKS_UP_TO;
  const pad = labelPadder(words);
  const labels = detailLabels(words);

  // Each part is one array of pieces joined once: a digest of megabytes is copied once, not once per layer.
  const text = [subject, '', ...intro, ''];
  const html = [documentStart(subject, words.htmlLang), titleRows(subject, intro)];
  if (compact) {
    text.push(words.compactLegend, '');
    html.push(
      `<tr><td style="padding:8px 16px 0 16px;color:${MUTED};font-size:12px">${escapeHtml(words.compactLegend)}</td></tr>\n`,
    );
  }
  const bySection = new Map<EntryState, DigestEntry[]>(SECTIONS.map((state) => [state, []]));
  for (const entry of digest.entries) bySection.get(entry.state)?.push(entry);

  let number = 0;
  for (const state of SECTIONS) {
    const entries = bySection.get(state) ?? [];
    if (entries.length === 0) continue;
    const heading = sectionHeading(state, entries.length, words);
    text.push(heading, '');
    html.push(sectionRow(heading, STATE_COLOUR[state]));
    if (compact) html.push(`<tr><td style="padding:0 16px;font-size:13px;line-height:18px;${WRAP}">\n`);
    for (const entry of entries) {
      number += 1;
      const view = viewOf(entry, words, context);
      if (compact) {
        // The deadline, the action, the rest: the action is the one value that may be a link in the HTML.
        const [action, note] = actionValues(view);
        let rest = '';
        for (const value of view.values) rest += `${value ?? '-'} | `;
        rest += note;
        text.push(`${number}. ${view.headline} | ${action} | ${rest}`);
        const actionHtml =
          view.approvalUrl === null
            ? escapeHtml(action)
            : `<a href="${escapeHtml(view.approvalUrl)}">${escapeHtml(view.approvalUrl)}</a>`;
        html.push(
          `${COMPACT_ENTRY_OPEN}${number}. ${escapeHtml(view.headline)} | ${actionHtml} | ${escapeHtml(rest)}</p>\n`,
        );
      } else {
        text.push(textBlock(number, view, labels, pad, words), '');
        html.push(
          blockRow(
            STATE_COLOUR[state],
            `${number}. ${view.headline}`,
            actionHtml(view, words),
            presentRows(view, labels),
          ),
        );
      }
    }
    if (compact) {
      text.push('');
      html.push('</td></tr>\n');
    }
  }
  if (digest.canary.length > 0) canarySection(digest.canary, words, context, text, html);
  if (digest.estate !== null) estateSection(digest.estate, words, context, text, html);
  text.push(words.footer);
  html.push(
    `<tr><td style="padding:16px;color:${MUTED};font-size:12px;line-height:16px">${escapeHtml(words.footer)}</td></tr>\n`,
    DOCUMENT_END,
  );
  return { subject, text: text.join('\n'), html: html.join('') };
}

// --- the mailbox canary --------------------------------------------------------------------------------------------

function canaryStatus(line: CanaryLine, words: DigestWords, context: Required<RenderContext>): string {
  const time = (iso: string | null) => (iso === null ? null : localTime(iso, context.timeZone, context.locale));
  switch (line.mark) {
    case 'arrived':
      return words.canaryArrived(time(line.lastSuccessAt) ?? '-');
    case 'missing':
      return words.canaryMissing(time(line.missingAt), time(line.lastSuccessAt));
    case 'pending':
      return words.canaryPending;
    case 'never':
      return words.canaryNever;
  }
}

/**
 * After the requests: one row an address, the address and what the canary last found there. A missing address is in
 * the alarm colour and bold, a never-tested one bold: both are to be looked at; the heading turns red when any is
 * missing. Same values, same order in the text part.
 */
function canarySection(
  lines: readonly CanaryLine[],
  words: DigestWords,
  context: Required<RenderContext>,
  text: string[],
  html: string[],
): void {
  const heading = words.canarySection(lines.length);
  const anyMissing = lines.some((line) => line.mark === 'missing');
  const rows = lines.map((line) => ({ line, status: canaryStatus(line, words, context) }));
  text.push(heading, '', words.canaryIntro, '');
  for (const { line, status } of rows) text.push(`   ${line.address}: ${status}`);
  text.push('');
  html.push(
    sectionRow(heading, anyMissing ? '#b00020' : INK),
    `<tr><td style="padding:0 16px 8px 16px;color:${MUTED};font-size:13px;line-height:18px;${WRAP}">${escapeHtml(words.canaryIntro)}</td></tr>\n`,
    `<tr><td style="padding:0 16px 12px 16px">\n<table ${PRESENTATION} width="100%" style="width:100%;table-layout:fixed">\n`,
  );
  for (const { line, status } of rows) {
    const emphasis =
      line.mark === 'missing' ? 'color:#b00020;font-weight:bold;' : line.mark === 'never' ? 'font-weight:bold;' : '';
    html.push(
      `<tr><td width="34%" style="width:34%;${LABEL_STYLE}">${escapeHtml(line.address)}</td><td style="${emphasis}${VALUE_STYLE}">${escapeHtml(status)}</td></tr>\n`,
    );
  }
  html.push('</table>\n</td></tr>\n');
}

// --- the certificate estate ----------------------------------------------------------------------------------------

/**
 * After the canary: a few sentences, the same in both parts. Certificates that would mail for an approval nobody
 * expects make the heading the alarm colour.
 */
function estateSection(
  estate: EstateSection,
  words: DigestWords,
  context: Required<RenderContext>,
  text: string[],
  html: string[],
): void {
  const heading = words.estateSection(estate.emailValidated);
  const lines = [
    words.estateSummary(estate.emailValidated, estate.readyNow),
    ...(estate.nextExpiry === null
      ? []
      : [
          words.estateNextExpiry(
            estate.nextExpiry.domain,
            estate.nextExpiry.account,
            localTime(estate.nextExpiry.notAfter, context.timeZone, context.locale),
          ),
        ]),
    ...(estate.unusedExpiringSoon > 0 ? [words.estateUnusedExpiring(estate.unusedExpiringSoon)] : []),
    ...(estate.incomplete ? [words.estateIncomplete] : []),
    words.estateHowTo(localTime(estate.listedAt, context.timeZone, context.locale)),
  ];
  text.push(heading, '', ...lines.map((line) => `   ${line}`), '');
  html.push(sectionRow(heading, estate.unusedExpiringSoon > 0 ? '#b00020' : INK));
  for (const line of lines) {
    html.push(
      `<tr><td style="padding:0 16px 6px 16px;font-size:13px;line-height:18px;${WRAP}">${escapeHtml(line)}</td></tr>\n`,
    );
  }
}

function presentRows(view: EntryView, labels: readonly string[]): [string, string][] {
  return view.values.flatMap((value, index) => (value === null ? [] : [[labels[index] as string, value]]));
}

function actionHtml(view: EntryView, words: DigestWords): string {
  const parts: string[] = [];
  if (view.approvalUrl !== null) {
    parts.push(
      `<div style="margin-top:8px"><a href="${escapeHtml(view.approvalUrl)}" style="${BUTTON_STYLE}">${escapeHtml(words.openApprovalPage)}</a></div>`,
    );
  }
  const colour = view.state === 'foreign-account' || view.state === 'expired' ? STATE_COLOUR[view.state] : MUTED;
  if (view.reason !== null)
    parts.push(`<div style="margin-top:6px;color:${colour};${WRAP}">${escapeHtml(view.reason)}</div>`);
  if (view.note !== null)
    parts.push(`<div style="margin-top:6px;color:#b00020;${WRAP}">${escapeHtml(view.note)}</div>`);
  return parts.join('\n');
}

// --- the security contact's summary (English: the security contact has no locale) --------------------------------

const SECURITY_COLOUR: Record<SecurityDigest['events'][number]['outcome'], string> = {
  'foreign-account': '#b00020',
  suspicious: '#b00020',
  unparseable: '#e37400',
};

export function renderSecurityDigest(digest: SecurityDigest, context: RenderContext): RenderedMail {
  const c = digest.counts;
  const subject = `ACM security: ${c.foreignAccount} foreign-account, ${c.suspicious} suspicious, ${c.unparseable} unreadable`;
  const locale = context.locale ?? 'en';
  const events = digest.events.map((event) => ({
    outcome: event.outcome,
    headline: `${event.outcome}: ${event.domain ?? '-'}`,
    rows: [
      ['When', localTime(event.recordedAt, context.timeZone, locale)],
      ['Domain', event.domain ?? '-'],
      ['Account', event.accountId ?? '-'],
      ['Region', event.region ?? '-'],
      ['Certificate', event.certificateArn ?? '-'],
      ['Subject', presentMailText(event.subject) || '-'],
      ['Reasons', event.reasons.join(', ') || '-'],
      ['Authenticated', event.authenticated ? 'yes' : 'no'],
      ['Message', event.messageId],
    ] as [string, string][],
  }));
  const intro =
    events.length === 0
      ? 'No security events in the period.'
      : 'Security events of the period, newest first (one per request). Quarantined copies are under quarantine/<Message>.';
  const text = [
    subject,
    '',
    intro,
    '',
    ...events.flatMap((event, index) => [
      [
        `${index + 1}. ${event.headline}`,
        ...event.rows.map(([label, value]) => `   ${`${label}:`.padEnd(16)}${value}`),
      ].join('\n'),
      '',
    ]),
  ].join('\n');
  const html = [
    documentStart(subject, 'en'),
    titleRows(subject, [intro]),
    ...events.map((event, index) =>
      blockRow(SECURITY_COLOUR[event.outcome], `${index + 1}. ${event.headline}`, '', event.rows),
    ),
    DOCUMENT_END,
  ].join('');
  return { subject, text, html };
}

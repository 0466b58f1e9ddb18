/** Small pieces every rendered mail shares: escaping, times, the console link, the request's facts as rows. */
import type { ApprovalRequest } from '../types.js';

export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const HTML_SPECIAL = /[&<>"']/;
const HTML_SPECIALS = /[&<>"']/g;

export function escapeHtml(value: string): string {
  // Most values (dates, accounts, regions) hold nothing to escape: one test instead of a pass per character kind,
  // which a 10,000-entry digest pays 130,000 times.
  return HTML_SPECIAL.test(value)
    ? value.replace(HTML_SPECIALS, (character) => HTML_ESCAPES[character] ?? character)
    : value;
}

/** `2026-11-23 09:14 UTC`: unambiguous across the owners' time zones. */
export function formatUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** `71 h 58 min left`, or `expired 3 h 5 min ago`. */
export function timeLeft(deadlineIso: string, now: Date): string {
  const { hours, minutes, passed } = timeToDeadline(deadlineIso, now);
  const span = `${hours} h ${minutes} min`;
  return passed ? `expired ${span} ago` : `${span} left`;
}

/** The certificate in the ACM console of its partition. */
export function consoleLink(approval: Pick<ApprovalRequest, 'certificateArn' | 'region' | 'certificateId'>): string {
  const partition = approval.certificateArn.split(':')[1] ?? 'aws';
  const host =
    partition === 'aws-cn'
      ? 'console.amazonaws.cn'
      : partition === 'aws-us-gov'
        ? 'console.amazonaws-us-gov.com'
        : 'console.aws.amazon.com';
  return `https://${approval.region}.${host}/acm/home?region=${approval.region}#/certificates/${approval.certificateId}`;
}

/** Label/value rows as aligned plain text. */
export function textRows(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([label]) => displayWidth(label))) + 2;
  return rows.map(([label, value]) => `${label}:${' '.repeat(width - displayWidth(label) - 1)}${value}`).join('\n');
}

// Kana, CJK ideographs, Hangul and the fullwidth forms take two columns in a monospaced font (East Asian Width W/F).
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

/** Columns a label takes in a monospaced font, so that Japanese labels line their values up as English ones do. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const character of text) width += WIDE.test(character) ? 2 : 1;
  return width;
}

/** Hours and minutes from `now` to `deadlineIso`, whole minutes rounded down, and whether it has passed. */
export function timeToDeadline(
  deadlineIso: string,
  now: Date,
): { readonly hours: number; readonly minutes: number; readonly passed: boolean } {
  const ms = Date.parse(deadlineIso) - now.getTime();
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  return { hours: Math.floor(minutes / 60), minutes: minutes % 60, passed: ms < 0 };
}

/** Label/value rows as an HTML table; every value escaped (domains and subjects come from untrusted mail). */
export function htmlRows(rows: readonly (readonly [string, string])[]): string {
  const body = rows
    .map(
      ([label, value]) =>
        `<tr><th style="text-align:left;padding:2px 12px 2px 0;vertical-align:top">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    )
    .join('\n');
  return `<table style="border-collapse:collapse">\n${body}\n</table>`;
}

/**
 * A whole HTML mail; `style`, when given, is a style sheet of our own for the head (never text from mail); `lang`,
 * when given, tells mail clients the language (for Japanese, the Japanese forms of the CJK characters).
 */
export function htmlDocument(title: string, inner: string, style?: string, lang?: string): string {
  return `${htmlDocumentStart(title, style, lang)}${inner}${HTML_DOCUMENT_END}`;
}

/** `htmlDocument` up to its inner HTML, for a mail written in pieces and joined once (the digest). */
export function htmlDocumentStart(title: string, style?: string, lang?: string): string {
  const sheet = style === undefined ? '' : `<style>${style}</style>`;
  return `<!doctype html>\n<html${lang === undefined ? '' : ` lang="${escapeHtml(lang)}"`}><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>${sheet}</head>\n<body style="font-family:sans-serif">\n`;
}

export const HTML_DOCUMENT_END = '\n</body></html>\n';

export function htmlParagraphs(paragraphs: readonly string[]): string {
  return paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n');
}

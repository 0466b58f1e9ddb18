/** Reads the ACM template's fields, link and wording out of decoded text. Pure; no validation here. */
import {
  APPROVAL_ANCHOR,
  APPROVAL_SENTENCE,
  APPROVALS_PATH,
  EXPIRATION_LABEL,
  FIELD_LABELS,
  FORWARD_SEPARATORS,
  GREETING,
  INNER_ACM_FROM_LINE,
  INVISIBLE_CHARACTERS,
  LINK_SEARCH_CHARS,
  MAX_LINKS_PER_PART,
  QUOTE_PREFIX,
  RENEWAL_WORDING,
  URL_LIKE,
} from './template.js';

export interface TemplateReading {
  /** Every value of each label, in order; more than one is itself a finding. */
  readonly domains: readonly string[];
  readonly accountIds: readonly string[];
  readonly regions: readonly string[];
  readonly certificateIdentifiers: readonly string[];
  readonly expirations: readonly string[];
  /** The raw link where the template puts it, or null. */
  readonly approvalLink: string | null;
  /** Every different link to an approvals path, the template's one included. */
  readonly approvalLinks: readonly string[];
  /** Every different link-like string (scheme URLs, `www.` addresses, approvals paths, HTML link attributes). */
  readonly links: readonly string[];
  readonly hasApprovalParagraph: boolean;
  readonly renewalWording: boolean;
  /** A forward separator, an inner From line naming ACM, quoted template lines, or a note above the greeting. */
  readonly forwardMarkers: boolean;
}

function allValues(pattern: RegExp, text: string): string[] {
  return Array.from(text.matchAll(pattern), (match) => match[1] ?? '');
}

/** Trailing punctuation a sentence or a reflowed forward leaves on a URL. */
function trimUrl(candidate: string): string {
  return candidate.replace(/[.,;]+$/, '');
}

/** The link the template places after "Amazon Certificate Approvals": `(URL)`, `at URL`, or URL on the next line. */
function anchoredLink(text: string): string | null {
  for (const anchor of text.matchAll(APPROVAL_ANCHOR)) {
    const after = text.slice((anchor.index ?? 0) + anchor[0].length).slice(0, LINK_SEARCH_CHARS);
    const parenthesised = /^\s*\(([^)]*)\)/.exec(after)?.[1];
    // The whole line is kept, whitespace included, so that a tab or space hidden in a link is seen and refused.
    const line = parenthesised ?? /^[ \t]*(?:at\b)?[ \t]*(?:\r?\n)?[ \t]*([^\r\n]*)/.exec(after)?.[1] ?? '';
    const candidate = trimUrl(line.trim().replace(/\s+and\s+follow\b.*$/s, ''));
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(candidate) || candidate.includes('/approvals')) return candidate;
  }
  return null;
}

/** Percent escapes decoded where they decode: `/%61pprovals` is `/approvals` to a browser. */
function decoded(link: string): string {
  try {
    return decodeURIComponent(link);
  } catch {
    return link;
  }
}

/** Whether a link leads to an approvals path, however its path is escaped or cased. */
export function isApprovalsLink(link: string): boolean {
  return APPROVALS_PATH.test(link) || APPROVALS_PATH.test(decoded(link));
}

const DELIMITER = /[\s()<>"']/;

/**
 * Every token holding an approvals path, scheme or not (clients linkify `host/path` too). Found by position with
 * indexOf, not by a pattern, so the scan stays linear over any text.
 */
function approvalsTokens(text: string): string[] {
  const tokens: string[] = [];
  const lower = text.toLowerCase();
  for (let at = lower.indexOf('/approvals'); at !== -1 && tokens.length < MAX_LINKS_PER_PART; ) {
    let start = at;
    while (start > 0 && at - start < 2048 && !DELIMITER.test(text[start - 1] as string)) start -= 1;
    let end = at;
    while (end < text.length && end - at < 4096 && !DELIMITER.test(text[end] as string)) end += 1;
    tokens.push(trimUrl(text.slice(start, end)));
    at = lower.indexOf('/approvals', end);
  }
  return tokens;
}

/** Links of a text, bounded in number. */
export function linksIn(text: string): { links: string[]; approvalLinks: string[] } {
  const links = new Set<string>();
  for (const match of text.matchAll(URL_LIKE)) {
    if (links.size >= MAX_LINKS_PER_PART) break;
    links.add(trimUrl(match[0]));
  }
  const approvalLinks = new Set(approvalsTokens(text));
  for (const link of links) if (isApprovalsLink(link)) approvalLinks.add(link);
  for (const link of approvalLinks) links.add(link);
  return { links: [...links], approvalLinks: [...approvalLinks] };
}

/**
 * What a mail client writes when a person forwards: a separator, an inner header block naming ACM above the greeting,
 * or quoting. A bare note or a stray character above ACM's greeting is not enough: anyone sending ACM's template as
 * their own can put one there.
 */
function hasForwardMarkers(raw: string): boolean {
  if (FORWARD_SEPARATORS.some((separator) => separator.test(raw))) return true;
  const greeting = GREETING.exec(raw);
  const beforeGreeting = greeting ? raw.slice(0, greeting.index) : '';
  return INNER_ACM_FROM_LINE.test(beforeGreeting) || QUOTED_LINE.test(raw);
}

const QUOTED_LINE = /^[ \t]*>/m;

/**
 * `raw` is the decoded text part (or the text of the HTML part). Quote markers are removed before fields are read, so
 * a quoted forward reads like the original.
 */
export function readTemplate(raw: string, maxChars: number): TemplateReading {
  const bounded = (raw.length > maxChars ? raw.slice(0, maxChars) : raw).replace(INVISIBLE_CHARACTERS, '');
  const text = bounded.replace(/\r\n?/g, '\n').replaceAll('\u00a0', ' ').replace(QUOTE_PREFIX, '');
  const approvalLink = anchoredLink(text);
  const { links, approvalLinks } = linksIn(text);
  if (approvalLink !== null) approvalLinks.push(approvalLink);
  return {
    domains: allValues(FIELD_LABELS.domain, text),
    accountIds: allValues(FIELD_LABELS.accountId, text),
    regions: allValues(FIELD_LABELS.region, text),
    certificateIdentifiers: allValues(FIELD_LABELS.certificateIdentifier, text),
    expirations: allValues(EXPIRATION_LABEL, text).map((value) => value.trim()),
    approvalLink,
    approvalLinks: [...new Set(approvalLinks)],
    links: [...new Set([...links, ...approvalLinks])],
    hasApprovalParagraph: APPROVAL_SENTENCE.test(text) || approvalLink !== null,
    renewalWording: RENEWAL_WORDING.some((wording) => wording.test(text)),
    forwardMarkers: hasForwardMarkers(bounded),
  };
}

/** How many of the four field labels (domain, account, region, identifier) the reading found at least once. */
export function fieldLabelCount(reading: TemplateReading): number {
  return [reading.domains, reading.accountIds, reading.regions, reading.certificateIdentifiers].filter(
    (values) => values.length > 0,
  ).length;
}

/** Reads the ACM template's fields, link and wording out of decoded text. Pure; no validation here. */
import {
  ACM_SENDER_NAMED,
  APPROVAL_ANCHOR,
  APPROVAL_SENTENCE,
  APPROVALS_PATH,
  EXPIRATION_LABEL,
  FIELD_LABELS,
  FORWARD_SEPARATORS,
  GREETING,
  INNER_ACM_FROM_LINE,
  INVISIBLE_CHARACTERS,
  LABEL_ANCHORS,
  LINK_SEARCH_CHARS,
  MAX_LINKS_PER_PART,
  MAX_SCHEME_CHARS,
  QUOTE_PREFIX,
  RENEWAL_WORDING,
  URL_LIKE,
  WWW_PREFIX,
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

/**
 * Visits the matches of a global pattern in order, as `text.matchAll(pattern)` yields them, until `visit` answers
 * false, without the copy of the pattern matchAll makes on every call. The pattern's own `lastIndex` is used
 * instead, from 0 and back to 0: no visitor scans with the same pattern.
 */
function eachMatch(pattern: RegExp, text: string, visit: (match: RegExpExecArray) => boolean | undefined): void {
  if (!pattern.global) throw new TypeError(`eachMatch needs a global pattern, not ${pattern}`);
  pattern.lastIndex = 0;
  try {
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      // matchAll's step past an empty match (none of the template's patterns has one): one character onward.
      if (match[0] === '') {
        const at = pattern.lastIndex;
        const pair = pattern.unicode && (text.codePointAt(at) ?? 0) > 0xffff;
        pattern.lastIndex = at + (pair ? 2 : 1);
      }
      if (visit(match) === false) break;
    }
  } finally {
    pattern.lastIndex = 0;
  }
}

/**
 * The first group of every match of a global label pattern, in order, as its own scan finds them. Each scan starts
 * at the next place the label's literal can put a match's start (LABEL_ANCHORS): no match starts before it.
 */
export function labelValues(
  pattern: RegExp,
  anchor: { readonly literal: string; readonly within: number },
  text: string,
): string[] {
  const values: string[] = [];
  for (let from = 0; ; ) {
    const at = text.indexOf(anchor.literal, from);
    if (at === -1) break;
    pattern.lastIndex = Math.max(from, at - anchor.within);
    const match = pattern.exec(text);
    pattern.lastIndex = 0;
    if (match === null) break;
    values.push(match[1] ?? '');
    // A match holds its literal, so it is never empty: the next scan starts after it, as the pattern's own would.
    from = match.index + match[0].length;
  }
  return values;
}

/** Trailing punctuation a sentence or a reflowed forward leaves on a URL. */
function trimUrl(candidate: string): string {
  return candidate.replace(/[.,;]+$/, '');
}

/** The link the template places after "Amazon Certificate Approvals": `(URL)`, `at URL`, or URL on the next line. */
function anchoredLink(text: string): string | null {
  let link: string | null = null;
  eachMatch(APPROVAL_ANCHOR, text, (anchor) => {
    const start = anchor.index + anchor[0].length;
    const after = text.slice(start, start + LINK_SEARCH_CHARS);
    const parenthesised = /^\s*\(([^)]*)\)/.exec(after)?.[1];
    // The whole line is kept, whitespace included, so that a tab or space hidden in a link is seen and refused.
    const line = parenthesised ?? /^[ \t]*(?:at\b)?[ \t]*(?:\r?\n)?[ \t]*([^\r\n]*)/.exec(after)?.[1] ?? '';
    const candidate = trimUrl(line.trim().replace(/\s+and\s+follow\b.*$/s, ''));
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(candidate) || candidate.includes('/approvals')) link = candidate;
    return link === null;
  });
  return link;
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
  // Without a `%` there is nothing to decode: the decoded link is the link.
  return APPROVALS_PATH.test(link) || (link.includes('%') && APPROVALS_PATH.test(decoded(link)));
}

/**
 * What ends a link-like token: a character of JavaScript's `\s` (white space and line terminators) or one of
 * `()<>"'`, as the pattern `/[\s()<>"']/` has it, tested by code so that no pattern runs for every character.
 */
export function isTokenDelimiter(code: number): boolean {
  if (code < 0x80) {
    return (
      code === 0x20 ||
      (code >= 0x09 && code <= 0x0d) ||
      code === 0x28 ||
      code === 0x29 ||
      code === 0x3c ||
      code === 0x3e ||
      code === 0x22 ||
      code === 0x27
    );
  }
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** `/approvals` in any ASCII case (the pattern's /i without /u folds no other character to these letters). */
const APPROVALS_AT = /\/approvals/gi;

/**
 * Every token holding an approvals path, scheme or not (clients linkify `host/path` too). Found by position, not by a
 * pattern over the whole token, so the scan stays linear over any text. `/approvals` is found in any case; lower-
 * casing the whole text for that copied every part once more, and gives the same positions unless the text holds
 * U+0130 (the one character whose lower case is two characters long), which keeps that way.
 */
function approvalsTokens(text: string): string[] {
  const tokens: string[] = [];
  const lower = text.includes('\u0130') ? text.toLowerCase() : null;
  for (let at = nextApprovals(text, lower, 0); at !== -1 && tokens.length < MAX_LINKS_PER_PART; ) {
    let start = at;
    while (start > 0 && at - start < 2048 && !isTokenDelimiter(text.charCodeAt(start - 1))) start -= 1;
    let end = at;
    while (end < text.length && end - at < 4096 && !isTokenDelimiter(text.charCodeAt(end))) end += 1;
    tokens.push(trimUrl(text.slice(start, end)));
    at = nextApprovals(text, lower, end);
  }
  return tokens;
}

/** Where the next `/approvals` starts at or after `from`, -1 if none; looked up in `lower` when there is one. */
function nextApprovals(text: string, lower: string | null, from: number): number {
  if (lower !== null) return lower.indexOf('/approvals', from);
  APPROVALS_AT.lastIndex = from;
  const found = APPROVALS_AT.exec(text);
  APPROVALS_AT.lastIndex = 0;
  return found === null ? -1 : found.index;
}

/** Where `pattern` (global) next matches at or after `from`, or Infinity. */
function nextMatchAt(pattern: RegExp, text: string, from: number): number {
  pattern.lastIndex = from;
  const found = pattern.exec(text);
  pattern.lastIndex = 0;
  return found === null ? Number.POSITIVE_INFINITY : found.index;
}

/**
 * What URL_LIKE finds in a text, in order, trailing punctuation trimmed, until MAX_LINKS_PER_PART different ones.
 * The same matches as its global scan, without running it over stretches that cannot hold one (it costs about 6 ns a
 * character, most of reading a part): every match starts with `www.`, or at most MAX_SCHEME_CHARS before a `://`, so
 * each scan starts at the nearer of the next two such places. Those are found by indexOf and a literal pattern, each
 * looked for again only once the scan has passed it, so the text is gone over once whatever it holds.
 */
export function urlLikeIn(text: string): Set<string> {
  const links = new Set<string>();
  let scheme = Number.NEGATIVE_INFINITY;
  let www = Number.NEGATIVE_INFINITY;
  for (let from = 0; links.size < MAX_LINKS_PER_PART; ) {
    if (scheme < from) {
      const at = text.indexOf('://', from);
      scheme = at === -1 ? Number.POSITIVE_INFINITY : at;
    }
    if (www < from) www = nextMatchAt(WWW_PREFIX, text, from);
    const start = Math.max(from, Math.min(scheme - MAX_SCHEME_CHARS, www));
    if (start === Number.POSITIVE_INFINITY) break;
    URL_LIKE.lastIndex = start;
    const match = URL_LIKE.exec(text);
    URL_LIKE.lastIndex = 0;
    if (match === null) break;
    links.add(trimUrl(match[0]));
    from = match.index + match[0].length;
  }
  return links;
}

/** Links of a text, bounded in number. */
export function linksIn(text: string): { links: string[]; approvalLinks: string[] } {
  const links = urlLikeIn(text);
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
  if (FORWARD_SEPARATORS.some(({ separator, mayHold }) => mayHold(raw) && separator.test(raw))) return true;
  const greeting = GREETING.exec(raw);
  const beforeGreeting = greeting ? raw.slice(0, greeting.index) : '';
  // A quoted line needs a `>`: most parts have none, and then the pattern need not run.
  const innerFrom = ACM_SENDER_NAMED.test(beforeGreeting) && INNER_ACM_FROM_LINE.test(beforeGreeting);
  return innerFrom || (raw.includes('>') && QUOTED_LINE.test(raw));
}

const QUOTED_LINE = /^[ \t]*>/m;
/** A character at or above U+00AD, the first of INVISIBLE_CHARACTERS (the soft hyphen). */
const MAY_HOLD_INVISIBLE = /[\u00ad-\uffff]/;

/**
 * `raw` is the decoded text part (or the text of the HTML part). Quote markers are removed before fields are read, so
 * a quoted forward reads like the original.
 */
export function readTemplate(raw: string, maxChars: number): TemplateReading {
  const within = raw.length > maxChars ? raw.slice(0, maxChars) : raw;
  // The replacements run only where they can replace something: each pattern is a scan of the whole part, and most
  // parts have no invisible character (every one is U+00AD or above), no `\r` (mailparser ends lines with `\n`)
  // and no quote marker.
  const bounded = MAY_HOLD_INVISIBLE.test(within) ? within.replace(INVISIBLE_CHARACTERS, '') : within;
  const lines = bounded.includes('\r') ? bounded.replace(/\r\n?/g, '\n') : bounded;
  const spaced = lines.replaceAll('\u00a0', ' ');
  const text = spaced.includes('>') ? spaced.replace(QUOTE_PREFIX, '') : spaced;
  const approvalLink = anchoredLink(text);
  const { links, approvalLinks } = linksIn(text);
  if (approvalLink !== null) approvalLinks.push(approvalLink);
  return {
    domains: labelValues(FIELD_LABELS.domain, LABEL_ANCHORS.domain, text),
    accountIds: labelValues(FIELD_LABELS.accountId, LABEL_ANCHORS.accountId, text),
    regions: labelValues(FIELD_LABELS.region, LABEL_ANCHORS.region, text),
    certificateIdentifiers: labelValues(FIELD_LABELS.certificateIdentifier, LABEL_ANCHORS.certificateIdentifier, text),
    expirations: labelValues(EXPIRATION_LABEL, LABEL_ANCHORS.expiration, text).map((value) => value.trim()),
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

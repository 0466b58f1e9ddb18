/**
 * The text a reader sees in an HTML part, and every link in it, read in one pass of htmlparser2 (the parser cheerio
 * is built on, by the same maintainers) without building a tree: the mail's HTML is read for the trust gate on every
 * mail, and a document tree cost three times as long for the same answer (npm run bench). The parser closes elements
 * the way browsers do (`<p>` inside `<p>`, a missing `</td>`), and decodes entities, so `&amp;` in an href is `&`.
 */

import { Parser } from 'htmlparser2';
import type { ParseLimits } from './limits.js';
import { HTML_SELECTORS, MAX_LINKS_PER_PART } from './template.js';
import { isApprovalsLink, linksIn, readTemplate, type TemplateReading } from './template-reader.js';

const LINK_ATTRIBUTES = new Set<string>(HTML_SELECTORS.linkAttributes);
const INVISIBLE = new Set<string>(HTML_SELECTORS.invisible);
const LINE_BREAKS = new Set<string>(HTML_SELECTORS.lineBreaks);
const BLOCKS = new Set<string>(HTML_SELECTORS.blocks);
/** Attribute values worth a look for a link inside them: cheap tests before the patterns run. */
const MAY_HOLD_LINK = /\/\/|url\(|approvals|www\./i;

interface HtmlReading {
  readonly text: string;
  /** The `approval_url` anchor's href, or else the first link to an `/approvals` path. */
  readonly approvalHref: string | null;
  /** Every URL an attribute holds: link attributes whole, any other one's URLs (meta refresh, `style` `url()`). */
  readonly attributeLinks: readonly string[];
  /** Those of them that lead to an approvals path, in the same order. */
  readonly attributeApprovalLinks: readonly string[];
}

type HtmlLimits = Pick<ParseLimits, 'maxScannedChars' | 'maxHtmlDepth'>;

function readHtml(html: string, limits: HtmlLimits): HtmlReading {
  const text: string[] = [];
  const attributeLinks = new Set<string>();
  let approvalHref: string | null = null;
  // Whether the content of each open element is hidden (inside head, script, style...): a stack, not recursion, so
  // a hostile nesting depth costs memory in proportion, never the call stack.
  const hiddenAbove: boolean[] = [];
  let hidden = false;
  // Past `maxHtmlDepth` the rest of the part is not read: what a reader would see there is past the limit too.
  let stopped = false;

  // Links are collected everywhere, the invisible parts included: a `<base href>` in the head changes where every
  // link goes, and a `<meta http-equiv="refresh" content="0;url=...">` is followed by some clients.
  const collect = (name: string, attribs: Record<string, string>): void => {
    // The attributes as Object.entries lists them, without the array of pairs per element it builds (7 KB a mail).
    for (const attribute in attribs) {
      if (!Object.hasOwn(attribs, attribute)) continue;
      if (attributeLinks.size >= MAX_LINKS_PER_PART) break;
      const value = (attribs[attribute] as string).trim();
      if (value === '') continue;
      if (LINK_ATTRIBUTES.has(attribute)) attributeLinks.add(value);
      else if (MAY_HOLD_LINK.test(value)) for (const link of linksIn(value).links) attributeLinks.add(link);
    }
    if (approvalHref === null && name === 'a' && attribs.id === HTML_SELECTORS.approvalLinkId) {
      approvalHref = attribs.href?.trim() ?? null;
    }
  };
  const parser = new Parser({
    // Tag and attribute names arrive lower-cased (HTML mode).
    onopentag(name, attribs) {
      if (stopped) return;
      if (hiddenAbove.length >= limits.maxHtmlDepth) {
        stopped = true;
        parser.pause();
        return;
      }
      collect(name, attribs);
      if (LINE_BREAKS.has(name) || BLOCKS.has(name)) text.push('\n');
      hiddenAbove.push(hidden);
      hidden = hidden || INVISIBLE.has(name);
    },
    ontext(data) {
      if (!hidden && !stopped) text.push(data);
    },
    // Called for every element opened, closed by its end tag or implied by the next one.
    onclosetag(name) {
      if (stopped) return;
      hidden = hiddenAbove.pop() ?? false;
      if (BLOCKS.has(name)) text.push('\n');
    },
  });
  parser.end(html.length > limits.maxScannedChars ? html.slice(0, limits.maxScannedChars) : html);
  const links = [...attributeLinks];
  const approvals = links.filter(isApprovalsLink);
  return {
    text: text.join(''),
    approvalHref: approvalHref ?? approvals[0] ?? null,
    attributeLinks: links,
    attributeApprovalLinks: approvals,
  };
}

/** A template reading of an HTML part: the text a reader sees, with the link a reader would click. */
export function htmlReading(html: string, limits: HtmlLimits): TemplateReading {
  const visible = readHtml(html, limits);
  const reading = readTemplate(visible.text, limits.maxScannedChars);
  const approvalLink = visible.approvalHref ?? reading.approvalLink;
  const approvalLinks = new Set([...reading.approvalLinks, ...visible.attributeApprovalLinks]);
  if (approvalLink !== null) approvalLinks.add(approvalLink);
  return {
    ...reading,
    approvalLink,
    approvalLinks: [...approvalLinks],
    links: [...new Set([...reading.links, ...visible.attributeLinks, ...approvalLinks])],
    hasApprovalParagraph: reading.hasApprovalParagraph || approvalLink !== null,
  };
}

/**
 * The text a reader sees in an HTML part, and every link in it: one walk over the tree cheerio/slim parses (cheerio's
 * slim build keeps Lambda small). Entities are decoded by the parser, so `&amp;` in an href is already `&`.
 */

import { load } from 'cheerio/slim';
import type { AnyNode, Element } from 'domhandler';
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
}

function readHtml(html: string, maxChars: number): HtmlReading {
  const $ = load(html.length > maxChars ? html.slice(0, maxChars) : html);
  const text: string[] = [];
  const attributeLinks = new Set<string>();
  let approvalHref: string | null = null;

  // Links are collected everywhere, the invisible parts included: a `<base href>` in the head changes where every
  // link goes, and a `<meta http-equiv="refresh" content="0;url=...">` is followed by some clients.
  const collect = (element: Element): void => {
    for (const [name, raw] of Object.entries(element.attribs)) {
      if (attributeLinks.size >= MAX_LINKS_PER_PART) return;
      const value = raw.trim();
      if (value === '') continue;
      if (LINK_ATTRIBUTES.has(name.toLowerCase())) attributeLinks.add(value);
      else if (MAY_HOLD_LINK.test(value)) for (const link of linksIn(value).links) attributeLinks.add(link);
    }
    if (approvalHref === null && element.name === 'a' && element.attribs.id === HTML_SELECTORS.approvalLinkId) {
      approvalHref = element.attribs.href?.trim() ?? null;
    }
  };
  // Iterative, so that a hostile nesting depth cannot exhaust the stack.
  const stack: { node: AnyNode; hidden: boolean; close?: boolean }[] = [
    { node: $.root()[0] as AnyNode, hidden: false },
  ];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const { node, hidden } = entry;
    if (entry.close) {
      text.push('\n');
      continue;
    }
    if (node.type === 'text') {
      if (!hidden) text.push(node.data);
      continue;
    }
    if (!('children' in node)) continue; // comments, directives
    let childrenHidden = hidden;
    if ('attribs' in node) {
      collect(node);
      const name = node.name.toLowerCase();
      if (LINE_BREAKS.has(name)) text.push('\n');
      childrenHidden = hidden || INVISIBLE.has(name);
      if (BLOCKS.has(name)) {
        text.push('\n');
        stack.push({ node, hidden, close: true });
      }
    }
    for (let index = node.children.length - 1; index >= 0; index -= 1) {
      stack.push({ node: node.children[index] as AnyNode, hidden: childrenHidden });
    }
  }
  const firstApprovals = [...attributeLinks].find(isApprovalsLink) ?? null;
  return { text: text.join(''), approvalHref: approvalHref ?? firstApprovals, attributeLinks: [...attributeLinks] };
}

/** A template reading of an HTML part: the text a reader sees, with the link a reader would click. */
export function htmlReading(html: string, maxChars: number): TemplateReading {
  const visible = readHtml(html, maxChars);
  const reading = readTemplate(visible.text, maxChars);
  const approvalLink = visible.approvalHref ?? reading.approvalLink;
  const approvalLinks = new Set([...reading.approvalLinks, ...visible.attributeLinks.filter(isApprovalsLink)]);
  if (approvalLink !== null) approvalLinks.add(approvalLink);
  return {
    ...reading,
    approvalLink,
    approvalLinks: [...approvalLinks],
    links: [...new Set([...reading.links, ...visible.attributeLinks, ...approvalLinks])],
    hasApprovalParagraph: reading.hasApprovalParagraph || approvalLink !== null,
  };
}

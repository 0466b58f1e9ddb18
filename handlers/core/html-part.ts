/** The text a reader sees in an HTML part, and the approval links it would click. cheerio/slim keeps Lambda small. */
import { load } from 'cheerio/slim';
import { HTML_SELECTORS, MAX_LINKS_PER_PART } from './template.js';
import { isApprovalsLink, linksIn, readTemplate, type TemplateReading } from './template-reader.js';

const LINK_ATTRIBUTES = new Set<string>(HTML_SELECTORS.linkAttributes);

interface HtmlReading {
  readonly text: string;
  /** The `approval_url` anchor's href, or else the first link to an `/approvals` path. */
  readonly approvalHref: string | null;
  /** Every URL a link attribute holds (`href`, `src`, `action`, ...), trimmed. */
  readonly attributeLinks: readonly string[];
}

function readHtml(html: string, maxChars: number): HtmlReading {
  const $ = load(html.length > maxChars ? html.slice(0, maxChars) : html);
  // Links first, the invisible parts included: a `<base href>` in the head changes where every link goes, and a
  // `<meta http-equiv="refresh" content="0;url=...">` or a `style="background:url(...)"` is followed too.
  const attributeLinks = new Set<string>();
  for (const element of $('*').toArray()) {
    const attributes: Record<string, string> = 'attribs' in element ? element.attribs : {};
    for (const [name, raw] of Object.entries(attributes)) {
      if (attributeLinks.size >= MAX_LINKS_PER_PART) break;
      const value = raw.trim();
      if (value === '') continue;
      if (LINK_ATTRIBUTES.has(name.toLowerCase())) attributeLinks.add(value);
      else for (const link of linksIn(value).links) attributeLinks.add(link);
    }
  }
  const firstApprovals = [...attributeLinks].find(isApprovalsLink) ?? null;
  const approvalHref = $(HTML_SELECTORS.approvalLink).first().attr('href') ?? firstApprovals;
  $(HTML_SELECTORS.invisible).remove();
  $(HTML_SELECTORS.lineBreaks).replaceWith('\n');
  $(HTML_SELECTORS.blocks).before('\n').after('\n');
  return {
    text: $.root().text(),
    approvalHref: approvalHref === null ? null : approvalHref.trim(),
    attributeLinks: [...attributeLinks],
  };
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

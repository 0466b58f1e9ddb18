/** The text a reader sees in an HTML part, and the approval links it would click. cheerio/slim keeps Lambda small. */
import { load } from 'cheerio/slim';
import { HTML_SELECTORS } from './template.js';
import { readTemplate, type TemplateReading } from './template-reader.js';

interface HtmlReading {
  readonly text: string;
  /** The `approval_url` anchor's href, or else the first link to an `/approvals` path. */
  readonly approvalHref: string | null;
  /** Every different `/approvals` href. */
  readonly approvalHrefs: readonly string[];
}

function readHtml(html: string, maxChars: number): HtmlReading {
  const $ = load(html.length > maxChars ? html.slice(0, maxChars) : html);
  $(HTML_SELECTORS.invisible).remove();
  $(HTML_SELECTORS.lineBreaks).replaceWith('\n');
  $(HTML_SELECTORS.blocks).before('\n').after('\n');
  const hrefs = $(HTML_SELECTORS.anyApprovalsLink)
    .toArray()
    .map((element) => $(element).attr('href') ?? '');
  const approvalHref = $(HTML_SELECTORS.approvalLink).first().attr('href') ?? hrefs[0] ?? null;
  return {
    text: $.root().text(),
    approvalHref: approvalHref === null ? null : approvalHref.trim(),
    approvalHrefs: [...new Set(hrefs.map((href) => href.trim()))],
  };
}

/** A template reading of an HTML part: the text a reader sees, with the link a reader would click. */
export function htmlReading(html: string, maxChars: number): TemplateReading {
  const visible = readHtml(html, maxChars);
  const reading = readTemplate(visible.text, maxChars);
  const approvalLink = visible.approvalHref ?? reading.approvalLink;
  const links = new Set([...reading.approvalLinks, ...visible.approvalHrefs]);
  if (approvalLink !== null) links.add(approvalLink);
  return {
    ...reading,
    approvalLink,
    approvalLinks: [...links],
    hasApprovalParagraph: reading.hasApprovalParagraph || approvalLink !== null,
  };
}

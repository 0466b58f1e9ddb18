/**
 * The parser's entry points: raw mail (as SES stores it in S3) and, optionally, the SES receipt's verdicts in; what
 * the mail is, what it asks, and whether it can be trusted out. Any bytes give a result; nothing here throws for input.
 */
import { type ApprovalFindings, readApprovalFields } from './approval-fields.js';
import { linkJudgeForOneMail } from './approval-link.js';
import { type HeaderBlock, readHeaderBlock } from './header-block.js';
import { type HeaderFacts, readHeaderFacts } from './header-facts.js';
import { htmlReading } from './html-part.js';
import { type ParseLimits, resolveLimits } from './limits.js';
import { type MimeMessage, parseMime } from './mime.js';
import { checkAcmSignature, type OwnDkimOptions, type OwnDkimVerdict } from './own-dkim.js';
import { readSesVerdicts, type SesVerdicts } from './ses-verdicts.js';
import { FORWARD_SUBJECT, RENEWAL_SUBJECT, REPORT_CONTENT_TYPE } from './template.js';
import { fieldLabelCount, readTemplate, type TemplateReading } from './template-reader.js';
import { senderReasons, sesAuthenticatesAcm, trustOf } from './trust.js';
import type { AcmMailResult, ApprovalRequest, ClassificationReason, Reason, SesReceipt } from './types.js';

export interface ParseOptions {
  /** The SES receipt event's `receipt` object: the authority on verdicts (no sender can write it). */
  readonly receipt?: SesReceipt;
  readonly limits?: Partial<ParseLimits>;
  /**
   * Our own check of ACM's DKIM signature (own-dkim.ts): a DNS resolver and the time. Without it a mail SES says ACM
   * signed keeps SES's word alone, and its reasons say so (`own-dkim-unavailable`).
   */
  readonly dkim?: OwnDkimOptions;
}

/** The verdict, and what the header block says that the router needs too (read in the same pass). */
export interface MailAnalysis {
  readonly result: AcmMailResult;
  readonly headers: HeaderFacts;
  /** SES's verdicts as the trust gate read them (null for mail that never passed SES): a probe's check reads them too. */
  readonly ses: SesVerdicts | null;
}

interface TemplateFound {
  /** The part that carries the template: the text part, or else the HTML part. */
  readonly reading: TemplateReading;
  /** The mail's other part (the HTML when the text carries the template), which must say the same. */
  readonly otherPart: TemplateReading | null;
  /** Found inside an attached original rather than in the mail's own parts. */
  readonly attached: boolean;
  /** The subject of the message that carries the template (the attached original's, when attached). */
  readonly subject: string;
}

/** ACM's template needs its approval paragraph and at least one field label; notices have the fields only. */
function isApprovalTemplate(reading: TemplateReading): boolean {
  return reading.hasApprovalParagraph && fieldLabelCount(reading) >= 1;
}

function result(
  kind: AcmMailResult['kind'],
  reasons: readonly Reason[],
  header: { subject: string; messageId: string },
  approval: AcmMailResult['approval'] = null,
): AcmMailResult {
  const sorted = [...new Set(reasons)].sort();
  return {
    kind,
    trust: trustOf(sorted),
    reasons: sorted,
    subject: header.subject,
    messageId: header.messageId,
    approval,
  };
}

/** Both parts are read; the text part carries the template if it can, then the HTML part, then attached originals. */
async function findTemplate(
  mime: MimeMessage,
  limits: ParseLimits,
  depth: number,
  readings: TemplateReading[],
): Promise<TemplateFound | null> {
  const text = mime.text === null ? null : readTemplate(mime.text, limits.maxScannedChars);
  const html = mime.html === null ? null : htmlReading(mime.html, limits);
  for (const reading of [text, html]) if (reading) readings.push(reading);
  const attached = depth > 0;
  if (text && isApprovalTemplate(text)) return { reading: text, otherPart: html, attached, subject: mime.subject };
  if (html && isApprovalTemplate(html)) return { reading: html, otherPart: text, attached, subject: mime.subject };
  // A bounce or feedback report quotes other mail as attachments; that quoted mail is never a request to us.
  if (depth >= limits.maxAttachedDepth || REPORT_CONTENT_TYPE.test(mime.contentType)) return null;
  // A text or HTML attachment shows inline in most clients: a template in one is a copy, like an attached original.
  for (const part of mime.attachedTexts.slice(0, limits.maxAttachedMessages)) {
    const reading = part.html ? htmlReading(part.content, limits) : readTemplate(part.content, limits.maxScannedChars);
    readings.push(reading);
    if (isApprovalTemplate(reading)) return { reading, otherPart: null, attached: true, subject: mime.subject };
  }
  for (const original of mime.attachedMessages.slice(0, limits.maxAttachedMessages)) {
    if (original.byteLength > limits.maxMailBytes) continue;
    const inner = await parseMime(original).catch(() => null);
    const found = inner && (await findTemplate(inner, limits, depth + 1, readings));
    if (found) return { ...found, attached: true };
  }
  return null;
}

const COMPARED: readonly (keyof ApprovalRequest)[] = [
  'domain',
  'accountId',
  'region',
  'certificateId',
  'certificateArn',
  'approvalUrl',
];

/**
 * A mail client shows one part, a ticket is built from the other: the text and HTML parts must ask the same thing.
 * A second part without the template, or with any field or link of its own, means the mail says two things.
 */
function partsDisagree(found: TemplateFound, fields: ApprovalFindings, other: ApprovalFindings | null): boolean {
  if (found.otherPart === null || other === null) return false;
  if (!isApprovalTemplate(found.otherPart)) return true;
  if (found.reading.approvalLink !== found.otherPart.approvalLink) return true;
  if ((fields.approval === null) !== (other.approval === null)) return true;
  return COMPARED.some((name) => fields.approval?.[name] !== other.approval?.[name]);
}

/**
 * What the mail is. `truncated`: only the first `maxMailBytes` of an oversize mail were read; ACM's mail is about
 * 12 KB, so its template found in a mail that large is a finding, and its absence there is `oversize`.
 */
async function classify(
  mime: MimeMessage,
  sender: readonly Reason[],
  limits: ParseLimits,
  truncated: boolean,
): Promise<AcmMailResult> {
  const readings: TemplateReading[] = [];
  const found = await findTemplate(mime, limits, 0, readings);
  if (found === null) {
    const notice: ClassificationReason = truncated
      ? 'oversize'
      : REPORT_CONTENT_TYPE.test(mime.contentType)
        ? 'delivery-report'
        : readings.some((reading) => fieldLabelCount(reading) >= 2)
          ? 'acm-notice-not-approval'
          : 'no-acm-template';
    return result('not-acm', [notice, ...sender], mime);
  }
  const { reading, otherPart, attached } = found;
  const renewal =
    reading.renewalWording ||
    (otherPart?.renewalWording ?? false) ||
    RENEWAL_SUBJECT.test(found.subject) ||
    RENEWAL_SUBJECT.test(mime.subject);
  const judgeLink = linkJudgeForOneMail();
  const fields = readApprovalFields(reading, renewal, judgeLink);
  const other = otherPart === null ? null : readApprovalFields(otherPart, renewal, judgeLink);
  const reasons: Reason[] = [...sender, ...fields.reasons];
  if (truncated) reasons.push('oversize-template');
  if (other !== null && isApprovalTemplate(otherPart as TemplateReading)) reasons.push(...other.reasons);
  if (partsDisagree(found, fields, other)) reasons.push('parts-disagree');
  // One approval link for the whole mail: a second one in the other part is as bad as a second one in the same part.
  if (new Set([...reading.approvalLinks, ...(otherPart?.approvalLinks ?? [])]).size > 1) {
    reasons.push('multiple-approval-links');
  }
  // The template inside a mail that is not ACM's own is a copy: its inner From and DKIM lines are only text. A person
  // forwarding marks it (an attachment, a separator, a quote, a note, `Fwd:`); ACM's template presented as someone's
  // own mail, with none of that, is somebody wearing ACM's clothes.
  const markedForward =
    attached || reading.forwardMarkers || (otherPart?.forwardMarkers ?? false) || FORWARD_SUBJECT.test(mime.subject);
  if (markedForward) reasons.push('forwarded-copy');
  else if (sender.includes('from-not-acm')) reasons.push('impersonates-acm');
  return result('acm-approval', reasons, mime, fields.approval);
}

/** Subject and Message-ID from the header block alone, for mail too large or too broken to parse whole. */
async function classifyFromHeaders(
  head: Uint8Array,
  sender: readonly Reason[],
  reason: ClassificationReason,
): Promise<AcmMailResult> {
  const mime = await parseMime(Buffer.concat([head, Buffer.from('\r\n\r\n')])).catch(() => ({
    subject: '',
    messageId: '',
  }));
  return result('not-acm', [reason, ...sender], mime);
}

/** Our check runs only where it can change the verdict: when SES says ACM signed the mail. */
async function ownDkimVerdict(
  bytes: Uint8Array,
  block: HeaderBlock,
  ses: SesVerdicts | null,
  options: OwnDkimOptions | undefined,
): Promise<OwnDkimVerdict | null> {
  if (ses === null || !sesAuthenticatesAcm(ses)) return null;
  if (options === undefined) return 'unavailable';
  try {
    return await checkAcmSignature(bytes, options, block);
  } catch {
    // mailauth gave up on the message itself. ACM's mail never makes it, so this is the sender's doing; and a sender
    // must not be able to switch our check off: a failure.
    return 'fail';
  }
}

/**
 * Parses one complete mail, with the header facts the router needs. `bytes` larger than `limits.maxMailBytes` are
 * classified from the header block alone. Use `analyseMailStream` when the mail comes from a stream, so that an
 * oversize mail is never read whole.
 */
export async function analyseMail(bytes: Uint8Array, options: ParseOptions = {}): Promise<MailAnalysis> {
  return analyseWithin(bytes, resolveLimits(options.limits), options);
}

async function analyseWithin(bytes: Uint8Array, limits: ParseLimits, options: ParseOptions): Promise<MailAnalysis> {
  // Past the header limit, only a probe field's start is searched for, as far as the mail is read at all.
  const block = readHeaderBlock(bytes, limits.maxHeaderBytes, limits.maxMailBytes);
  const headers = readHeaderFacts(block);
  const ses = readSesVerdicts(block.fields, options.receipt);
  const head = bytes.subarray(0, block.headerEnd);
  // An oversize mail is read only as far as the limit: enough to find a template padded out to hide from us, never
  // the megabytes behind it. A signature cannot verify over part of a mail, so our own check does not run on one.
  const truncated = bytes.byteLength > limits.maxMailBytes;
  const readable = truncated ? bytes.subarray(0, limits.maxMailBytes) : bytes;
  const sender = senderReasons(ses, headers, truncated ? null : await ownDkimVerdict(bytes, block, ses, options.dkim));
  let mime: MimeMessage;
  try {
    mime = await parseMime(readable, block);
  } catch {
    return {
      result: await classifyFromHeaders(head, sender, truncated ? 'oversize' : 'mime-unreadable'),
      headers,
      ses,
    };
  }
  return { result: await classify(mime, sender, limits, truncated), headers, ses };
}

export async function parseAcmMail(bytes: Uint8Array, options: ParseOptions = {}): Promise<AcmMailResult> {
  return (await analyseMail(bytes, options)).result;
}

/**
 * Reads at most `maxMailBytes + 1` bytes of a stream (an S3 body, a file) and parses them. A longer mail stops being
 * read there: it is classified from its header block as `oversize`, and the rest never enters memory.
 */
export async function analyseMailStream(
  source: AsyncIterable<Uint8Array>,
  options: ParseOptions = {},
): Promise<MailAnalysis> {
  const limits = resolveLimits(options.limits);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source) {
    const room = limits.maxMailBytes + 1 - size;
    chunks.push(chunk.byteLength > room ? chunk.subarray(0, room) : chunk);
    size += Math.min(chunk.byteLength, room);
    if (size > limits.maxMailBytes) break; // leaving the loop ends the stream
  }
  return analyseWithin(Buffer.concat(chunks, size), limits, options);
}

export async function parseAcmMailStream(
  source: AsyncIterable<Uint8Array>,
  options: ParseOptions = {},
): Promise<AcmMailResult> {
  return (await analyseMailStream(source, options)).result;
}

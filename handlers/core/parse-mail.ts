/**
 * The parser's entry points: raw mail (as SES stores it in S3) and, optionally, the SES receipt's verdicts in; what
 * the mail is, what it asks, and whether it can be trusted out. Any bytes give a result; nothing here throws for input.
 */
import { readApprovalFields } from './approval-fields.js';
import { readHeaderBlock } from './header-block.js';
import { htmlReading } from './html-part.js';
import { type ParseLimits, resolveLimits } from './limits.js';
import { type MimeMessage, parseMime } from './mime.js';
import { readSesAuthentication, type SesAuthentication } from './ses-verdicts.js';
import { FORWARD_SUBJECT, RENEWAL_SUBJECT, REPORT_CONTENT_TYPE } from './template.js';
import { fieldLabelCount, readTemplate, type TemplateReading } from './template-reader.js';
import { senderReasons, trustOf } from './trust.js';
import type { AcmMailResult, ClassificationReason, Reason, SesReceipt } from './types.js';

export interface ParseOptions {
  /** The SES receipt event's `receipt` object; its verdicts are preferred to the stored headers'. */
  readonly receipt?: SesReceipt;
  readonly limits?: Partial<ParseLimits>;
}

interface TemplateFound {
  readonly reading: TemplateReading;
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

/** Text part first; the HTML part when the text part does not carry the template; then attached originals. */
async function findTemplate(
  mime: MimeMessage,
  limits: ParseLimits,
  depth: number,
  readings: TemplateReading[],
): Promise<TemplateFound | null> {
  const candidates = [
    () => (mime.text === null ? null : readTemplate(mime.text, limits.maxScannedChars)),
    () => (mime.html === null ? null : htmlReading(mime.html, limits.maxScannedChars)),
  ];
  for (const read of candidates) {
    const reading = read();
    if (reading === null) continue;
    readings.push(reading);
    if (isApprovalTemplate(reading)) return { reading, attached: depth > 0, subject: mime.subject };
  }
  if (depth >= limits.maxAttachedDepth) return null;
  for (const original of mime.attachedMessages.slice(0, limits.maxAttachedMessages)) {
    if (original.byteLength > limits.maxMailBytes) continue;
    const inner = await parseMime(original).catch(() => null);
    const found = inner && (await findTemplate(inner, limits, depth + 1, readings));
    if (found) return { ...found, attached: true };
  }
  return null;
}

async function classify(mime: MimeMessage, ses: SesAuthentication | null, limits: ParseLimits): Promise<AcmMailResult> {
  const sender = senderReasons(ses, mime.fromAddresses);
  if (REPORT_CONTENT_TYPE.test(mime.contentType)) return result('not-acm', ['delivery-report', ...sender], mime);
  const readings: TemplateReading[] = [];
  const found = await findTemplate(mime, limits, 0, readings);
  if (found === null) {
    const notice: ClassificationReason = readings.some((reading) => fieldLabelCount(reading) >= 2)
      ? 'acm-notice-not-approval'
      : 'no-acm-template';
    return result('not-acm', [notice, ...sender], mime);
  }
  const { reading, attached } = found;
  const renewal = reading.renewalWording || RENEWAL_SUBJECT.test(found.subject) || RENEWAL_SUBJECT.test(mime.subject);
  const fields = readApprovalFields(reading, renewal);
  // The template inside a mail that is not ACM's own is a copy: its inner From and DKIM lines are only text.
  const forwarded =
    attached || reading.forwardMarkers || FORWARD_SUBJECT.test(mime.subject) || sender.includes('from-not-acm');
  const reasons: Reason[] = [...sender, ...fields.reasons];
  if (forwarded) reasons.push('forwarded-copy');
  return result('acm-approval', reasons, mime, fields.approval);
}

/** Subject, Message-ID and From from the header block alone, for mail too large or too broken to parse whole. */
async function classifyFromHeaders(
  head: Uint8Array,
  ses: SesAuthentication | null,
  reason: ClassificationReason,
): Promise<AcmMailResult> {
  const empty: MimeMessage = {
    subject: '',
    messageId: '',
    fromAddresses: [],
    contentType: '',
    text: null,
    html: null,
    attachedMessages: [],
  };
  const mime = await parseMime(Buffer.concat([head, Buffer.from('\r\n\r\n')])).catch(() => empty);
  return result('not-acm', [reason, ...senderReasons(ses, mime.fromAddresses)], mime);
}

/**
 * Parses one complete mail. `bytes` larger than `limits.maxMailBytes` are classified from the header block alone.
 * Use `parseAcmMailStream` when the mail comes from a stream, so that an oversize mail is never read whole.
 */
export async function parseAcmMail(bytes: Uint8Array, options: ParseOptions = {}): Promise<AcmMailResult> {
  const limits = resolveLimits(options.limits);
  const header = readHeaderBlock(bytes, limits.maxHeaderBytes);
  const ses = readSesAuthentication(header.fields, options.receipt);
  const head = bytes.subarray(0, header.headerEnd);
  if (bytes.byteLength > limits.maxMailBytes) return classifyFromHeaders(head, ses, 'oversize');
  let mime: MimeMessage;
  try {
    mime = await parseMime(bytes);
  } catch {
    return classifyFromHeaders(head, ses, 'mime-unreadable');
  }
  return classify(mime, ses, limits);
}

/**
 * Reads at most `maxMailBytes + 1` bytes of a stream (an S3 body, a file) and parses them. A longer mail stops being
 * read there: it is classified from its header block as `oversize`, and the rest never enters memory.
 */
export async function parseAcmMailStream(
  source: AsyncIterable<Uint8Array>,
  options: ParseOptions = {},
): Promise<AcmMailResult> {
  const limits = resolveLimits(options.limits);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source) {
    const room = limits.maxMailBytes + 1 - size;
    chunks.push(chunk.byteLength > room ? chunk.subarray(0, room) : chunk);
    size += Math.min(chunk.byteLength, room);
    if (size > limits.maxMailBytes) break; // leaving the loop ends the stream
  }
  return parseAcmMail(Buffer.concat(chunks, size), { ...options, limits });
}

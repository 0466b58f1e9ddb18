/**
 * The one place that knows mailparser: raw bytes in, the decoded parts the reader needs out. Addresses are not taken
 * from here: header-facts.ts reads them from the raw fields (mailparser keeps the first of two From fields).
 */
import { type ParsedMail, simpleParser } from 'mailparser';
import type { HeaderBlock } from './header-block.js';

export interface MimeMessage {
  readonly subject: string;
  readonly messageId: string;
  /** The top-level content type, lower-case (`multipart/alternative`). */
  readonly contentType: string;
  readonly text: string | null;
  readonly html: string | null;
  /** Attached originals (message/rfc822 and its UTF-8 form message/global), undecoded. */
  readonly attachedMessages: readonly Uint8Array[];
  /** Text and HTML attachments, decoded: mail clients show them inline, so a template may travel in one. */
  readonly attachedTexts: readonly { readonly html: boolean; readonly content: string }[];
}

const ATTACHED_MESSAGE = /^message\/(?:rfc822|global)$/;

/** An attachment's text in its declared charset; UTF-8 when it declares none or one this runtime does not know. */
function attachmentText(attachment: ParsedMail['attachments'][number]): string {
  const header = attachment.headers.get('content-type');
  const params = typeof header === 'object' && header !== null && 'params' in header ? header.params : {};
  const charset = (params as Record<string, string>).charset ?? 'utf-8';
  try {
    return new TextDecoder(charset).decode(attachment.content);
  } catch {
    return new TextDecoder('utf-8').decode(attachment.content);
  }
}

export class MimeError extends Error {
  override readonly name = 'MimeError';
}

// html-to-text and linkify are the slow parts of simpleParser and we use neither: html-part.ts reads the HTML itself.
const OPTIONS = { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true } as const;

function contentTypeOf(mail: ParsedMail): string {
  const header = mail.headers.get('content-type');
  const value = typeof header === 'object' && header !== null && 'value' in header ? header.value : header;
  return typeof value === 'string' ? value.toLowerCase() : 'text/plain';
}

/**
 * The top-level fields that what parseMime returns depends on: mailsplit builds the MIME structure from
 * Content-Type, Content-Transfer-Encoding and Content-Disposition, an attachment brings its Content-* fields, and
 * mailparser gives Subject and Message-ID. Every other field (Received, DKIM-Signature, SES's stamp, From, To, Date)
 * mailparser would decode, parse as addresses or dates, into values nothing here reads: header-facts.ts and
 * ses-verdicts.ts read those from the raw block. On ACM's mail they were a third of mailparser's time.
 */
const READ_FIELDS = /^(?:content-|mime-version$|subject$|message-id$)/;
/**
 * mailsplit refuses a part whose header block costs more than 1 MiB, each line counting at least 64 bytes
 * (@zone-eu/mailsplit, MAX_HEAD_SIZE in lib/message-splitter.js, HEADER_LINE_MIN_COST in lib/mime-node.js). A block
 * within these bounds costs at most 128 KiB, far under that, with all its fields or some: leaving fields out never
 * turns a refusal into a parse. A larger block goes to mailparser whole, refused or not as before.
 */
const MAX_TRIMMED_HEADER_BYTES = 64 * 1024;
const MAX_TRIMMED_HEADER_LINES = 1024;
/** mailsplit takes a first line like these for an mbox or HTTP preamble, not for a field. */
const PREAMBLE = /^(?:from|post) /i;

/**
 * The mail as mailparser is given it: the top-level fields READ_FIELDS names, each as its exact bytes and in order,
 * then the blank line and the body untouched. mailsplit reads a header block field by field, each field its first
 * line and the lines folded under it, which is how header-block.ts reads one without stray lines: so mailparser sees
 * each field it is given exactly as it would have in the whole block. Only a block read that plainly is trimmed;
 * any other goes whole. The block's last field is always kept: mailsplit strips line-end characters from a block's
 * last line only, so no field given is read in a place other than its own in that respect.
 */
export function mailparserInput(bytes: Uint8Array, block: HeaderBlock): Uint8Array {
  const { fields } = block;
  const first = fields[0];
  const last = fields.at(-1);
  if (first === undefined || last === undefined) return bytes;
  const lineCount = fields.reduce((count, field) => count + field.lines.length, 1);
  const plain =
    block.endsAtBlankLine &&
    block.strayLines === 0 &&
    block.headerEnd <= bytes.byteLength &&
    block.headerEnd <= MAX_TRIMMED_HEADER_BYTES &&
    lineCount <= MAX_TRIMMED_HEADER_LINES &&
    first.start === 0 &&
    !PREAMBLE.test(first.lines[0] ?? '');
  if (!plain) return bytes;
  const kept = fields.filter((field) => field === last || READ_FIELDS.test(field.name));
  if (kept.length === fields.length) return bytes;
  return Buffer.concat([
    ...kept.slice(0, -1).map((field) => bytes.subarray(field.start, field.end)),
    bytes.subarray(last.start),
  ]);
}

/**
 * Throws MimeError when mailparser gives up (its own limits, such as too many child nodes). With the mail's own
 * header block (read by header-block.ts from the same bytes), mailparser is spared the fields nothing here reads.
 */
export async function parseMime(bytes: Uint8Array, block?: HeaderBlock): Promise<MimeMessage> {
  const input = block === undefined ? bytes : mailparserInput(bytes, block);
  let mail: ParsedMail;
  try {
    mail = await simpleParser(Buffer.from(input.buffer, input.byteOffset, input.byteLength), OPTIONS);
  } catch (error) {
    throw new MimeError(`mailparser could not read the message: ${(error as Error).message}`, { cause: error });
  }
  return {
    subject: mail.subject ?? '',
    messageId: mail.messageId ?? '',
    contentType: contentTypeOf(mail),
    // mailparser answers '' for the text of an HTML-only mail: no part is not an empty part.
    text: mail.text?.trim() ? mail.text : null,
    html: typeof mail.html === 'string' && mail.html.trim() !== '' ? mail.html : null,
    attachedMessages: mail.attachments
      .filter((attachment) => ATTACHED_MESSAGE.test(attachment.contentType.toLowerCase()))
      .map((attachment) => attachment.content),
    attachedTexts: mail.attachments
      .filter((attachment) => /^text\/(?:plain|html)$/.test(attachment.contentType.toLowerCase()))
      .map((attachment) => ({
        html: attachment.contentType.toLowerCase() === 'text/html',
        content: attachmentText(attachment),
      })),
  };
}

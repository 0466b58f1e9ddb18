/**
 * The one place that knows mailparser: raw bytes in, the decoded parts the reader needs out. Addresses are not taken
 * from here: header-facts.ts reads them from the raw fields (mailparser keeps the first of two From fields).
 */
import { type ParsedMail, simpleParser } from 'mailparser';

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

/** Throws MimeError when mailparser gives up (its own limits, such as too many child nodes). */
export async function parseMime(bytes: Uint8Array): Promise<MimeMessage> {
  let mail: ParsedMail;
  try {
    mail = await simpleParser(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), OPTIONS);
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

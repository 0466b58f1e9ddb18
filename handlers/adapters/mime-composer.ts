/**
 * Builds the raw RFC 5322 message for a notification: text and HTML alternatives in quoted-printable UTF-8, the
 * threading headers, `Reply-To`, and the delivery profile's fields. Small on purpose: a general MIME library (nodemailer's composer) cost
 * 135 KB of the router's bundle for these few headers and two parts.
 */
import { randomUUID } from 'node:crypto';
import { domainOf } from '../core/addresses.js';

export interface ComposedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly inReplyTo?: string;
  readonly references?: readonly string[];
  /** A plain address (the configuration allows no display name). */
  readonly replyTo?: string;
  /** Extra fields (the delivery profile's); never one the composer writes itself, never more than one line. */
  readonly headers?: Readonly<Record<string, string>>;
  /** @default now */
  readonly date?: Date;
}

const CRLF = '\r\n';

/** Fields the composer writes itself, or that SES and the receiving server write: never taken from `headers`. */
const OWN_FIELDS = new Set([
  'from',
  'to',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'in-reply-to',
  'references',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  // SES sets the envelope sender; the receiving server writes Return-Path from it. A null one makes Jira drop the
  // mail as a delivery status notification.
  'return-path',
]);
// A field name is printable ASCII but colon (RFC 5322 section 3.6.8); a value is one line: no header injection.
const FIELD_NAME = /^[!-9;-~]+$/;
const ONE_LINE = /^[^\r\n]*$/;

export function composeMail(mail: ComposedMail): Buffer {
  const boundary = `=_acm-mail_${randomUUID()}`;
  const domain = domainOf(mail.from);
  const extra = Object.entries(mail.headers ?? {});
  for (const [name, value] of extra) {
    if (!FIELD_NAME.test(name) || OWN_FIELDS.has(name.toLowerCase()) || !ONE_LINE.test(value)) {
      throw new Error(`cannot compose header field ${JSON.stringify(name)}: not an extra field of one line`);
    }
  }
  if (mail.replyTo !== undefined && !ONE_LINE.test(mail.replyTo)) {
    throw new Error('cannot compose Reply-To: not one line');
  }
  const lines = [
    ...extra.map(([name, value]) => `${name}: ${value}`),
    `From: ${mail.from}`,
    `To: ${mail.to.join(', ')}`,
    ...(mail.replyTo ? [`Reply-To: ${mail.replyTo}`] : []),
    `Subject: ${encodeHeaderText(mail.subject)}`,
    `Date: ${rfc5322Date(mail.date ?? new Date())}`,
    // SES replaces it with its own; it still identifies the message locally (the .eml files of the local run).
    `Message-ID: <${randomUUID()}@${domain}>`,
    ...(mail.inReplyTo ? [`In-Reply-To: ${mail.inReplyTo}`] : []),
    ...(mail.references && mail.references.length > 0 ? [`References: ${mail.references.join(`${CRLF} `)}`] : []),
    'MIME-Version: 1.0',
    // Folded: with the boundary on the same line the field is 94 characters, past RFC 5322's 78.
    `Content-Type: multipart/alternative;${CRLF} boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    quotedPrintable(mail.text),
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    quotedPrintable(mail.html),
    `--${boundary}--`,
    '',
  ];
  return Buffer.from(lines.join(CRLF), 'utf8');
}

/** `Mon, 23 Nov 2026 21:11:37 +0000` */
function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/**
 * The Subject field's body, every line of the field within RFC 5322's 78 characters (the first one counting
 * "Subject: "). Printable ASCII stays readable, folded at spaces; anything else becomes RFC 2047 encoded words.
 */
export function encodeHeaderText(value: string): string {
  const flat = value.replace(/[\r\n]+/g, ' ');
  if (/^[\x20-\x7e]*$/.test(flat)) return foldAtSpaces(flat);
  const words: string[] = [];
  let chunk = '';
  // By code point, never inside a character: each word must decode to whole UTF-8 characters (RFC 2047 section 5).
  for (const char of flat) {
    // 42 bytes of UTF-8 make 56 base64 characters: "Subject: =?UTF-8?B?" + 56 + "?=" is 77 characters.
    if (Buffer.byteLength(chunk + char) > 42) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word).toString('base64')}?=`).join(`${CRLF} `);
}

/** Folds before a space so that no line passes 78 characters ("Subject: " on the first); a longer word stays whole. */
function foldAtSpaces(text: string): string {
  const lines: string[] = [];
  let line = '';
  let room = 78 - 'Subject: '.length;
  for (const [index, word] of text.split(' ').entries()) {
    const next = index === 0 ? word : ` ${word}`;
    // Never before an empty word: a folded line of white space only is not allowed (RFC 5322 section 3.2.2).
    if (line !== '' && word !== '' && line.length + next.length > room) {
      lines.push(line);
      line = next;
      room = 78;
    } else line += next;
  }
  lines.push(line);
  return lines.join(CRLF);
}

/** RFC 2045 quoted-printable of UTF-8 text, lines at most 76 characters, CRLF line breaks. */
export function quotedPrintable(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => {
      const bytes = Buffer.from(line, 'utf8');
      let encoded = '';
      bytes.forEach((byte, index) => {
        const last = index === bytes.length - 1;
        const plain = (byte >= 33 && byte <= 126 && byte !== 61) || (byte === 32 && !last) || (byte === 9 && !last);
        encoded += plain ? String.fromCharCode(byte) : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      });
      const wrapped: string[] = [];
      while (encoded.length > 76) {
        // Break before position 76 (leaving room for "="), never inside an "=XX" escape.
        let cut = 75;
        if (encoded[cut - 1] === '=') cut -= 1;
        else if (encoded[cut - 2] === '=') cut -= 2;
        wrapped.push(`${encoded.slice(0, cut)}=`);
        encoded = encoded.slice(cut);
      }
      wrapped.push(encoded);
      return wrapped.join(CRLF);
    })
    .join(CRLF);
}

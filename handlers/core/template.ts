/**
 * Every pattern and selector that knows what ACM's validation mail looks like, in one place.
 *
 * Sources, numbered as in README.md "Formats supported", which names each one's public source:
 * - 01: real 2017 mail (text + quoted-printable HTML), subject "Certificate approval for", dashed account id,
 *   UUID identifier, link `...Approvals at` + URL on the next line, HTML spans `fqdn`, `account_id`, `region_name`,
 *   `cert_id`, `<a id="approval_url">`.
 * - 03: 2016 mail, label "AWS account number:".
 * - 07, 10: AWS's current template (since Nov 2020): "Certificate request for", 12-digit account, ARN identifier,
 *   `Approvals` + `(URL)` on the next line, host `<region>.acm-certificates.amazon.com`.
 * - 08: current renewal template: renewal paragraph, `Approvals at` + bare URL.
 * - 09: China regions: "Amazon Web Services account ID" / "Region name", host `.acm-certificates.amazonaws.cn`.
 * - 04: a forwarded copy (reflowed text, `( URL )` with spaces).
 * - 11, 12, 14: look-alike notices that carry the field block but are not approval requests.
 * If AWS changes its template, this is the module to change, with a fixture for the new layout.
 */

/** The only sender address ACM's validation mail has been seen with (samples 01, 02). */
export const ACM_SENDER_ADDRESS = 'no-reply@certificates.amazon.com';
/** The DKIM signing domain that proves a mail is ACM's own (sample 01: `dkim=pass header.i=@certificates.amazon.com`). */
export const ACM_DKIM_DOMAIN = 'certificates.amazon.com';

/**
 * Field labels, each matched where a label can start (not inside a longer word), value = the next token.
 * Token values (not "rest of line") because forwarding reflows the block onto one line (samples 04, 09).
 */
const VALUE = String.raw`:[ \t]*(?:\r?\n[ \t]*)?(\S+)`;
const LABEL_START = String.raw`(?<![\p{L}\p{N}_-])`;
export const FIELD_LABELS = {
  domain: new RegExp(`${LABEL_START}Domain${VALUE}`, 'gu'),
  accountId: new RegExp(`${LABEL_START}(?:AWS account (?:ID|number)|Amazon Web Services account ID)${VALUE}`, 'gu'),
  region: new RegExp(`${LABEL_START}(?:AWS Region name|Amazon Web Services Region name)${VALUE}`, 'gu'),
  certificateIdentifier: new RegExp(`${LABEL_START}Certificate [Ii]dentifier${VALUE}`, 'gu'),
} as const;

/** The seed article's renewal wording carries `Expiration date: <date>`; the value is the rest of the line. */
export const EXPIRATION_LABEL = /(?<![\p{L}\p{N}_-])Expiration date:[ \t]*([^\r\n]*)/gu;

/**
 * For each label pattern, a literal every match of it holds, at most `within` characters after the match's start
 * (`AWS account`, `Amazon Web Services account`: ` account` at 3 or 19). The reader looks for the literal first and
 * runs the pattern only from there: a pattern that opens with a look-behind is tried at every position otherwise.
 */
export const LABEL_ANCHORS: Readonly<
  Record<keyof typeof FIELD_LABELS | 'expiration', { readonly literal: string; readonly within: number }>
> = {
  domain: { literal: 'Domain', within: 0 },
  accountId: { literal: ' account ', within: 19 },
  region: { literal: ' Region name', within: 19 },
  certificateIdentifier: { literal: 'Certificate ', within: 0 },
  expiration: { literal: 'Expiration date:', within: 0 },
};

/** The approval paragraph: "To approve this request, go to Amazon Certificate Approvals ...". */
export const APPROVAL_SENTENCE = /To\s+approve\s+this\s+request/i;
/** Where the link follows: `Approvals (URL)`, `Approvals at URL`, or `Approvals` + URL on the next line. */
export const APPROVAL_ANCHOR = /Amazon\s+Certificate\s+Approvals/gi;
/** The longest scheme URL_LIKE takes (`[a-z][a-z0-9+.-]{0,15}`): a match starts at most this far before its `://`. */
export const MAX_SCHEME_CHARS = 16;
/**
 * Anything a reader or a mail client would take for a link: a scheme URL or a `www.` address. Every repetition is
 * bounded: unbounded `[...]*` before a literal backtracks quadratically over a megabyte with no match in it.
 */
export const URL_LIKE = new RegExp(
  String.raw`\b(?:[a-z][a-z0-9+.-]{0,${MAX_SCHEME_CHARS - 1}}:\/\/|www\.)[^\s()<>"']{1,2048}`,
  'gi',
);
/** URL_LIKE's second alternative on its own, with its flags (so with its case folding). */
export const WWW_PREFIX = /www\./gi;
/** A path to ACM's approval page, however the host is written (text without a scheme is linkified by clients). */
export const APPROVALS_PATH = /\/approvals\b/i;
/** How many links of one part are looked at: ACM's template has a handful. */
export const MAX_LINKS_PER_PART = 256;
/** How far after the anchor the link may start (the template puts it on the same or next line). */
export const LINK_SEARCH_CHARS = 400;

/** Renewal wording: template 08's paragraph, and the seed article's sentence. */
export const RENEWAL_WORDING = [
  /in\s+order\s+to\s+renew\s+the\s+existing/i,
  /requires\s+your\s+approval\s+to\s+renew/i,
];
export const RENEWAL_SUBJECT = /\brenew(?:al|ing)?\b/i;

/**
 * Characters no reader sees (zero-width, variation selectors, direction controls, tags): removed before the template
 * is read, so that a label or a link cannot be hidden from us by them, and before any text from mail is shown.
 */
export const INVISIBLE_CHARACTERS = /[\p{Default_Ignorable_Code_Point}\p{Bidi_Control}]/gu;

/** The template's greeting: an inner header block or quoting above it marks a person's forward. */
export const GREETING = /Greetings from Amazon Web Services/i;

/**
 * HTML selectors (sample 01's markup). Quoted-printable and entities are decoded before these run. Fields are read
 * from the HTML's text with the same labels as the text part; the link from the `approval_url` anchor, because the
 * href is what a reader's click opens.
 */
export const HTML_SELECTORS = {
  /** The anchor whose href is ACM's link (sample 01: `<a id="approval_url" href=...>`). */
  approvalLinkId: 'approval_url',
  /** Attributes a browser or mail client fetches or follows. */
  linkAttributes: ['href', 'src', 'action', 'formaction', 'background', 'poster', 'data', 'cite'],
  /** Elements whose text no reader sees. */
  invisible: ['head', 'script', 'style', 'template', 'title'],
  lineBreaks: ['br'],
  /** Elements a reader sees on their own lines. */
  blocks: ['p', 'div', 'tr', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'blockquote'],
} as const;

/** The words a forward header opens with (`Begin forwarded message:`), wherever they stand in the text. */
const FORWARD_INTRODUCTION =
  /Begin forwarded message|Anfang der weitergeleiteten Nachricht|Début du message réexpédié|Inicio del mensaje reenviado/iu;
/**
 * Forward separators as mail clients write them, in several languages (Gmail, Outlook, Apple Mail, Thunderbird). Each
 * comes with a cheaper test that any text it matches passes too: most parts hold no separator, and the patterns, tried
 * at every line with Unicode case folding, were the costliest the template reader ran.
 */
export const FORWARD_SEPARATORS: readonly {
  readonly separator: RegExp;
  readonly mayHold: (text: string) => boolean;
}[] = [
  {
    separator:
      /^[ \t]*-{2,}[ \t]*(?:Forwarded message|Original Message|Forwarded Message|Weitergeleitete Nachricht|Ursprüngliche Nachricht|Message transféré|Message d'origine|Mensaje reenviado|Mensaje original|Messaggio inoltrato|Messaggio originale|Doorgestuurd bericht|Oorspronkelijk bericht|Mensagem encaminhada|Mensagem original|Vidarebefordrat meddelande|Videresendt melding|Välitetty viesti|Przekazana wiadomość|Пересылаемое сообщение|Исходное сообщение|転送メッセージ|元のメッセージ|转发的邮件|原始邮件|전달된 메시지)[ \t]*-{2,}/imu,
    mayHold: (text) => text.includes('--'),
  },
  {
    separator: new RegExp(String.raw`^[ \t]*(?:${FORWARD_INTRODUCTION.source})[ \t]*:`, 'imu'),
    mayHold: (text) => FORWARD_INTRODUCTION.test(text),
  },
];
/** ACM as a sender is named: its address or its display name (sample 01's From). */
export const ACM_SENDER_NAMED = /no-reply@certificates\.amazon\.com|Amazon Certificates/iu;
/**
 * An inner header line naming ACM as the sender, in any language: `From:`, `Von:`, `De :`, `差出人:`. Only text in
 * which ACM_SENDER_NAMED matches can hold one; that test is cheap, this pattern backtracks along runs of blanks.
 */
export const INNER_ACM_FROM_LINE = new RegExp(
  String.raw`^[ \t>]*[^\r\n:]{1,30}[ \t]?:[ \t]*.*(?:${ACM_SENDER_NAMED.source})`,
  'imu',
);
/** Forward prefixes in subjects: Fwd, Fw, WG (de), TR (fr), RV (es), ENC (pt), I (it), VS (fi), Doorst (nl), 転送, 转发. */
export const FORWARD_SUBJECT = /^[ \t]*(?:fwd?|wg|tr|rv|enc|i|vs|doorst|転送|转发|пересл)[ \t]*[:：]/iu;
/** Quote markers that forwarding puts in front of lines. */
export const QUOTE_PREFIX = /^(?:[ \t]*>)+[ \t]?/gmu;

/** Top-level content types that are machine reports, never approval requests (bounces, DSNs, ARF, DMARC). */
export const REPORT_CONTENT_TYPE = /^multipart\/report\b/i;

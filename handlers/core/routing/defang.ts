import { INVISIBLE_CHARACTERS } from '../template.js';

/**
 * Approval links are bearer secrets: whoever holds one can approve. Outside a trusted ticket they appear only
 * defanged, with the secret query values redacted: `hxxps://us-east-1[.]acm-certificates[.]amazon[.]com/approvals?
 * code=<redacted>&context=<redacted>`. Logs get the host and path alone. Any other text that came from mail goes
 * through `presentMailText` before any output shows it.
 */

export function defangLink(url: string): string {
  const parsed = safeUrl(url);
  if (parsed === null) return '<unreadable link redacted>';
  // Parameter names are the sender's text too: only ACM's two are named, and the whole goes through the same
  // presentation as any text from mail, so nothing in a path or a name can stay a link.
  const query = [...parsed.searchParams.keys()]
    .map((name) => `${name === 'code' || name === 'context' ? name : '<parameter>'}=<redacted>`)
    .join('&');
  return presentMailText(`${parsed.protocol}//${parsed.host}${parsed.pathname}${query ? `?${query}` : ''}`);
}

/** For log lines: where the link points, defanged, never its code or context (a log store makes links too). */
export function linkForLog(url: string | null): string | null {
  if (url === null) return null;
  return defangLink(url).split('?', 1)[0] ?? null;
}

function safeUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Runs of percent escapes: decoded before anything is checked, because a browser decodes them too. */
const PERCENT_RUN = /(?:%[0-9a-fA-F]{2})+/g;
/** How many rounds of escaping are undone (`%2563` is `%63` is `c`; an encoded word of an encoded word). */
const DECODE_ROUNDS = 3;
/** An RFC 2047 encoded word: `=?charset?Q?text?=` or `=?charset?B?text?=`. */
const ENCODED_WORD = /=\?([^?\s]{1,40})\?([QqBb])\?([^?\s]{0,2000})\?=/g;
/** Line breaks, tabs and other control characters: free text from mail is shown on one line. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this pattern is for.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
/**
 * An approval secret wherever it stands (`code=...`, `context=...`), in a link or not, escaped or not; and a probe
 * token's `nonce=` and `mac=` (core/canary/token.ts), so that no output ever holds a whole token someone could send
 * again.
 */
const SECRETS = /\b(code|context|nonce|mac)(=|%3d)([^&\s#"'<>()@]+)/gi;
/**
 * The same secrets written the way a person would (`code: <uuid>`, `context <id>`, `code&#61;...`): redacted when the
 * value looks like one (a UUID, or a long token), so that ordinary words after "code" stay.
 */
const SECRETS_IN_WORDS =
  /\b(code|context)(\s*(?::|&#61;)\s*|\s+)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Za-z0-9_-]{20,})/gi;
/** Schemes a link can run or carry content with, with or without slashes: never left live. */
const ACTIVE_SCHEME = /\b(javascript|vbscript|data|file|blob)\s*:/gi;
/** `http:` and `https:` whatever follows: browsers take `https:\\host`, `https:/host` and `https:host` as links. */
const WEB_SCHEME = /\bhttps?(?=:)/gi;
/** Any other scheme before slashes or backslashes, raw or escaped. */
const OTHER_SCHEME = /\b([a-z][a-z0-9+.-]{0,15}):(?=[/\\]|%2f|%5c)/gi;
/** A host name: two or more labels, with the dots browsers also accept (ideographic and fullwidth full stops). */
const HOST = /[\p{L}\p{N}-]+(?:[.\u3002\uff0e\uff61][\p{L}\p{N}-]+)+/gu;
/** The longest piece of mail text any output shows: a subject or a name, not a payload. */
export const MAX_PRESENTED_CHARS = 200;

/**
 * Text that came from mail (subjects, display names, addresses, field values, anything free-form), made safe for
 * every output a person or a ticket system reads: on one line, invisible characters removed, approval secrets
 * redacted, every scheme and host defanged (`hxxps://`, `[.]`) so that no mail client, ticket system or phone makes
 * a link of it, and at most 200 characters.
 */
export function presentMailText(text: string): string {
  // What a browser or a mail client would decode is decoded first, so that nothing hides in an escape.
  let decoded = text;
  for (let round = 0; round < DECODE_ROUNDS && /%[0-9a-fA-F]{2}|=\?/.test(decoded); round += 1) {
    decoded = decoded.replace(ENCODED_WORD, encodedWordText).replace(PERCENT_RUN, percentDecoded);
  }
  // Invisible characters hide a link from a person, never from a browser, which drops them from host names.
  const oneLine = decoded.replace(INVISIBLE_CHARACTERS, '').replace(CONTROLS, ' ').trim();
  const presented = oneLine
    // An encoded word left in the text would be decoded again by the reader's mail client: never let it stand.
    .replaceAll('=?', '=[?]')
    .replace(SECRETS, (_all, name: string, equals: string) => `${name}${equals}<redacted>`)
    .replace(SECRETS_IN_WORDS, (_all, name: string, separator: string) => `${name}${separator}<redacted>`)
    .replace(ACTIVE_SCHEME, (_all, scheme: string) => `${scheme}[:]`)
    .replace(WEB_SCHEME, (scheme) => scheme.replace(/t/gi, 'x'))
    .replace(OTHER_SCHEME, (all, scheme: string) => (/^hxxps?$/i.test(scheme) ? all : `${scheme}[:]`))
    .replace(HOST, (host) => host.replace(/[.\u3002\uff0e\uff61]/g, '[.]'));
  return presented.length > MAX_PRESENTED_CHARS ? `${presented.slice(0, MAX_PRESENTED_CHARS - 1)}…` : presented;
}

/** A plain address: a client makes a `mailto:` of it at most, never a web link. */
const PLAIN_ADDRESS = /^[A-Za-z0-9._+-]{1,64}@[A-Za-z0-9.-]{1,253}$/;

/** An encoded word's text in its charset (UTF-8 when the charset is one this runtime does not know). */
function encodedWordText(_word: string, charset: string, encoding: string, data: string): string {
  const bytes =
    encoding.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64')
      : Buffer.from(
          data
            .replaceAll('_', ' ')
            .replace(/=([0-9a-fA-F]{2})/g, (_all, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
          'latin1',
        );
  try {
    return new TextDecoder(charset.split('*')[0]).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** One run of escapes as the characters it stands for (UTF-8, or byte by byte when it is no UTF-8). */
function percentDecoded(run: string): string {
  try {
    return decodeURIComponent(run);
  } catch {
    return run.replace(/%([0-9a-fA-F]{2})/g, (_all, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  }
}

/**
 * An address that came from mail (a sender, the mailboxes a mail reached): a plain one stays readable; anything else
 * (a quoted local part holding a URL, say) is presented as free text.
 */
export function presentAddress(address: string): string {
  return PLAIN_ADDRESS.test(address) ? address : presentMailText(address);
}

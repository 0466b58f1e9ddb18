/**
 * Decides whether a string may be shown as an ACM approval link. The link is a bearer secret and the favourite tool
 * of phishing, so it is checked twice: on the raw characters (before any parser can "repair" them) and on what the
 * WHATWG URL parser, which browsers use, makes of it.
 */

import { isRegionId } from './normalise.js';
import type { LinkRejection } from './types.js';

export type ApprovalLinkVerdict =
  | { readonly ok: true; readonly url: string; readonly hostRegion: string | null }
  | { readonly ok: false; readonly reason: LinkRejection };

/**
 * The hosts ACM has sent approval links from: `<region>.acm-certificates.amazon.com` (since Nov 2020),
 * `<region>.acm-certificates.amazonaws.cn` (China, and only China: sample 09), and the older
 * `<region>.certificates.amazon.com` and `certificates.amazon.com`. Returns the host's region ('' for the bare legacy
 * host), or null if not allowed.
 */
export function allowedHostRegion(hostname: string): string | null {
  if (hostname === 'certificates.amazon.com') return '';
  const match =
    /^([a-z0-9-]+)\.(acm-certificates\.amazon\.com|acm-certificates\.amazonaws\.cn|certificates\.amazon\.com)$/.exec(
      hostname,
    );
  const [, region, domain] = match ?? [];
  if (region === undefined || !isRegionId(region)) return null;
  // A China region's page is served from amazonaws.cn, every other region's from amazon.com.
  return (domain === 'acm-certificates.amazonaws.cn') === region.startsWith('cn-') ? region : null;
}

// `@` and `\` hide the real host (userinfo, backslash-as-slash); `%` hides either in an escape. WHATWG parsing
// strips tabs and newlines and maps non-ASCII to punycode, so anything outside printable ASCII is refused before it
// can (without the u flag, astral characters show as surrogates and are caught too).
const FORBIDDEN_RAW = /[^\x21-\x7e]|[@\\%]/;

export function validateApprovalLink(raw: string): ApprovalLinkVerdict {
  // The authority as a browser delimits it (a backslash ends it, like a slash).
  const rawAuthority = raw.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/\\?#]/, 1)[0] ?? '';
  if (rawAuthority.includes('@')) return { ok: false, reason: 'link-userinfo' };
  if (FORBIDDEN_RAW.test(raw)) return { ok: false, reason: 'link-forbidden-character' };
  if (!/^https:\/\//i.test(raw)) {
    return { ok: false, reason: /^[a-z][a-z0-9+.-]*:/i.test(raw) ? 'link-not-https' : 'link-unparseable' };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'link-unparseable' };
  }
  // An explicit :443 is dropped by the parser, so look at the raw authority too.
  if (url.port !== '' || rawAuthority.includes(':')) return { ok: false, reason: 'link-port' };
  const hostRegion = allowedHostRegion(url.hostname);
  if (hostRegion === null || rawAuthority.toLowerCase() !== url.hostname) {
    return { ok: false, reason: 'link-host-not-allowed' };
  }
  // The raw path too: the parser resolves `/x/../approvals` to `/approvals`, and ACM never writes such a path.
  const rawPath = raw.slice('https://'.length + rawAuthority.length).split(/[?#]/, 1)[0];
  if (url.pathname !== '/approvals' || rawPath !== '/approvals') {
    return { ok: false, reason: 'link-path-not-approvals' };
  }
  if (url.hash !== '' || raw.includes('#')) return { ok: false, reason: 'link-fragment' };
  const params = url.searchParams;
  const complete = ['code', 'context'].every((name) => params.getAll(name).length === 1 && params.get(name) !== '');
  if (!complete) return { ok: false, reason: 'link-query-incomplete' };
  // ACM's link has these two parameters and no other; anything more is the sender's text riding on ACM's host.
  if ([...params.keys()].some((name) => name !== 'code' && name !== 'context')) {
    return { ok: false, reason: 'link-unexpected-parameter' };
  }
  return { ok: true, url: url.href, hostRegion: hostRegion === '' ? null : hostRegion };
}

/**
 * validateApprovalLink for the parts of one mail, which carry the same link: each different link is judged once. The
 * verdict depends on the link's text alone; a judge lives as long as the reading of one mail, never across mails.
 */
export function linkJudgeForOneMail(): (raw: string) => ApprovalLinkVerdict {
  const verdicts = new Map<string, ApprovalLinkVerdict>();
  return (raw) => {
    let verdict = verdicts.get(raw);
    if (verdict === undefined) {
      verdict = validateApprovalLink(raw);
      verdicts.set(raw, verdict);
    }
    return verdict;
  };
}

/**
 * What imitates ACM's hosts without being one: a host or authority that speaks of certificates or approvals, names
 * an `acm` label, or is written in punycode or non-ASCII characters (homographs). ACM never links such hosts, so one
 * in an ACM mail is a phishing link, whatever its path (`certificates.amazon.com.evil.example`,
 * `us-east-1.acm-certificates.amazon.com@evil.example`, `certificatеs.amazon.com` with a Cyrillic `е`).
 */
const LOOK_ALIKE = /certificat|approval|(?:^|[.@-])acm(?:[.-]|$)|xn--|[^\x21-\x7e]/;
/**
 * An authority of letters, digits, dots and hyphens only, in a link without a backslash (which ends the authority
 * for http and https but not for other schemes: `foo://1\@acm` has the host `acm`). The URL parser makes of it the
 * same host, or a dotted IPv4 address (digits and dots), or nothing: never a host that looks like ACM's when the
 * authority itself does not.
 */
const PLAIN_AUTHORITY = /^[a-z0-9.-]+$/;

export function isAcmLookAlike(raw: string): boolean {
  const rawAuthority = (raw.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/\\?#]/, 1)[0] ?? '').toLowerCase();
  // Most links of a mail (images, footers, schemas) are plain and look like nothing: no URL to parse for those.
  if (!raw.includes('\\') && PLAIN_AUTHORITY.test(rawAuthority) && !LOOK_ALIKE.test(rawAuthority)) return false;
  let hostname = '';
  try {
    hostname = new URL(/^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : `https://${raw}`).hostname;
  } catch {
    // Unparseable: only the raw authority is judged.
  }
  const genuine = hostname !== '' && allowedHostRegion(hostname) !== null && rawAuthority === hostname;
  return !genuine && (LOOK_ALIKE.test(rawAuthority) || LOOK_ALIKE.test(hostname));
}

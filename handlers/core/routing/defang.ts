/**
 * Approval links are bearer secrets: whoever holds one can approve. Outside a trusted ticket they appear only
 * defanged, with the secret query values redacted: `hxxps://us-east-1[.]acm-certificates[.]amazon[.]com/approvals?
 * code=<redacted>&context=<redacted>`. Logs get the host and path alone.
 */

export function defangLink(url: string): string {
  const parsed = safeUrl(url);
  if (parsed === null) return '<unreadable link redacted>';
  const query = [...parsed.searchParams.keys()].map((name) => `${name}=<redacted>`).join('&');
  const scheme = parsed.protocol.replace(/^http/, 'hxxp').replace(/:$/, '');
  return `${scheme}://${parsed.host.replaceAll('.', '[.]')}${parsed.pathname}${query ? `?${query}` : ''}`;
}

/** For log lines: where the link points, never its code or context. */
export function linkForLog(url: string | null): string | null {
  if (url === null) return null;
  const parsed = safeUrl(url);
  return parsed === null ? '<unreadable>' : `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

function safeUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

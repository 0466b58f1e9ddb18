/** The two RFC 5322 constructs every reader of a structured header field needs, read the one way. */

/**
 * Just past the `)` that closes the comment opening at `start` (RFC 5322 3.2.2): comments nest, and a backslash
 * quotes the next character. -1 when the comment never closes.
 */
export function commentEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i += 1) {
    const char = text[i];
    if (char === '\\') i += 1;
    else if (char === '(') depth += 1;
    else if (char === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * The quoted string opening at `start` (RFC 5322 3.2.4): its content with quoted pairs resolved, the string as
 * written (quotes and backslashes included), and where it ends. Null when it never closes.
 */
export function quotedString(
  text: string,
  start: number,
): { readonly content: string; readonly written: string; readonly end: number } | null {
  let content = '';
  for (let i = start + 1; i < text.length; i += 1) {
    const char = text[i] as string;
    if (char === '\\' && i + 1 < text.length) {
      i += 1;
      content += text[i];
    } else if (char === '"') {
      return { content, written: text.slice(start, i + 1), end: i + 1 };
    } else {
      content += char;
    }
  }
  return null;
}

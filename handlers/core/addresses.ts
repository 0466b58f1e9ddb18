/**
 * The one reader of mail addresses in the product: RFC 5322 address lists (display names, comments, quoted strings,
 * angle addresses, groups, obsolete routes) from a raw header value. The From address that decides trust is read
 * here from the raw field, never from mailparser, which decodes encoded words before it looks for addresses (so
 * `=?utf-8?q?no-reply=40certificates.amazon.com?=` would become ACM's address there) and keeps only the first From.
 */

import { commentEnd, quotedString } from './rfc5322.js';

export interface Mailbox {
  /** `local@domain`, lower-cased; a quoted local part keeps its quotes. */
  readonly address: string;
  /** The display name as written (encoded words are left encoded: nothing here depends on them). */
  readonly displayName: string | null;
}

type Token =
  | { readonly kind: 'word'; readonly text: string; readonly quoted: boolean; readonly spaced: boolean }
  | { readonly kind: 'literal'; readonly text: string; readonly spaced: boolean }
  | { readonly kind: 'special'; readonly char: string; readonly spaced: boolean };

const SPECIALS = new Set(['<', '>', ':', ';', '@', ',']);
/** atext of RFC 5322, the dot (obsolete phrases and dot-atoms), and any non-ASCII character (SMTPUTF8 addresses). */
const ATOM_CHAR = /[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.\u0080-\uffff]/;
/** Bounds the work on a hostile header: no real address list is anywhere near this long. */
const MAX_VALUE_CHARS = 16_384;

/** Splits a header value into words, literals and specials; comments become blanks. Null when unbalanced. */
function tokenize(value: string): Token[] | null {
  const tokens: Token[] = [];
  let spaced = false;
  let i = 0;
  while (i < value.length) {
    const char = value[i] as string;
    if (char === ' ' || char === '\t' || char === '\r' || char === '\n') {
      spaced = true;
      i += 1;
    } else if (char === '(') {
      // Comments carry nothing an address needs.
      i = commentEnd(value, i);
      if (i === -1) return null;
      spaced = true;
    } else if (char === '"') {
      const quoted = quotedString(value, i);
      if (quoted === null) return null;
      // Kept as written: a quoted local part is part of the address.
      tokens.push({ kind: 'word', text: quoted.written, quoted: true, spaced });
      i = quoted.end;
      spaced = false;
    } else if (char === '[') {
      const end = value.indexOf(']', i);
      if (end === -1 || /[[\\]/.test(value.slice(i + 1, end))) return null;
      tokens.push({ kind: 'literal', text: value.slice(i, end + 1), spaced });
      i = end + 1;
      spaced = false;
    } else if (SPECIALS.has(char)) {
      tokens.push({ kind: 'special', char, spaced });
      i += 1;
      spaced = false;
    } else if (ATOM_CHAR.test(char)) {
      let end = i + 1;
      while (end < value.length && ATOM_CHAR.test(value[end] as string)) end += 1;
      tokens.push({ kind: 'word', text: value.slice(i, end), quoted: false, spaced });
      i = end;
      spaced = false;
    } else {
      return null; // a backslash, a stray `)`, `]` or a control character outside quotes
    }
  }
  return tokens;
}

const DOMAIN = /^(?!.*\.\.)[^.@]+(?:\.[^.@]+)*$/;
const DOT_ATOM = /^(?!\.)(?!.*\.\.)(?!.*\.$)[^@]+$/;

class AddressListParser {
  private index = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private isSpecial(char: string): boolean {
    const token = this.peek();
    return token?.kind === 'special' && token.char === char;
  }

  /** The whole list, or null when any part of it is not an address. */
  list(): Mailbox[] | null {
    const mailboxes: Mailbox[] = [];
    while (this.index < this.tokens.length) {
      // Empty list elements (`a@b, , c@d`) are obsolete but harmless.
      if (this.isSpecial(',')) {
        this.index += 1;
        continue;
      }
      const address = this.address();
      if (address === null) return null;
      mailboxes.push(...address);
      if (this.index < this.tokens.length && !this.isSpecial(',')) return null;
    }
    return mailboxes;
  }

  /** A mailbox, or a group `name: a@b, c@d;` (whose members count like any other mailbox). */
  private address(): Mailbox[] | null {
    const start = this.index;
    const phrase: string[] = [];
    for (let token = this.peek(); token?.kind === 'word'; token = this.peek()) {
      phrase.push(token.text);
      this.index += 1;
    }
    if (phrase.length > 0 && this.isSpecial(':')) {
      this.index += 1;
      const members: Mailbox[] = [];
      while (!this.isSpecial(';')) {
        if (this.index >= this.tokens.length) return null;
        if (this.isSpecial(',')) {
          this.index += 1;
          continue;
        }
        const member = this.mailbox();
        if (member === null) return null;
        members.push(member);
      }
      this.index += 1;
      return members;
    }
    this.index = start;
    const mailbox = this.mailbox();
    return mailbox === null ? null : [mailbox];
  }

  private mailbox(): Mailbox | null {
    const start = this.index;
    const phrase: string[] = [];
    for (let token = this.peek(); token?.kind === 'word'; token = this.peek()) {
      phrase.push(token.text);
      this.index += 1;
    }
    if (this.isSpecial('<')) {
      this.index += 1;
      this.skipObsoleteRoute();
      const address = this.addrSpec();
      if (address === null || !this.isSpecial('>')) return null;
      this.index += 1;
      return { address, displayName: phrase.length > 0 ? phrase.join(' ') : null };
    }
    this.index = start;
    const address = this.addrSpec();
    return address === null ? null : { address, displayName: null };
  }

  /** `<@relay.example,@other.example:user@host>`: the route is obsolete and ignored, as every reader ignores it. */
  private skipObsoleteRoute(): void {
    const start = this.index;
    while (this.isSpecial('@') || this.isSpecial(',')) {
      this.index += 1;
      if (this.peek()?.kind === 'word' || this.peek()?.kind === 'literal') this.index += 1;
    }
    if (this.index > start && this.isSpecial(':')) this.index += 1;
    else this.index = start;
  }

  private addrSpec(): string | null {
    let local = '';
    for (let token = this.peek(); token?.kind === 'word'; token = this.peek()) {
      // The words of one local part touch (`"a".b`); a blank between words is a display name, not an address.
      if (local !== '' && token.spaced) return null;
      local += token.text;
      this.index += 1;
    }
    if (local === '' || !this.isSpecial('@')) return null;
    if (!local.startsWith('"') && !DOT_ATOM.test(local)) return null;
    this.index += 1;
    const domain = this.peek();
    if (domain === undefined || domain.kind === 'special') return null;
    if (domain.kind === 'word' && (domain.quoted || !DOMAIN.test(domain.text))) return null;
    this.index += 1;
    return `${local}@${domain.text}`.toLowerCase();
  }
}

/**
 * The mailboxes of an address-list header value (From, To, Sender, Reply-To), or null when the value is not a
 * well-formed list: an unbalanced quote, comment or angle bracket, a second angle address in one mailbox, an
 * address hidden in a display name, an encoded word where an address must be. Null is a finding, not a guess.
 */
export function parseAddressList(value: string): Mailbox[] | null {
  if (value.length > MAX_VALUE_CHARS) return null;
  const tokens = tokenize(value);
  return tokens === null ? null : new AddressListParser(tokens).list();
}

/** The domain of an address (after its last `@`), lower-cased. */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/**
 * Named limits on untrusted input. Each says which attack or accident it stops.
 * ACM's approval mail is about 12 KB; everything here is far above that and far below what would hurt.
 */
export interface ParseLimits {
  /**
   * Mail larger than this is never fully parsed: it is classified from its header block alone as `not-acm`
   * (`oversize`). Stops floods of large mail to the five public addresses from costing memory and time.
   */
  readonly maxMailBytes: number;
  /**
   * How much of the top of the mail is read as its header block when looking for SES's stamped verdicts and, for
   * oversize mail, for From, Subject and Message-ID. Stops a megabyte of headers from being scanned twice.
   */
  readonly maxHeaderBytes: number;
  /**
   * How deep attached originals (message/rfc822) are opened to find a forwarded ACM mail. Stops 20 levels of nesting
   * from costing 20 parses; a person forwarding a forward is the deepest real case.
   */
  readonly maxAttachedDepth: number;
  /** How many attached originals per message are opened. Stops a mail with hundreds of attached mails. */
  readonly maxAttachedMessages: number;
  /**
   * How many characters of a decoded text or HTML part the template reader looks at: as many as a mail under
   * `maxMailBytes` can hold, so that padding cannot push ACM's template out of sight. Stops patterns from running over
   * more (every pattern's repetitions are bounded, so the work stays linear).
   */
  readonly maxScannedChars: number;
  /**
   * How deep HTML elements may nest before the rest of an HTML part is left unread. The HTML parser keeps its open
   * elements in a list it grows at the front, so every element opened costs in proportion to the depth: 150,000
   * unclosed elements took seconds. ACM's HTML nests about 15 deep.
   */
  readonly maxHtmlDepth: number;
}

export const DEFAULT_LIMITS: ParseLimits = {
  maxMailBytes: 1024 * 1024,
  maxHeaderBytes: 256 * 1024,
  maxAttachedDepth: 3,
  maxAttachedMessages: 5,
  maxScannedChars: 1024 * 1024,
  maxHtmlDepth: 256,
};

/** Fills in defaults and rejects nonsense rather than silently running without a limit. */
export function resolveLimits(overrides: Partial<ParseLimits> = {}): ParseLimits {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`limits.${name}: ${String(value)} is not a positive whole number`);
    }
  }
  return limits;
}

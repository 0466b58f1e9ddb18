/**
 * What the top header block says about who sent a mail and what kind of mail it is, read once from the raw fields
 * (never from mailparser, which keeps the first of repeated fields and decodes encoded words before it looks for an
 * address). The trust gate and the router's loop guard both use these facts.
 */
import { parseAddressList } from './addresses.js';
import { PROBE_HEADER } from './canary/token.js';
import { fieldCounts, firstValue, type HeaderBlock } from './header-block.js';
import type { SuspiciousReason } from './types.js';

/**
 * The header field that names our mail, on every mail we send (routing/delivery-profiles.ts writes it). Defined
 * here, where mail is read, so that reading a header block does not depend on the routing layer.
 */
export const PROJECT_HEADER = 'X-ACM-Validation-Mail';
const PROJECT_HEADER_NAME = PROJECT_HEADER.toLowerCase();
const PROBE_HEADER_NAME = PROBE_HEADER.toLowerCase();

/** One `X-ACM-Mail-Probe` field of the top header block, as written. */
export interface ProbeField {
  /** Unfolded and trimmed. */
  readonly value: string;
  /** Written over more than one line: our canary never folds it, so a folded one is not a token. */
  readonly folded: boolean;
}

export interface HeaderFacts {
  /** The single mailbox of the single From field; null when the field is missing, repeated, unreadable or a list. */
  readonly from: string | null;
  /** Every address any From field names: what the mail claims to come from, however it is written. */
  readonly claimedFrom: readonly string[];
  /** The `Auto-Submitted` value (RFC 3834), or null. */
  readonly autoSubmitted: string | null;
  /** Mailing-list or bulk mail: a `List-Id`/`List-Unsubscribe` field, or `Precedence: bulk|list|junk`. */
  readonly bulk: boolean;
  /**
   * Carries our `X-ACM-Validation-Mail` field: mail we sent, come back with another From (a list or a forwarder that
   * rewrote it). Anyone can write the field, so it only ever quiets mail that is not ACM's template, as
   * `Auto-Submitted` does.
   */
  readonly projectHeader: boolean;
  /**
   * Every `X-ACM-Mail-Probe` field of the top header block (any case). A mail with one "looks like a probe": the
   * router decides it before anything else, as a probe or as `suspicious` (core/canary/probe-check.ts).
   */
  readonly probeFields: readonly ProbeField[];
  /**
   * The header block was longer than we read (`limits.maxHeaderBytes`): fields past the cut are unseen, so the
   * block is unbelievable (`header-block-cut`) and a probe in it is never ours.
   */
  readonly headerCut: boolean;
  /** A line past the cut starts an `X-ACM-Mail-Probe` field (header-block.ts): the mail looks like a probe. */
  readonly probeFieldPastCut: boolean;
  /** What makes the header block itself unbelievable for a mail that claims ACM. */
  readonly findings: readonly SuspiciousReason[];
}

/**
 * RFC 5322 allows each of these once. mailparser keeps the first of two, a mail client may show the other, and
 * SES's DMARC check may have judged either: a mail with two can mean two things, so it is not believed.
 */
export const SINGLE_FIELDS = [
  'from',
  'sender',
  'subject',
  'date',
  'message-id',
  'content-type',
  'mime-version',
] as const;

const ADDRESS_LIKE = /[^\s<>()"',;:[\]\\]{1,64}@[^\s<>()"',;:[\]\\]{1,255}/g;

export function readHeaderFacts(block: HeaderBlock): HeaderFacts {
  const findings: SuspiciousReason[] = [];
  const counts = fieldCounts(block, SINGLE_FIELDS);
  if ([...counts.values()].some((count) => count > 1)) findings.push('duplicate-header-field');
  if (block.strayLines > 0) findings.push('stray-header-line');
  if (block.cut) findings.push('header-block-cut');

  const fromFields = block.fields.filter((field) => field.name === 'from');
  const readings = fromFields.map((field) => parseAddressList(field.value));
  if (readings.some((reading) => reading === null)) findings.push('from-unreadable');
  // What a From field claims, even one we cannot read as a list: anything shaped like an address in it. Only ever
  // used to say a mail claims ACM's sender (and so must prove it), never to trust it.
  const claimedFrom = fromFields.flatMap((field, index) => {
    const reading = readings[index];
    if (reading) return reading.map((mailbox) => mailbox.address);
    return [...field.value.slice(0, 16_384).matchAll(ADDRESS_LIKE)].map((match) => match[0].toLowerCase());
  });
  const [only] = readings;
  if (fromFields.length === 1 && only && only.length > 1) findings.push('multiple-from-mailboxes');
  const from = fromFields.length === 1 && only?.length === 1 ? (only[0]?.address ?? null) : null;

  const precedence = firstValue(block, 'precedence')?.toLowerCase() ?? '';
  const bulk =
    block.fields.some((field) => field.name === 'list-id' || field.name === 'list-unsubscribe') ||
    /^(?:bulk|list|junk)\b/.test(precedence);
  const projectHeader = block.fields.some((field) => field.name === PROJECT_HEADER_NAME);
  const probeFields = block.fields
    .filter((field) => field.name === PROBE_HEADER_NAME)
    .map((field) => ({ value: field.value, folded: field.lines.length > 1 }));
  return {
    from,
    claimedFrom,
    autoSubmitted: firstValue(block, 'auto-submitted'),
    bulk,
    projectHeader,
    probeFields,
    headerCut: block.cut,
    probeFieldPastCut: block.probeFieldPastCut,
    findings,
  };
}

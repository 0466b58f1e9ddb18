/**
 * The fixed words of every mail an owner reads, one catalogue per locale (`en.ts`, `ja.ts`), each a whole sentence
 * or label with its values as parameters: never a sentence built by joining translated fragments, because word order
 * differs between the languages. The type makes a catalogue that lacks an entry fail to compile.
 */
import type { Locale } from '../configuration/schema.js';
import { en } from './en.js';
import { ja } from './ja.js';

export interface Catalogue {
  /** Ticket mail to an owner's queues, and its follow-ups (routing/ticket.ts). */
  readonly ticket: TicketWords;
  /** The not-ACM summary to the fallback owner's queue (routing/alerts.ts). */
  readonly notAcm: NotAcmWords;
  /** The owner's digest (digest/render.ts). */
  readonly digest: DigestWords;
}

// --- ticket mail (routing/ticket.ts) -------------------------------------------------------------------------------
/** What a ticket's subject says, in this order: trust (only when not verified), kind, domain, account, deadline. */
export interface TicketSubjectFacts {
  /** The mail was `trusted`; an unverified copy says so first. */
  readonly verified: boolean;
  readonly renewal: boolean;
  readonly domain: string;
  /** The account's configured name, or its id when it has none. */
  readonly account: string;
  /** The approval deadline in the owner's zone, short form (`zonedTimeShort`). */
  readonly deadline: string;
}

/** How long until the approval deadline, or how long since it passed, in whole hours and minutes. */
export interface TimeToDeadline {
  readonly hours: number;
  readonly minutes: number;
  readonly passed: boolean;
}

export interface TicketWords {
  readonly subject: (facts: TicketSubjectFacts) => string;
  readonly labels: {
    readonly domain: string;
    readonly request: string;
    readonly account: string;
    readonly region: string;
    readonly certificate: string;
    readonly console: string;
    readonly approveBefore: string;
    readonly certificateExpires: string;
    readonly firstReceived: string;
    readonly reachedAddresses: string;
    readonly rawMail: string;
    readonly owner: string;
    readonly authenticity: string;
  };
  readonly requestKind: (renewal: boolean) => string;
  /** The account row: its name and id. */
  readonly accountNamed: (name: string, id: string) => string;
  /** `71 h 58 min left` / `expired 3 h 5 min ago`. */
  readonly timeToDeadline: (time: TimeToDeadline) => string;
  /** The approve-before row: the deadline (with UTC beside it) and the time to it. */
  readonly approveBefore: (deadline: string, time: TimeToDeadline) => string;
  readonly authenticity: (verified: boolean) => string;
  readonly intro: (domain: string) => string;
  readonly followUpTrusted: string;
  readonly followUpUnverified: string;
  readonly checksHeading: string;
  readonly checkRequested: (domain: string, account: string, region: string) => string;
  readonly checkApprovalPage: string;
  readonly checkNobodyAsked: string;
  readonly approvingNote: string;
  readonly linkNone: string;
  readonly linkHeading: string;
  readonly linkWithheldHeading: string;
  /** How to get a usable link for a withheld one; `accountName` null when the account has no configured name. */
  readonly linkWithheldAdvice: (accountId: string, accountName: string | null) => string;
}

// --- not-ACM summary (routing/alerts.ts) ---------------------------------------------------------------------------
export interface NotAcmWords {
  /** `subject` as presented (defanged, one line), empty when the mail had none. */
  readonly subject: (subject: string) => string;
  readonly labels: {
    readonly from: string;
    readonly subject: string;
    readonly size: string;
    readonly whyNotAcm: string;
    readonly received: string;
    readonly reached: string;
    readonly rawMail: string;
  };
  readonly none: string;
  readonly sizeBytes: (bytes: number) => string;
  readonly intro: string;
  readonly advice: string;
}

// --- digest (digest/render.ts) -------------------------------------------------------------------------------------
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the digest work
export interface DigestWords {}

const CATALOGUES: Record<Locale, Catalogue> = { en, ja };

export function catalogueFor(locale: Locale): Catalogue {
  return CATALOGUES[locale];
}

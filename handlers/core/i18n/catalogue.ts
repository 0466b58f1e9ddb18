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
/** An owner digest's counts, as the subject and the summary line say them. */
export interface DigestCountsWords {
  readonly open: number;
  readonly expiringToday: number;
  readonly expired: number;
  readonly security: number;
  readonly done: number;
  /** Watched addresses of the owner whose last canary probe was found missing. */
  readonly mailboxesMissing: number;
}

/** A span of time, whole: hours and minutes under a day, whole days from one day on. */
export type Span = { readonly days: number } | { readonly hours: number; readonly minutes: number };

export interface DigestWords {
  /** The HTML document's `lang`. */
  readonly htmlLang: string;
  readonly subject: (counts: DigestCountsWords) => string;
  /** The line under the title: whose digest, as of when (a formatted time). */
  readonly asOf: (owner: string, time: string) => string;
  readonly summary: (counts: DigestCountsWords) => string;
  readonly nothingOpen: (owner: string) => string;
  /** Section headings, with the number of entries in each. */
  readonly needsAction: (count: number) => string;
  readonly expiredSection: (count: number) => string;
  readonly foreignSection: (count: number) => string;
  readonly doneSection: (count: number) => string;
  /** Each entry's first line: its deadline (a formatted time) and how far it is, or why there is none. */
  readonly approveBy: (time: string, left: { hours: number; minutes: number }, dueToday: boolean) => string;
  readonly windowClosed: (time: string, ago: Span) => string;
  readonly doNotApprove: (accountId: string) => string;
  readonly certificateIssued: string;
  /** The approve action: the link's text where it may be clicked, and its label in the text part. */
  readonly openApprovalPage: string;
  readonly approvalPageLabel: string;
  /** Why an entry has no link to click; each a whole sentence ending in what to do. */
  readonly linkWithheldUnverified: string;
  readonly noLinkReceived: string;
  readonly resendExpired: string;
  readonly foreignAdvice: string;
  readonly nothingToDo: string;
  readonly laterUnverifiedLink: string;
  readonly labels: {
    readonly domain: string;
    readonly account: string;
    readonly region: string;
    readonly kind: string;
    readonly ticket: string;
    readonly trust: string;
    readonly acmStatus: string;
    readonly certificateExpires: string;
    readonly reached: string;
    readonly firstReceived: string;
    /** The link as it came, defanged and redacted, where it is not clickable. */
    readonly linkAsReceived: string;
  };
  readonly renewal: string;
  readonly newCertificate: string;
  readonly trusted: string;
  readonly unverified: string;
  readonly acmStatus: Readonly<Record<'issued' | 'pending' | 'failed' | 'unknown', string>>;
  readonly unknown: string;
  /** A certificate's expiry (a formatted time) and, for a renewal within 45 days, the days left or past. */
  readonly certificateExpiry: (time: string, renewalDueInDays: number | null) => string;
  /** The mailbox canary's section: its heading with the number of addresses, what it means, one sentence an address. */
  readonly canarySection: (count: number) => string;
  readonly canaryIntro: string;
  /** Each starts with its mark in capitals (`OK`, `MISSING`), so a reader scanning the column sees it; times formatted. */
  readonly canaryArrived: (lastSuccess: string) => string;
  readonly canaryMissing: (missingAt: string | null, lastSuccess: string | null) => string;
  readonly canaryPending: string;
  readonly canaryNever: string;
  /** The estate's section (digest/estate.ts): the owner's email-validated certificates and the way off email. */
  readonly estateSection: (emailValidated: number) => string;
  readonly estateSummary: (emailValidated: number, readyNow: number) => string;
  /** The next expiry among them: domain, account name, a formatted time. */
  readonly estateNextExpiry: (domain: string, account: string, time: string) => string;
  readonly estateUnusedExpiring: (count: number) => string;
  /** Some accounts or regions could not be listed. */
  readonly estateIncomplete: string;
  /** When the estate was listed (a formatted time), and where the steps are. */
  readonly estateHowTo: (listedAt: string) => string;
  /** Above which the digest writes one line an entry, under this legend naming the values in order. */
  readonly compactLegend: string;
  readonly footer: string;
}

const CATALOGUES: Record<Locale, Catalogue> = { en, ja };

export function catalogueFor(locale: Locale): Catalogue {
  return CATALOGUES[locale];
}

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
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the ticket work
export interface TicketWords {}

// --- not-ACM summary (routing/alerts.ts) ---------------------------------------------------------------------------
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the ticket work
export interface NotAcmWords {}

// --- digest (digest/render.ts) -------------------------------------------------------------------------------------
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the digest work
export interface DigestWords {}

const CATALOGUES: Record<Locale, Catalogue> = { en, ja };

export function catalogueFor(locale: Locale): Catalogue {
  return CATALOGUES[locale];
}

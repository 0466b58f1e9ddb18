/**
 * Times as people read them in mail we send, in the reader's time zone and language:
 * - `en`: `Sat 28 Nov 2026 15:39 CET`, short form (subjects) `Sat 28 Nov 15:39 CET`;
 * - `ja`: `2026年11月28日(土) 15:39 JST`, short form `11月28日(土) 15:39 JST`;
 * and, where a deadline must be unambiguous across zones, the UTC time beside it: `... 15:39 CET (14:39 UTC)`, with
 * the UTC date too when it is another day (`(2026-11-29 01:39 UTC)`).
 *
 * Built from Intl's parts, not from its whole string: Intl's own `en-GB` and `ja-JP` forms put commas and slashes
 * where mail subjects and Japanese readers do not want them.
 */
import type { Locale } from '../configuration/schema.js';

export type { Locale };

export interface ZonedParts {
  readonly year: string;
  /** `Nov` (en) or `11` (ja). */
  readonly month: string;
  readonly day: string;
  /** `Sat` (en) or `土` (ja). */
  readonly weekday: string;
  readonly hour: string;
  readonly minute: string;
  /** `CET`, `JST`, `UTC`, or `GMT+1` where the language has no abbreviation for the zone. */
  readonly zoneName: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(intlLocale: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${intlLocale} ${timeZone}`;
  let made = formatters.get(key);
  if (made === undefined) {
    made = new Intl.DateTimeFormat(intlLocale, {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: intlLocale === 'ja-JP' ? 'numeric' : 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(key, made);
  }
  return made;
}

const INTL_LOCALE: Record<Locale, string> = { en: 'en-GB', ja: 'ja-JP' };

export function zonedParts(instant: Date, timeZone: string, locale: Locale): ZonedParts {
  const parts: Record<string, string> = {};
  for (const part of formatter(INTL_LOCALE[locale], timeZone).formatToParts(instant)) parts[part.type] = part.value;
  let zoneName = parts.timeZoneName ?? '';
  // en-GB names European zones (CET, BST) but writes GMT-5 for New York; en-US has EST there.
  if (locale === 'en' && /^GMT[+-]/.test(zoneName)) {
    const american = formatter('en-US', timeZone)
      .formatToParts(instant)
      .find((part) => part.type === 'timeZoneName')?.value;
    if (american && /^[A-Z]{2,5}$/.test(american)) zoneName = american;
  }
  return {
    year: parts.year ?? '',
    // ICU 72 and later write September as `Sept` in en-GB, earlier ones `Sep`: three letters, whatever Node ships.
    month: locale === 'en' ? (parts.month ?? '').slice(0, 3) : (parts.month ?? ''),
    day: parts.day ?? '',
    weekday: parts.weekday ?? '',
    hour: parts.hour ?? '',
    minute: parts.minute ?? '',
    zoneName,
  };
}

/** The full form, with the year. */
export function zonedTime(iso: string, timeZone: string, locale: Locale): string {
  const p = zonedParts(new Date(iso), timeZone, locale);
  return locale === 'ja'
    ? `${p.year}年${p.month}月${p.day}日(${p.weekday}) ${p.hour}:${p.minute} ${p.zoneName}`
    : `${p.weekday} ${p.day} ${p.month} ${p.year} ${p.hour}:${p.minute} ${p.zoneName}`;
}

/** The short form for subjects: no year (a deadline is at most days away). */
export function zonedTimeShort(iso: string, timeZone: string, locale: Locale): string {
  const p = zonedParts(new Date(iso), timeZone, locale);
  return locale === 'ja'
    ? `${p.month}月${p.day}日(${p.weekday}) ${p.hour}:${p.minute} ${p.zoneName}`
    : `${p.weekday} ${p.day} ${p.month} ${p.hour}:${p.minute} ${p.zoneName}`;
}

/** The full form with UTC beside it; the UTC date only when it differs from the local one or the zone is UTC. */
export function zonedTimeWithUtc(iso: string, timeZone: string, locale: Locale): string {
  const local = zonedTime(iso, timeZone, locale);
  const instant = new Date(iso);
  if (zonedParts(instant, timeZone, 'en').zoneName === 'UTC') return local;
  const utcDay = instant.toISOString().slice(0, 10);
  const utc = `${utcDay === localDay(instant, timeZone) ? '' : `${utcDay} `}${instant.toISOString().slice(11, 16)} UTC`;
  return `${local} (${utc})`;
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * `2026-11-28`, the day in that zone. From numeric parts, not from a month's name: names differ between ICU versions
 * (`Sept`), and a name not recognised would show the UTC date beside every September time.
 */
function localDay(instant: Date, timeZone: string): string {
  let made = dayFormatters.get(timeZone);
  if (made === undefined) {
    made = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, made);
  }
  const parts: Record<string, string> = {};
  for (const part of made.formatToParts(instant)) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/**
 * Times in an owner's zone and language as the digest writes them, in the forms of `i18n/time.ts` so that tickets
 * and digest agree (`Thu 26 Nov 2026 09:00 CET`, `2026年11月26日(木) 17:00 JST`), and the calendar day they fall on.
 * Intl's formatter is exact but costs microseconds a call, and a 10,000-request digest formats 23,000 times and asks
 * 10,000 times whether a deadline is today. Within one hour of UTC time a zone's offset and name almost never
 * change, so Intl is asked twice per hour, zone and language met (its first and last minute) and the minutes are
 * counted from there; any hour where the two answers do not line up (a daylight-saving change, midnight inside the
 * hour for a zone at a half- or quarter-hour offset) is written by `zonedTime` instant by instant, as is anything
 * outside 1980-9999.
 */

import { type Locale, zonedParts, zonedTime } from '../i18n/time.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/**
 * Where counting minutes from the hour is exact: every zone's offset has been whole minutes since 1972 (Liberia's
 * -0:44:30 was the last), and Intl writes other years (before 1000, after 9999) differently.
 */
const COUNTED_FROM = Date.UTC(1980, 0, 1);
const COUNTED_UNTIL = Date.UTC(9999, 0, 1);
/**
 * Hours remembered per zone before starting over (half a year of hours): each holds the minutes written in it, and a
 * 10,000-request digest writes at most 23,000 times, about 2 MB, however long a warm function lives.
 */
const MAX_HOURS_KEPT = 4_000;

/** One hour of UTC time in a zone, when the offset, zone name and calendar day hold for the whole hour. */
interface SteadyHour {
  /** Everything written before the hour: `Thu 26 Nov 2026 ` (en), `2026年11月26日(木) ` (ja). */
  readonly day: string;
  /** Everything written after the minutes: ` CET`. */
  readonly zoneName: string;
  /** The local minute of the day at the hour's first minute. */
  readonly firstMinute: number;
  /**
   * Each minute of the hour as written, once asked for: the copies of one request, the names of one certificate
   * and a batch of renewals arrive within the same minutes, and their deadlines with them.
   */
  readonly written: (string | undefined)[];
}

/** `00:00` to `23:59`, by minute of the day. */
const CLOCK = Array.from(
  { length: 24 * 60 },
  (_, minute) => `${twoDigits(Math.floor(minute / 60))}:${twoDigits(minute % 60)}`,
);

/** How one instant is written, cut around the hour and minute. */
interface WrittenTime {
  readonly day: string;
  readonly zoneName: string;
  readonly minuteOfDay: number;
}

class ZoneClock {
  /** `2026-11-26`: the calendar day alone, for instants outside a steady hour. */
  private readonly calendarDay: Intl.DateTimeFormat;
  /** Per hour since the epoch: its steady description, or null when each instant of it is written on its own. */
  private readonly hours = new Map<number, SteadyHour | null>();

  constructor(
    private readonly timeZone: string,
    private readonly locale: Locale,
  ) {
    this.calendarDay = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
  }

  format(instant: number): string {
    const hour = this.steadyHour(instant);
    if (hour === null) return zonedTime(new Date(instant).toISOString(), this.timeZone, this.locale);
    const minute = Math.floor((instant % HOUR_MS) / MINUTE_MS);
    let written = hour.written[minute];
    if (written === undefined) {
      written = `${hour.day}${CLOCK[hour.firstMinute + minute]}${hour.zoneName}`;
      hour.written[minute] = written;
    }
    return written;
  }

  /** Whether two instants fall on the same calendar day in the zone. */
  sameDay(a: number, b: number): boolean {
    const first = this.steadyHour(a);
    const second = this.steadyHour(b);
    // The day written before the hour names weekday, day, month and year: equal exactly when the dates are.
    if (first !== null && second !== null) return first.day === second.day;
    return this.calendarDay.format(a) === this.calendarDay.format(b);
  }

  private steadyHour(instant: number): SteadyHour | null {
    if (!(instant >= COUNTED_FROM && instant < COUNTED_UNTIL)) return null;
    const hour = Math.floor(instant / HOUR_MS);
    let known = this.hours.get(hour);
    if (known === undefined) {
      if (this.hours.size >= MAX_HOURS_KEPT) this.hours.clear();
      known = this.learn(hour * HOUR_MS);
      this.hours.set(hour, known);
    }
    return known;
  }

  /**
   * Steady when Intl's first and last minute of the hour name the same day and zone, 59 minutes apart: one offset
   * throughout (zones never change twice within an hour), and no local midnight inside it. The checks overlap on
   * purpose: an offset change or a midnight breaks the 59 minutes, a zone renamed at the same offset only the name,
   * a jump of a whole day across the date line only the day.
   */
  private learn(hourStart: number): SteadyHour | null {
    const first = this.written(hourStart);
    const last = this.written(hourStart + 59 * MINUTE_MS);
    const steady =
      first.minuteOfDay >= 0 &&
      last.minuteOfDay === first.minuteOfDay + 59 &&
      last.day === first.day &&
      last.zoneName === first.zoneName;
    return steady
      ? { day: first.day, zoneName: first.zoneName, firstMinute: first.minuteOfDay, written: new Array(60) }
      : null;
  }

  /** The same parts `zonedTime` joins, so that a counted minute is written exactly as `zonedTime` writes it. */
  private written(instant: number): WrittenTime {
    const p = zonedParts(new Date(instant), this.timeZone, this.locale);
    const hour = Number(p.hour);
    const minute = Number(p.minute);
    if (!(hour >= 0 && hour < 24 && minute >= 0 && minute < 60)) return { day: '', zoneName: '', minuteOfDay: -1 };
    return {
      day:
        this.locale === 'ja'
          ? `${p.year}年${p.month}月${p.day}日(${p.weekday}) `
          : `${p.weekday} ${p.day} ${p.month} ${p.year} `,
      zoneName: ` ${p.zoneName}`,
      minuteOfDay: hour * 60 + minute,
    };
  }
}

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : `${value}`;
}

/** Per language, per zone: two lookups of strings the caller already has, no key built per call (30,000 a digest). */
const clocks: Record<Locale, Map<string, ZoneClock>> = { en: new Map(), ja: new Map() };

function clockOf(timeZone: string, locale: Locale): ZoneClock {
  const zones = clocks[locale];
  let clock = zones.get(timeZone);
  if (clock === undefined) {
    clock = new ZoneClock(timeZone, locale);
    zones.set(timeZone, clock);
  }
  return clock;
}

/**
 * `Thu 26 Nov 2026 09:00 CET` (en) or `2026年11月26日(木) 17:00 JST` (ja) in the zone, daylight saving included:
 * exactly what `zonedTime` writes, at a fraction of its cost.
 */
export function localTime(iso: string, timeZone: string, locale: Locale = 'en'): string {
  const instant = Date.parse(iso);
  // An unreadable time fails as it always did: Intl refuses an invalid date.
  if (Number.isNaN(instant)) throw new RangeError(`invalid time value: ${JSON.stringify(iso)}`);
  return clockOf(timeZone, locale).format(instant);
}

/** Whether two instants fall on the same calendar day in the zone. */
export function sameLocalDay(a: number, b: number, timeZone: string): boolean {
  return clockOf(timeZone, 'en').sameDay(a, b);
}

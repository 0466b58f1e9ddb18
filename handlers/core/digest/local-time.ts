/**
 * Times in an owner's zone as the digest writes them (`Thu, 26 Nov 2026, 09:00 CET`), and the calendar day they fall
 * on. Intl's formatter is exact but costs microseconds a call, and a 10,000-request digest formats 23,000 times and
 * asks 10,000 times whether a deadline is today. Within one hour of UTC time a zone's offset and name almost never
 * change, so Intl is asked twice per hour met (its first and last minute) and the minutes are counted from there;
 * any hour where the two answers do not line up (a daylight-saving change, midnight inside the hour for a zone at a
 * half- or quarter-hour offset) is formatted by Intl instant by instant, as is anything outside 1980-9999.
 */

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
  /** Everything Intl writes before the hour: `Thu, 26 Nov 2026, `. */
  readonly day: string;
  /** Everything Intl writes after the minutes: ` CET`. */
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

/** What Intl wrote for one instant, cut around the hour and minute. */
interface WrittenTime {
  readonly day: string;
  readonly zoneName: string;
  readonly minuteOfDay: number;
}

class ZoneClock {
  private readonly formatter: Intl.DateTimeFormat;
  /** `2026-11-26`: the calendar day alone, for instants outside a steady hour. */
  private readonly calendarDay: Intl.DateTimeFormat;
  /** Per hour since the epoch: its steady description, or null when Intl must write each instant of it. */
  private readonly hours = new Map<number, SteadyHour | null>();

  constructor(timeZone: string) {
    this.formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    this.calendarDay = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
  }

  format(instant: number): string {
    const hour = this.steadyHour(instant);
    if (hour === null) return this.formatter.format(instant);
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
    // The day Intl writes before the hour names weekday, day, month and year: equal exactly when the dates are.
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

  private written(instant: number): WrittenTime {
    const parts = this.formatter.formatToParts(instant);
    const hourAt = parts.findIndex((part) => part.type === 'hour');
    const minuteAt = parts.findIndex((part) => part.type === 'minute');
    // Only the shape `<day>HH:MM<zone>` is counted; anything else (never seen) is left to Intl instant by instant.
    if (hourAt < 0 || minuteAt !== hourAt + 2 || parts[hourAt + 1]?.value !== ':') {
      return { day: '', zoneName: '', minuteOfDay: -1 };
    }
    const text = (from: number, to: number) =>
      parts
        .slice(from, to)
        .map((part) => part.value)
        .join('');
    return {
      day: text(0, hourAt),
      zoneName: text(minuteAt + 1, parts.length),
      minuteOfDay: Number(parts[hourAt]?.value) * 60 + Number(parts[minuteAt]?.value),
    };
  }
}

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : `${value}`;
}

const clocks = new Map<string, ZoneClock>();

function clockOf(timeZone: string): ZoneClock {
  let clock = clocks.get(timeZone);
  if (clock === undefined) {
    clock = new ZoneClock(timeZone);
    clocks.set(timeZone, clock);
  }
  return clock;
}

/** `Thu, 26 Nov 2026, 09:00 CET` in the zone (daylight saving included), exactly as Intl's en-GB formatter writes it. */
export function localTime(iso: string, timeZone: string): string {
  // An unreadable time fails as it always did: Intl refuses an invalid date.
  return clockOf(timeZone).format(Date.parse(iso));
}

/** Whether two instants fall on the same calendar day in the zone. */
export function sameLocalDay(a: number, b: number, timeZone: string): boolean {
  return clockOf(timeZone).sameDay(a, b);
}

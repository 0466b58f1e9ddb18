import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localTime, sameLocalDay } from '../../../handlers/core/digest/local-time.js';

/** What the digest wrote before it counted minutes itself: Intl, asked for every instant. */
const formatters = new Map<string, Intl.DateTimeFormat>();
const intl = (timeZone: string) => {
  const formatter =
    formatters.get(timeZone) ??
    new Intl.DateTimeFormat('en-GB', {
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
  formatters.set(timeZone, formatter);
  return formatter;
};
const days = new Map<string, Intl.DateTimeFormat>();
const intlDay = (timeZone: string) => {
  const formatter =
    days.get(timeZone) ??
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  days.set(timeZone, formatter);
  return formatter;
};

/**
 * Zones whose hours are not all steady: daylight saving at whole hours (Berlin, New York, Sydney), half- and
 * quarter-hour offsets (India, Nepal, Eucla, Chatham, St John's), a half-hour daylight-saving step (Lord Howe), a
 * zone that skipped a whole day (Apia, 30 Dec 2011), a zone that moved its date line back (Kiritimati, 1995).
 */
const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Eucla',
  'Pacific/Chatham',
  'America/St_Johns',
  'Australia/Lord_Howe',
  'Pacific/Apia',
  'Pacific/Kiritimati',
  'Asia/Tokyo',
];

describe('localTime and sameLocalDay', () => {
  it('write every instant exactly as Intl does, in zones with odd offsets and daylight-saving steps', () => {
    const instant = fc.integer({ min: Date.UTC(1960, 0, 1), max: Date.UTC(2100, 0, 1) });
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instant, (zone, at) => {
        expect(localTime(new Date(at).toISOString(), zone)).toBe(intl(zone).format(at));
      }),
      { numRuns: 3_000 },
    );
  });

  it('are exact minute by minute around daylight-saving changes, midnights and the date line', () => {
    const around = [
      ['Europe/Berlin', '2026-03-29T01:00:00Z'],
      ['Europe/Berlin', '2026-10-25T01:00:00Z'],
      ['America/New_York', '2026-03-08T07:00:00Z'],
      ['America/New_York', '2026-11-01T06:00:00Z'],
      ['Australia/Lord_Howe', '2026-04-04T15:00:00Z'],
      ['Australia/Lord_Howe', '2026-10-03T15:30:00Z'],
      ['Asia/Kathmandu', '2026-11-23T18:15:00Z'],
      ['Pacific/Chatham', '2026-04-04T14:00:00Z'],
      ['Pacific/Apia', '2011-12-30T10:00:00Z'],
      ['Pacific/Kiritimati', '1994-12-31T10:00:00Z'],
    ] as const;
    for (const [zone, iso] of around) {
      const start = Date.parse(iso) - 3 * 3_600_000;
      for (let at = start; at < start + 6 * 3_600_000; at += 60_000) {
        for (const instant of [at, at + 59_999]) {
          expect(localTime(new Date(instant).toISOString(), zone), `${zone} ${new Date(instant).toISOString()}`).toBe(
            intl(zone).format(instant),
          );
          expect(sameLocalDay(instant, start, zone)).toBe(
            intlDay(zone).format(instant) === intlDay(zone).format(start),
          );
        }
      }
    }
  });

  it('say two instants share a day exactly when Intl gives them the same date', () => {
    const instant = fc.integer({ min: Date.UTC(1975, 0, 1), max: Date.UTC(2060, 0, 1) });
    const nearby = fc.integer({ min: -2 * 86_400_000, max: 2 * 86_400_000 });
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instant, nearby, (zone, at, offset) => {
        expect(sameLocalDay(at, at + offset, zone)).toBe(
          intlDay(zone).format(at) === intlDay(zone).format(at + offset),
        );
      }),
      { numRuns: 3_000 },
    );
  });

  it('refuses an unreadable time as Intl does', () => {
    expect(() => localTime('not a time', 'Europe/Berlin')).toThrow(RangeError);
  });
});

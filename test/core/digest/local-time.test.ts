import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localTime, sameLocalDay } from '../../../handlers/core/digest/local-time.js';
import { type Locale, zonedTime } from '../../../handlers/core/i18n/time.js';

/** The reference: `zonedTime`, which tickets use, asked for every instant. */
const reference = (at: number, zone: string, locale: Locale) => zonedTime(new Date(at).toISOString(), zone, locale);
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
  it('write every instant exactly as zonedTime does, in both languages, in zones with odd offsets and steps', () => {
    const instant = fc.integer({ min: Date.UTC(1960, 0, 1), max: Date.UTC(2100, 0, 1) });
    const locale = fc.constantFrom<Locale>('en', 'ja');
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instant, locale, (zone, at, language) => {
        expect(localTime(new Date(at).toISOString(), zone, language)).toBe(reference(at, zone, language));
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
          for (const language of ['en', 'ja'] as const) {
            expect(
              localTime(new Date(instant).toISOString(), zone, language),
              `${zone} ${language} ${new Date(instant).toISOString()}`,
            ).toBe(reference(instant, zone, language));
          }
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

  it('writes the forms tickets use, in each language', () => {
    expect(localTime('2026-11-28T14:39:00.000Z', 'Europe/Berlin')).toBe('Sat 28 Nov 2026 15:39 CET');
    expect(localTime('2026-11-28T06:39:00.000Z', 'Asia/Tokyo', 'ja')).toBe('2026年11月28日(土) 15:39 JST');
    expect(localTime('2026-03-08T07:30:00.000Z', 'America/New_York')).toBe('Sun 8 Mar 2026 03:30 EDT');
  });

  it('refuses an unreadable time as Intl does', () => {
    expect(() => localTime('not a time', 'Europe/Berlin')).toThrow(RangeError);
  });
});

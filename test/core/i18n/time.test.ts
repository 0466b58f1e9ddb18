import { describe, expect, it } from 'vitest';
import { zonedTime, zonedTimeShort, zonedTimeWithUtc } from '../../../handlers/core/i18n/time.js';

describe('times in the reader’s zone and language', () => {
  it('writes the UTC date beside a time only when the UTC day differs, in September too', () => {
    // ICU 72+ names September `Sept` in en-GB; the day comparison once missed it and wrote the date every time.
    expect(zonedTimeWithUtc('2026-09-28T14:39:00.000Z', 'Europe/Berlin', 'en')).toBe(
      'Mon 28 Sep 2026 16:39 CEST (14:39 UTC)',
    );
    expect(zonedTimeWithUtc('2026-09-28T14:39:00.000Z', 'Asia/Tokyo', 'ja')).toBe(
      '2026年9月28日(月) 23:39 JST (14:39 UTC)',
    );
    expect(zonedTimeWithUtc('2026-09-28T22:39:00.000Z', 'Europe/Berlin', 'en')).toBe(
      'Tue 29 Sep 2026 00:39 CEST (2026-09-28 22:39 UTC)',
    );
  });

  it('names months in three letters whatever ICU Node ships', () => {
    expect(zonedTimeShort('2026-09-05T10:00:00.000Z', 'UTC', 'en')).toBe('Sat 5 Sep 10:00 UTC');
    expect(zonedTime('2026-11-28T14:39:00.000Z', 'Europe/Berlin', 'en')).toBe('Sat 28 Nov 2026 15:39 CET');
    expect(zonedTimeWithUtc('2026-11-28T14:39:00.000Z', 'UTC', 'ja')).toBe('2026年11月28日(土) 14:39 UTC');
  });
});

/**
 * Cadence rule 4's time-of-day bands and the words reasons use for local times.
 */
import { describe, expect, it } from 'vitest';
import { BANDS, bandOf, bandRange, describeLocal, describeSlot } from '../../src/core/time/bands.js';
import { instantAt } from '../../src/core/time/zoned.js';

const NY = 'America/New_York';
/** Monday 23 November 2026, 10:00 in New York. */
const NOW = instantAt('2026-11-23', '10:00', NY);
const at = (date: string, time: string) => instantAt(date, time, NY);

describe('bands (rule 4)', () => {
  it('puts each boundary minute in the band it starts', () => {
    expect(bandOf(9 * 60 + 59)).toBe('early');
    expect(bandOf(10 * 60)).toBe('morning');
    expect(bandOf(11 * 60 + 30)).toBe('midday');
    expect(bandOf(13 * 60 + 30)).toBe('afternoon');
    expect(bandOf(16 * 60)).toBe('late');
    expect(bandOf(0)).toBe('early');
    expect(bandOf(23 * 60 + 59)).toBe('late');
  });

  it('tiles the day with the five bands, each range matching bandOf', () => {
    let next = 0;
    for (const band of BANDS) {
      const { start, end } = bandRange(band);
      expect(start).toBe(next);
      expect(bandOf(start)).toBe(band);
      expect(bandOf(end - 1)).toBe(band);
      next = end;
    }
    expect(next).toBe(24 * 60);
  });
});

describe('describeLocal', () => {
  it('says today, tomorrow, the weekday within a week, else the date', () => {
    expect(describeLocal(at('2026-11-23', '15:10'), NY, NOW)).toBe('today 15:10');
    expect(describeLocal(at('2026-11-24', '09:30'), NY, NOW)).toBe('tomorrow 09:30');
    expect(describeLocal(at('2026-11-24', '10:40'), NY, at('2026-11-22', '12:00'))).toBe('Tuesday 10:40');
    expect(describeLocal(at('2026-12-01', '10:40'), NY, NOW)).toBe('Tuesday 1 Dec 10:40');
    expect(describeLocal(at('2027-01-04', '10:00'), NY, NOW)).toBe('Monday 4 Jan 2027 10:00');
  });

  it("reads days in the contact's zone, not UTC", () => {
    // 23:30 in Los Angeles on the 23rd is already the 24th in UTC; for the contact it is still today.
    const la = 'America/Los_Angeles';
    expect(
      describeLocal(instantAt('2026-11-23', '23:30', la), la, instantAt('2026-11-23', '08:00', la)),
    ).toBe('today 23:30');
  });
});

describe('describeSlot', () => {
  it('names the part of the day with the day', () => {
    expect(describeSlot(at('2026-11-24', '10:30'), NY, NOW)).toBe('tomorrow morning');
    expect(describeSlot(at('2026-11-26', '14:00'), NY, NOW)).toBe('Thursday afternoon');
    expect(describeSlot(at('2026-11-27', '08:30'), NY, NOW)).toBe('early Friday morning');
    expect(describeSlot(at('2026-11-25', '12:15'), NY, NOW)).toBe('Wednesday around midday');
    expect(describeSlot(at('2026-11-23', '16:30'), NY, NOW)).toBe('late this afternoon');
    expect(describeSlot(at('2026-11-23', '19:00'), NY, NOW)).toBe('this evening');
    expect(describeSlot(at('2026-12-08', '14:00'), NY, NOW)).toBe('Tuesday 8 Dec, afternoon');
  });
});

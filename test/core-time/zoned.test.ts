/**
 * Local time arithmetic in IANA zones: reading a contact's wall clock and placing a local
 * time, across spring-forward gaps and fall-back overlaps, in whole-hour, half-hour and
 * southern-hemisphere zones.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  addDays,
  instantAt,
  isBusinessDay,
  isValidZone,
  localParts,
  offsetMinutesAt,
  weekdayOf,
} from '../../src/core/time/zoned.js';

const iso = (t: number) => new Date(t).toISOString();
const WEEKDAYS = [1, 2, 3, 4, 5];

describe('localParts', () => {
  it('reads the wall clock, ISO weekday, date key and minutes of day in the zone', () => {
    // Tuesday 10 March 2026, 15:30Z: 11:30 EDT in New York, 21:00 IST in Kolkata.
    const t = Date.UTC(2026, 2, 10, 15, 30, 12);
    expect(localParts(t, 'America/New_York')).toEqual({
      year: 2026,
      month: 3,
      day: 10,
      hour: 11,
      minute: 30,
      second: 12,
      weekday: 2,
      dateKey: '2026-03-10',
      minutesOfDay: 690,
    });
    expect(localParts(t, 'Asia/Kolkata')).toMatchObject({ hour: 21, minute: 0, dateKey: '2026-03-10' });
  });

  it('puts an instant on the next local date when the zone is ahead of UTC', () => {
    // Sunday 22 Nov 2026 20:00Z is already Monday morning in Sydney (AEDT, +11).
    expect(localParts(Date.UTC(2026, 10, 22, 20), 'Australia/Sydney')).toMatchObject({
      dateKey: '2026-11-23',
      weekday: 1,
      hour: 7,
    });
  });

  it('counts Sunday as ISO weekday 7', () => {
    expect(localParts(Date.UTC(2026, 10, 22, 17), 'America/New_York').weekday).toBe(7);
  });

  it('rejects a zone Intl does not know', () => {
    expect(() => localParts(0, 'Mars/Olympus_Mons')).toThrow(/Unknown time zone/);
  });
});

describe('instantAt in America/New_York', () => {
  it('moves a local time in the spring-forward gap forward by the gap (02:30 → 03:30 EDT)', () => {
    const t = instantAt('2026-03-08', '02:30', 'America/New_York');
    expect(iso(t)).toBe('2026-03-08T07:30:00.000Z');
    expect(localParts(t, 'America/New_York')).toMatchObject({ hour: 3, minute: 30 });
  });

  it('keeps times either side of the gap exact', () => {
    expect(iso(instantAt('2026-03-08', '01:59', 'America/New_York'))).toBe('2026-03-08T06:59:00.000Z');
    expect(iso(instantAt('2026-03-08', '03:00', 'America/New_York'))).toBe('2026-03-08T07:00:00.000Z');
  });

  it('takes the earlier instant for a fall-back time that happens twice (01:30 EDT, not EST)', () => {
    expect(iso(instantAt('2026-11-01', '01:30', 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
  });

  it('places a time after the fall-back in standard time', () => {
    expect(iso(instantAt('2026-11-01', '09:00', 'America/New_York'))).toBe('2026-11-01T14:00:00.000Z');
  });

  it('accepts minutes of day as well as "HH:MM"', () => {
    expect(instantAt('2026-11-01', 9 * 60, 'America/New_York')).toBe(
      instantAt('2026-11-01', '09:00', 'America/New_York'),
    );
  });
});

describe('instantAt in Europe/London', () => {
  it('moves 01:30 on 29 March 2026 (the gap) to 02:30 BST', () => {
    const t = instantAt('2026-03-29', '01:30', 'Europe/London');
    expect(iso(t)).toBe('2026-03-29T01:30:00.000Z');
    expect(localParts(t, 'Europe/London')).toMatchObject({ hour: 2, minute: 30 });
  });

  it('takes BST for 01:30 on 25 October 2026, the earlier of the two', () => {
    expect(iso(instantAt('2026-10-25', '01:30', 'Europe/London'))).toBe('2026-10-25T00:30:00.000Z');
  });
});

describe('instantAt in zones with other offsets', () => {
  it('handles the half-hour offset of Asia/Kolkata (+05:30, no DST)', () => {
    expect(iso(instantAt('2026-06-01', '09:00', 'Asia/Kolkata'))).toBe('2026-06-01T03:30:00.000Z');
    expect(offsetMinutesAt(Date.UTC(2026, 5, 1), 'Asia/Kolkata')).toBe(330);
  });

  it('moves a time in the Sydney spring gap (4 October 2026, 02:30) to 03:30 AEDT', () => {
    const t = instantAt('2026-10-04', '02:30', 'Australia/Sydney');
    expect(iso(t)).toBe('2026-10-03T16:30:00.000Z');
    expect(localParts(t, 'Australia/Sydney')).toMatchObject({ dateKey: '2026-10-04', hour: 3, minute: 30 });
  });

  it('takes AEDT, the earlier instant, for 02:30 on 5 April 2026 in Sydney', () => {
    expect(iso(instantAt('2026-04-05', '02:30', 'Australia/Sydney'))).toBe('2026-04-04T15:30:00.000Z');
  });

  it('moves a time by a half-hour gap where daylight saving is half an hour (Lord Howe)', () => {
    const t = instantAt('2026-10-04', '02:15', 'Australia/Lord_Howe');
    expect(localParts(t, 'Australia/Lord_Howe')).toMatchObject({ hour: 2, minute: 45 });
  });

  it('round-trips every quarter hour of a DST day back to the same wall time outside the gap', () => {
    for (let m = 0; m < 24 * 60; m += 15) {
      const t = instantAt('2026-03-08', m, 'America/New_York');
      const back = localParts(t, 'America/New_York').minutesOfDay;
      if (m >= 120 && m < 180) expect(back).toBe(m + 60);
      else expect(back).toBe(m);
    }
  });
});

describe('calendar steps', () => {
  it('adds days across month and year ends and back', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
  });

  it('gives ISO weekdays for date keys', () => {
    expect(weekdayOf('2026-11-23')).toBe(1);
    expect(weekdayOf('2026-11-29')).toBe(7);
  });

  it('treats weekends and listed holidays as non-business days', () => {
    const holidays = new Set(['2026-11-26']);
    expect(isBusinessDay('2026-11-25', WEEKDAYS, holidays)).toBe(true);
    expect(isBusinessDay('2026-11-26', WEEKDAYS, holidays)).toBe(false);
    expect(isBusinessDay('2026-11-28', WEEKDAYS)).toBe(false);
  });

  it('counts business days over a weekend and a holiday', () => {
    // Wednesday 25 Nov + 2 business days, Thanksgiving off: Friday 27, then Monday 30.
    expect(addBusinessDays('2026-11-25', 2, WEEKDAYS, new Set(['2026-11-26']))).toBe('2026-11-30');
    expect(addBusinessDays('2026-11-30', -1, WEEKDAYS)).toBe('2026-11-27');
    expect(addBusinessDays('2026-11-28', 0, WEEKDAYS)).toBe('2026-11-30');
  });

  it('rejects dates that do not exist', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(/No such date/);
    expect(() => weekdayOf('26-1-1')).toThrow(/Not a date/);
  });
});

describe('isValidZone', () => {
  it('accepts IANA names and their aliases and rejects anything else', () => {
    expect(isValidZone('America/New_York')).toBe(true);
    expect(isValidZone('Asia/Calcutta')).toBe(true);
    expect(isValidZone('Eastern Time')).toBe(false);
    expect(isValidZone('')).toBe(false);
  });
});

describe('localParts reads what Intl reads', () => {
  // An independent reading, one formatter call per instant, to hold the cached offsets to.
  const formatters = new Map<string, Intl.DateTimeFormat>();
  const intlReading = (t: number, zone: string) => {
    if (!formatters.has(zone)) {
      const options = {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
      } as const;
      formatters.set(
        zone,
        new Intl.DateTimeFormat('en-US', { ...options, hour: 'numeric', minute: 'numeric' }),
      );
    }
    const parts = formatters.get(zone)!.formatToParts(t);
    const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
    return {
      year: get('year'),
      month: get('month'),
      day: get('day'),
      hour: get('hour'),
      minute: get('minute'),
    };
  };
  const ZONES = [
    'America/New_York',
    'Europe/London',
    'Australia/Lord_Howe',
    'Asia/Kolkata',
    'America/Santiago',
  ];

  it('on every quarter hour of days with a daylight-saving change, before and after the day is cached', () => {
    const days = [Date.UTC(2026, 2, 8), Date.UTC(2026, 10, 1), Date.UTC(2026, 2, 29), Date.UTC(2026, 3, 5)];
    for (const zone of ZONES) {
      for (const day of days) {
        for (let pass = 0; pass < 2; pass++) {
          for (let t = day - 6 * 3_600_000; t < day + 30 * 3_600_000; t += 15 * 60_000) {
            const p = localParts(t, zone);
            expect({ year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute }).toEqual(
              intlReading(t, zone),
            );
          }
        }
      }
    }
  });

  it('at any instant from 1990 to 2060', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }),
        fc.constantFrom(...ZONES),
        (t, zone) => {
          const p = localParts(t, zone);
          expect({ year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute }).toEqual(
            intlReading(t, zone),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});

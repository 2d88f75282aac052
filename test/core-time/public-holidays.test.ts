/**
 * The workspace holiday calendar: the country's public holidays from rules, editable; business
 * contacts are not called on them, and a state that bars consumer calls on holidays reads it.
 */
import { describe, expect, it } from 'vitest';
import { type CallingContext, isAllowedAt, legalBound } from '../../src/core/calling-hours/calling-hours.js';
import { holidayCalendar } from '../../src/core/calling-hours/public-holidays.js';
import { DEFAULT_STATE_RULES } from '../../src/core/calling-hours/state-rules.js';
import { instantAt } from '../../src/core/time/zoned.js';

const NY = 'America/New_York';
const us = holidayCalendar({ country: 'US' });
const business: CallingContext = {
  zone: NY,
  kind: 'business',
  state: 'NY',
  window: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] },
  stateRules: DEFAULT_STATE_RULES,
  calendar: us,
  name: 'Dana Lee',
};

describe('the workspace holiday calendar', () => {
  it('keeps business contacts from being called on 25 December and 1 January', () => {
    expect(isAllowedAt(instantAt('2026-12-25', '10:00', NY), business)).toEqual({
      ok: false,
      reason:
        "Friday 25 Dec (Christmas Day) for Dana Lee: a holiday in the workspace's calendar, when business contacts are not called",
    });
    expect(isAllowedAt(instantAt('2027-01-01', '10:00', NY), business).ok).toBe(false);
    expect(isAllowedAt(instantAt('2026-12-28', '10:00', NY), business).ok).toBe(true);
    // A time the contact asked for keeps only the law's bound.
    expect(isAllowedAt(instantAt('2026-12-25', '10:00', NY), legalBound(business)).ok).toBe(true);
  });

  it('lets consumers be called on holidays unless their state bars it, reading the same calendar', () => {
    const consumer = {
      ...business,
      kind: 'consumer' as const,
      window: { ...business.window, days: [1, 2, 3, 4, 5, 6, 7] },
    };
    expect(isAllowedAt(instantAt('2026-12-25', '10:00', NY), consumer).ok).toBe(true);
    const utah = { ...consumer, zone: 'America/Denver', state: 'UT' };
    expect(isAllowedAt(instantAt('2027-01-01', '10:00', 'America/Denver'), utah).ok).toBe(false);
    // A workspace day off added to the calendar is a holiday for a state that bars holiday calls.
    const withExtra = holidayCalendar({
      country: 'US',
      extra: [{ date: '2026-12-24', name: 'Christmas Eve' }],
    });
    expect(
      isAllowedAt(instantAt('2026-12-24', '10:00', 'America/Denver'), { ...utah, calendar: withExtra }),
    ).toEqual({
      ok: false,
      reason:
        'Thursday 24 Dec (Christmas Eve) for Dana Lee in Utah: state law allows no sales calls to consumers on legal holidays',
    });
  });

  it("computes each country's holidays from rules, with the workspace's edits", () => {
    expect(us.nameOn('2026-12-25')).toBe('Christmas Day');
    expect(us.nameOn('2027-01-01')).toBe("New Year's Day");
    expect(us.nameOn('2027-12-31')).toBe("New Year's Day (observed)");
    const gb = holidayCalendar({ country: 'GB' });
    expect(gb.nameOn('2027-12-27')).toBe('Christmas Day (substitute day)');
    expect(gb.nameOn('2027-12-28')).toBe('Boxing Day (substitute day)');
    expect(gb.nameOn('2026-04-06')).toBe('Easter Monday');
    const ca = holidayCalendar({ country: 'CA' });
    expect(ca.nameOn('2026-05-18')).toBe('Victoria Day');
    expect(ca.nameOn('2026-07-01')).toBe('Canada Day');
    const edited = holidayCalendar({ country: 'US', omit: ['Columbus Day'] });
    expect(us.nameOn('2026-10-12')).toBe('Columbus Day');
    expect(edited.nameOn('2026-10-12')).toBeNull();
    expect(holidayCalendar({ country: null }).nameOn('2026-12-25')).toBeNull();
  });
});

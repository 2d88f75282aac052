/**
 * The state calling-rules table: holidays computed from rules, and a workspace's overrides
 * validated and merged.
 */
import { describe, expect, it } from 'vitest';
import { easterSunday, holidayOn, holidaysOf, nthWeekday } from '../../src/core/calling-hours/holidays.js';
import {
  DEFAULT_STATE_RULES,
  mergeStateRules,
  type StateRule,
  StateRulesError,
  stateRuleSchema,
} from '../../src/core/calling-hours/state-rules.js';

const rule = (state: string): StateRule => {
  const r = DEFAULT_STATE_RULES[state];
  if (!r) throw new Error(`no default rule for ${state}`);
  return r;
};

describe('holiday rules', () => {
  it('computes Western Easter', () => {
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
    expect(easterSunday(2038)).toBe('2038-04-25');
  });

  it('finds the nth and the last weekday of a month', () => {
    expect(nthWeekday(2026, 11, 4, 4)).toBe('2026-11-26'); // Thanksgiving
    expect(nthWeekday(2026, 5, 1, -1)).toBe('2026-05-25'); // Memorial Day
    expect(nthWeekday(2026, 2, 1, 5)).toBeNull();
  });

  it("dates Louisiana's moving holidays from Easter and Thanksgiving", () => {
    const la = rule('LA');
    expect(holidayOn(la.holidays, '2026-02-17', la.observed)).toBe('Mardi Gras');
    expect(holidayOn(la.holidays, '2026-04-03', la.observed)).toBe('Good Friday');
    expect(holidayOn(la.holidays, '2026-11-27', la.observed)).toBe('Day after Thanksgiving');
  });

  it('puts Pennsylvania Election Day on the Tuesday after the first Monday of November', () => {
    const pa = rule('PA');
    expect(holidayOn(pa.holidays, '2026-11-03', pa.observed)).toBe('Election Day');
    expect(holidayOn(pa.holidays, '2027-11-02', pa.observed)).toBe('Election Day');
  });

  it('observes a Saturday holiday on the Friday before and a Sunday one on the Monday after (Utah)', () => {
    const ut = rule('UT');
    expect(holidayOn(ut.holidays, '2027-07-23', ut.observed)).toBe('Pioneer Day (observed)');
    expect(holidayOn(ut.holidays, '2027-07-24', ut.observed)).toBe('Pioneer Day');
    expect(holidayOn(ut.holidays, '2022-07-25', ut.observed)).toBe('Pioneer Day (observed)');
  });

  it("observes New Year's Day on a Saturday on 31 December of the year before (Alabama)", () => {
    const al = rule('AL');
    expect(holidayOn(al.holidays, '2027-12-31', al.observed)).toBe("New Year's Day (observed)");
  });

  it('moves a Sunday holiday only to Monday where the state says so (Rhode Island)', () => {
    const ri = rule('RI');
    // Christmas 2027 is a Saturday: no Friday observance in Rhode Island.
    expect(holidayOn(ri.holidays, '2027-12-24', ri.observed)).toBeNull();
    // Rhode Island Independence Day 2025 was a Sunday.
    expect(holidayOn(ri.holidays, '2025-05-05', ri.observed)).toBe(
      'Rhode Island Independence Day (observed)',
    );
  });

  it('lists a year of holidays without hard-coded dates', () => {
    const ut = rule('UT');
    const days = holidaysOf(ut.holidays, 2031, ut.observed);
    expect(days.get('2031-11-27')).toBe('Thanksgiving Day');
    expect(days.get('2031-01-20')).toBe('Martin Luther King Jr. Day');
  });
});

describe('DEFAULT_STATE_RULES', () => {
  it('holds rows that pass the same validation as overrides, each with a source and a checked date', () => {
    for (const r of Object.values(DEFAULT_STATE_RULES)) {
      expect(stateRuleSchema.safeParse(r).success, r.state).toBe(true);
      expect(r.source.length, r.state).toBeGreaterThan(5);
      expect(r.checked).toBe('2026-11-23');
    }
  });

  it('caps Florida, Maryland and Oklahoma at 3 calls per 24 hours, 8 am–8 pm', () => {
    for (const state of ['FL', 'MD', 'OK']) {
      expect(rule(state).maxCallsPer24h, state).toBe(3);
      expect(rule(state).hours, state).toEqual({ start: '08:00', end: '20:00' });
    }
  });

  it('keeps Texas Sundays to noon–9 pm', () => {
    expect(rule('TX').byDay?.sun).toEqual({ start: '12:00', end: '21:00' });
  });
});

describe('mergeStateRules', () => {
  it('replaces a row, adds a new one and removes one', () => {
    const merged = mergeStateRules(DEFAULT_STATE_RULES, [
      { ...rule('FL'), hours: { start: '09:00', end: '17:00' } },
      { ...rule('WA'), state: 'NV', hours: { start: '09:00', end: '20:00' }, source: 'workspace counsel' },
      { state: 'PA', remove: true },
    ]);
    expect(merged.FL?.hours).toEqual({ start: '09:00', end: '17:00' });
    expect(merged.NV?.source).toBe('workspace counsel');
    expect(merged.PA).toBeUndefined();
    expect(merged.TX).toBe(DEFAULT_STATE_RULES.TX);
    // The defaults are untouched.
    expect(DEFAULT_STATE_RULES.FL?.hours.start).toBe('08:00');
  });

  it('rejects an invalid override with the path of every problem', () => {
    const bad = [
      { ...rule('FL'), hours: { start: '08:00', end: '8 pm' } },
      { ...rule('TX'), holidays: [{ kind: 'fixed', name: 'Nope', month: 2, day: 30 }] },
    ];
    let error: unknown;
    try {
      mergeStateRules(DEFAULT_STATE_RULES, bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StateRulesError);
    const issues = (error as StateRulesError).issues.map((i) => i.path);
    expect(issues).toContain('overrides[0].hours.end');
    expect(issues).toContain('overrides[1].holidays[0].day');
    expect((error as Error).message).toMatch(/overrides\[0\]\.hours\.end: must be a 24-hour time/);
  });

  it('rejects hours that end before they start, a state listed twice, and a non-list', () => {
    expect(() =>
      mergeStateRules(DEFAULT_STATE_RULES, [{ ...rule('FL'), hours: { start: '20:00', end: '08:00' } }]),
    ).toThrow(/overrides\[0\]\.hours: start must be before end/);
    expect(() => mergeStateRules(DEFAULT_STATE_RULES, [rule('FL'), rule('FL')])).toThrow(
      /FL appears more than once/,
    );
    expect(() => mergeStateRules(DEFAULT_STATE_RULES, { FL: rule('FL') })).toThrow(/must be a list/);
  });
});

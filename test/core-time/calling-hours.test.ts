/**
 * Cadence rule 12: calls only inside the contact's window, never outside 08:00–21:00 local,
 * and, for consumers, inside their state's stricter rules.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/core/cadence/policy.js';
import {
  type CallingContext,
  callingWindowsOn,
  isAllowedAt,
  nextAllowedAt,
  stateForContact,
  windowFor,
} from '../../src/core/calling-hours/calling-hours.js';
import { holidayOn } from '../../src/core/calling-hours/holidays.js';
import { DEFAULT_STATE_RULES } from '../../src/core/calling-hours/state-rules.js';
import { instantAt, localParts, parseHhmm } from '../../src/core/time/zoned.js';

const NY = 'America/New_York';
const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];
const HOUR = 3_600_000;

function ctx(overrides: Partial<CallingContext>): CallingContext {
  return {
    zone: NY,
    kind: 'consumer',
    state: null,
    window: windowFor(DEFAULT_POLICY, overrides.kind ?? 'consumer'),
    stateRules: DEFAULT_STATE_RULES,
    ...overrides,
  };
}

const local = (t: number | null, zone = NY) => {
  if (t === null) throw new Error('expected an instant');
  const p = localParts(t, zone);
  return `${p.dateKey} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
};

describe('the federal bound: never outside 08:00–21:00 contact-local', () => {
  const london = ctx({
    zone: 'Europe/London',
    kind: 'business',
    window: { start: '06:00', end: '23:00', days: ALL_DAYS },
  });

  it('applies to a business contact outside the US even when the campaign window is wider', () => {
    const early = instantAt('2026-11-24', '07:30', 'Europe/London');
    const verdict = isAllowedAt(early, { ...london, name: 'Priya' });
    expect(verdict).toEqual({
      ok: false,
      reason:
        '7:30 am for Priya: calls are allowed only 8 am–9 pm local time (the US federal limit, kept for every contact)',
    });
    expect(local(nextAllowedAt(early, london), 'Europe/London')).toBe('2026-11-24 08:00');
  });

  it('ends the day at 21:00 in the contact zone, not the caller’s', () => {
    const windows = callingWindowsOn('2026-11-24', london);
    expect(windows).toEqual([
      {
        start: instantAt('2026-11-24', '08:00', 'Europe/London'),
        end: instantAt('2026-11-24', '21:00', 'Europe/London'),
      },
    ]);
  });
});

describe('the campaign window by contact kind', () => {
  it('keeps business contacts to the business window and weekdays', () => {
    const c = ctx({ kind: 'business', name: 'Sam' });
    const saturday = instantAt('2026-11-28', '10:00', NY);
    expect(isAllowedAt(saturday, c)).toEqual({
      ok: false,
      reason: 'Saturday 28 Nov for Sam: the campaign calls business contacts Mon–Fri',
    });
    expect(local(nextAllowedAt(saturday, c))).toBe('2026-11-30 09:00');
    expect(isAllowedAt(instantAt('2026-11-30', '17:30', NY), c)).toEqual({
      ok: false,
      reason: "5:30 pm for Sam: outside the campaign's business window, 9 am–5 pm",
    });
  });

  it('does not apply state consumer rules to business contacts', () => {
    const c = ctx({
      kind: 'business',
      state: 'FL',
      window: { start: '09:00', end: '21:00', days: ALL_DAYS },
    });
    expect(isAllowedAt(instantAt('2026-11-24', '20:30', NY), c)).toEqual({ ok: true });
  });

  it('places the window in local time across the spring-forward day', () => {
    const c = ctx({ window: { start: '09:00', end: '20:00', days: ALL_DAYS } });
    expect(callingWindowsOn('2026-03-08', c)).toEqual([
      { start: Date.UTC(2026, 2, 8, 13), end: Date.UTC(2026, 2, 9, 0) },
    ]);
  });
});

describe('state rules for consumers', () => {
  it('stops Florida consumer calls at 8 pm and says why in words a rep reads', () => {
    const c = ctx({ state: 'FL', name: 'Dana', window: { start: '09:00', end: '21:00', days: ALL_DAYS } });
    expect(isAllowedAt(instantAt('2026-11-24', '21:15', NY), c)).toEqual({
      ok: false,
      reason: '9:15 pm for Dana in Florida: state law allows calls to consumers 8 am–8 pm',
    });
    expect(local(nextAllowedAt(instantAt('2026-11-24', '20:00', NY), c))).toBe('2026-11-25 09:00');
  });

  it('opens Texas consumer calls on Sunday only at noon', () => {
    const c = ctx({
      state: 'TX',
      zone: 'America/Chicago',
      window: { start: '09:00', end: '20:00', days: ALL_DAYS },
    });
    const sundayMorning = instantAt('2026-11-29', '10:00', 'America/Chicago');
    const verdict = isAllowedAt(sundayMorning, c);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toBe(
      '10:00 am in Texas: state law allows calls to consumers noon–9 pm on Sundays',
    );
    expect(local(nextAllowedAt(sundayMorning, c), 'America/Chicago')).toBe('2026-11-29 12:00');
  });

  it('skips Sundays and state holidays where the state bars them (Utah, Thanksgiving)', () => {
    const c = ctx({
      state: 'UT',
      zone: 'America/Denver',
      name: 'Lee',
      window: { start: '09:00', end: '20:00', days: ALL_DAYS },
    });
    const thanksgiving = instantAt('2026-11-26', '10:00', 'America/Denver');
    expect(isAllowedAt(thanksgiving, c)).toEqual({
      ok: false,
      reason:
        'Thursday 26 Nov (Thanksgiving Day) for Lee in Utah: state law allows no sales calls to consumers on legal holidays',
    });
    expect(local(nextAllowedAt(thanksgiving, c), 'America/Denver')).toBe('2026-11-27 09:00');
    const saturdayEvening = instantAt('2026-11-28', '20:30', 'America/Denver');
    expect(local(nextAllowedAt(saturdayEvening, c), 'America/Denver')).toBe('2026-11-30 09:00');
    expect(callingWindowsOn('2026-11-29', c)).toEqual([]);
  });

  it('keeps Rhode Island Saturdays to 10 am–5 pm', () => {
    const c = ctx({ state: 'RI', window: { start: '09:00', end: '20:00', days: ALL_DAYS } });
    const [w] = callingWindowsOn('2026-11-28', c);
    expect(w && [local(w.start), local(w.end)]).toEqual(['2026-11-28 10:00', '2026-11-28 17:00']);
  });

  it('finds the rule whether the state comes as a code or a name', () => {
    const c = ctx({ state: 'Florida', window: { start: '09:00', end: '21:00', days: ALL_DAYS } });
    expect(isAllowedAt(instantAt('2026-11-24', '20:30', NY), c).ok).toBe(false);
  });

  it('uses the rules a workspace gives, not only the defaults', () => {
    const c = ctx({ state: 'FL', stateRules: {} });
    expect(isAllowedAt(instantAt('2026-11-24', '19:30', NY), c)).toEqual({ ok: true });
  });
});

describe('state caps on calls per 24 hours (Florida: 3 on the same subject)', () => {
  const c = ctx({ state: 'FL', name: 'Dana', window: { start: '09:00', end: '20:00', days: ALL_DAYS } });
  const at = (date: string, time: string) => instantAt(date, time, NY);

  it('refuses a fourth call within 24 hours and names the next time one is allowed', () => {
    const attempts = [at('2026-11-24', '12:00'), at('2026-11-24', '13:00'), at('2026-11-24', '14:00')];
    const verdict = isAllowedAt(at('2026-11-24', '15:00'), c, attempts);
    expect(verdict).toEqual({
      ok: false,
      reason:
        'Dana in Florida has had 3 calls on this subject in the last 24 hours, the most state law allows; next tomorrow 12:00',
    });
    expect(local(nextAllowedAt(at('2026-11-24', '15:00'), c, attempts))).toBe('2026-11-25 12:00');
  });

  it('allows a call exactly 24 hours after the oldest of three', () => {
    const attempts = [at('2026-11-24', '09:00'), at('2026-11-24', '11:00'), at('2026-11-24', '13:00')];
    expect(local(nextAllowedAt(at('2026-11-24', '15:00'), c, attempts))).toBe('2026-11-25 09:00');
  });

  it('ignores calls older than 24 hours and the cap in states without one', () => {
    const attempts = [at('2026-11-23', '09:00'), at('2026-11-23', '10:00'), at('2026-11-23', '11:00')];
    expect(isAllowedAt(at('2026-11-24', '15:00'), c, attempts)).toEqual({ ok: true });
    const recent = [at('2026-11-24', '09:00'), at('2026-11-24', '10:00'), at('2026-11-24', '11:00')];
    expect(isAllowedAt(at('2026-11-24', '15:00'), { ...c, state: 'NY' }, recent)).toEqual({ ok: true });
  });
});

describe('workspace holidays and the search horizon', () => {
  it('makes a workspace day off a day without calls', () => {
    const c = ctx({ kind: 'business', holidays: new Set(['2026-12-24']) });
    expect(callingWindowsOn('2026-12-24', c)).toEqual([]);
    expect(local(nextAllowedAt(instantAt('2026-12-24', '08:00', NY), c))).toBe('2026-12-25 09:00');
  });

  it('gives up with null when no day in the next 30 allows a call', () => {
    const c = ctx({
      state: 'UT',
      zone: 'America/Denver',
      window: { start: '09:00', end: '17:00', days: [7] },
    });
    expect(nextAllowedAt(instantAt('2026-11-24', '10:00', 'America/Denver'), c)).toBeNull();
  });
});

describe('stateForContact', () => {
  it("reads the address region as a code or a name, else the first number's state", () => {
    expect(stateForContact({ region: 'Florida' }, ['+12125550123'])).toBe('FL');
    expect(stateForContact({ region: 'tx', country: 'US' }, [])).toBe('TX');
    expect(stateForContact({ region: 'ON', country: 'CA' }, ['+14165550123', '+13055550123'])).toBe('FL');
    expect(stateForContact({}, ['+442079460958'])).toBeNull();
  });
});

describe('property: nextAllowedAt stays inside every bound', () => {
  const ZONES = [
    'America/New_York',
    'America/Chicago',
    'America/Denver',
    'America/Phoenix',
    'America/Los_Angeles',
    'America/St_Johns',
    'America/Santiago',
    'Pacific/Honolulu',
    'Europe/London',
    'Africa/Casablanca',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'Australia/Sydney',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'Pacific/Kiritimati',
  ];
  const STATES = [null, 'FL', 'TX', 'RI', 'UT', 'AL', 'LA', 'PA', 'NY'];
  const minute = fc.integer({ min: 0, max: 1439 });
  const window = fc
    .tuple(minute, minute)
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);
  const hhmm = (m: number) =>
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

  it('never returns an instant outside 08:00–21:00 local, the window, its days or the state rules', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2032, 0, 1) }),
        window,
        fc.subarray(ALL_DAYS, { minLength: 1 }),
        fc.constantFrom('business' as const, 'consumer' as const),
        fc.constantFrom(...STATES),
        (zone, after, [ws, we], days, kind, state) => {
          const c = ctx({ zone, kind, state, window: { start: hhmm(ws), end: hhmm(we), days } });
          const r = nextAllowedAt(after, c);
          if (r === null) return;
          const p = localParts(r, zone);
          expect(r).toBeGreaterThanOrEqual(after);
          expect(p.minutesOfDay).toBeGreaterThanOrEqual(8 * 60);
          expect(p.minutesOfDay).toBeLessThan(21 * 60);
          expect(p.minutesOfDay).toBeGreaterThanOrEqual(ws);
          expect(p.minutesOfDay).toBeLessThan(we);
          expect(days).toContain(p.weekday);
          const rule = kind === 'consumer' && state ? DEFAULT_STATE_RULES[state] : undefined;
          if (rule) {
            const dayName = (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const)[p.weekday - 1]!;
            const hours = rule.byDay?.[dayName] ?? rule.hours;
            expect(p.minutesOfDay).toBeGreaterThanOrEqual(parseHhmm(hours.start));
            expect(p.minutesOfDay).toBeLessThan(parseHhmm(hours.end));
            if (rule.noSunday) expect(p.weekday).not.toBe(7);
            expect(holidayOn(rule.holidays, p.dateKey, rule.observed)).toBeNull();
          }
          expect(isAllowedAt(r, c)).toEqual({ ok: true });
          // It is the earliest: a millisecond before, a call was not yet allowed.
          if (r > after) expect(isAllowedAt(r - 1, c).ok).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('never returns an instant that breaks a 3-calls-per-24-hours cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }),
        fc.array(fc.integer({ min: -30 * HOUR, max: 0 }), { maxLength: 8 }),
        (after, offsets) => {
          const c = ctx({ state: 'FL', window: { start: '08:00', end: '20:00', days: ALL_DAYS } });
          const attempts = offsets.map((o) => after + o);
          const r = nextAllowedAt(after, c, attempts);
          expect(r).not.toBeNull();
          const recent = attempts.filter((a) => a > r! - 24 * HOUR && a <= r!);
          expect(recent.length).toBeLessThan(3);
          expect(isAllowedAt(r!, c, attempts)).toEqual({ ok: true });
        },
      ),
      { numRuns: 300 },
    );
  });
});

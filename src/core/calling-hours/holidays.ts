/**
 * Holidays as rules, not lists of dates: "fourth Thursday of November", "two days before
 * Easter", "11 November, moved to Monday when it falls on a Sunday". State calling rules name
 * holidays this way in their statutes, so the table never needs a new row for a new year.
 */
import { addDays, toDateKey, weekdayOf } from '../time/zoned.js';
import { assertUnreachable } from '../unreachable.js';

export type HolidayRule =
  | { kind: 'fixed'; name: string; month: number; day: number }
  /** The nth (1–5, or -1 for last) ISO weekday of a month, then `offsetDays` on (Election Day: Monday + 1). */
  | { kind: 'nth'; name: string; month: number; weekday: number; n: number; offsetDays?: number }
  /** Days from Western (Gregorian) Easter Sunday: Good Friday -2, Mardi Gras -47. */
  | { kind: 'easter'; name: string; offsetDays: number }
  /** The last ISO weekday on or before a date: Canada's Victoria Day, the Monday on or before 24 May. */
  | { kind: 'on-or-before'; name: string; month: number; day: number; weekday: number };

/**
 * How a fixed-date holiday on a weekend is observed. Both the date itself and the observed
 * day are treated as holidays: statutes differ on which one the calling ban follows, and a
 * day's calls lost is cheaper than a violation.
 *  - `none`: only the date itself;
 *  - `sunday-to-monday`: Sunday → the Monday after;
 *  - `nearest-weekday`: Saturday → the Friday before, Sunday → the Monday after.
 */
export type ObservedRule = 'none' | 'sunday-to-monday' | 'nearest-weekday' | 'substitute';
// `substitute` (UK bank holidays): a fixed date on a weekend also gives the next weekday that is not already a holiday.

/** Western Easter Sunday (anonymous Gregorian computus) as 'YYYY-MM-DD'. */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return toDateKey(year, month, day);
}

/** The nth ISO weekday of a month; n = -1 is the last. Null when the month has no such day (a 5th). */
export function nthWeekday(year: number, month: number, weekday: number, n: number): string | null {
  if (n === -1) {
    const nextMonthFirst = month === 12 ? toDateKey(year + 1, 1, 1) : toDateKey(year, month + 1, 1);
    const last = addDays(nextMonthFirst, -1);
    return addDays(last, -((weekdayOf(last) - weekday + 7) % 7));
  }
  const first = toDateKey(year, month, 1);
  const date = addDays(first, ((weekday - weekdayOf(first) + 7) % 7) + (n - 1) * 7);
  return Number(date.slice(5, 7)) === month ? date : null;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The date a rule gives in `year`, before any weekend observance; null if none that year (29 Feb). */
export function holidayDate(rule: HolidayRule, year: number): string | null {
  switch (rule.kind) {
    case 'fixed':
      return rule.day <= daysInMonth(year, rule.month) ? toDateKey(year, rule.month, rule.day) : null;
    case 'nth': {
      const date = nthWeekday(year, rule.month, rule.weekday, rule.n);
      return date && rule.offsetDays ? addDays(date, rule.offsetDays) : date;
    }
    case 'easter':
      return addDays(easterSunday(year), rule.offsetDays);
    case 'on-or-before': {
      const date = toDateKey(year, rule.month, rule.day);
      return addDays(date, -((weekdayOf(date) - rule.weekday + 7) % 7));
    }
    default:
      return assertUnreachable(rule, 'holiday rule');
  }
}

/** Every holiday date of `year` (observed days included) with its name. */
export function holidaysOf(
  rules: readonly HolidayRule[],
  year: number,
  observed: ObservedRule,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const rule of rules) {
    const date = holidayDate(rule, year);
    if (!date) continue;
    out.set(date, rule.name);
    // Moving weekday rules already land on weekdays; only fixed dates are observed elsewhere.
    if (rule.kind !== 'fixed' || observed === 'none') continue;
    const weekday = weekdayOf(date);
    if (observed === 'substitute') continue;
    if (weekday === 7) out.set(addDays(date, 1), `${rule.name} (observed)`);
    if (weekday === 6 && observed === 'nearest-weekday')
      out.set(addDays(date, -1), `${rule.name} (observed)`);
  }
  if (observed === 'substitute') {
    for (const rule of rules) {
      const date = rule.kind === 'fixed' ? holidayDate(rule, year) : null;
      if (!date || weekdayOf(date) < 6) continue;
      let day = addDays(date, 1);
      while (weekdayOf(day) >= 6 || out.has(day)) day = addDays(day, 1);
      out.set(day, `${rule.name} (substitute day)`);
    }
  }
  return out;
}

/** The name of the holiday falling (or observed) on `dateKey`, or null. */
export function holidayOn(
  rules: readonly HolidayRule[],
  dateKey: string,
  observed: ObservedRule,
): string | null {
  const year = Number(dateKey.slice(0, 4));
  // New Year's Day on a Saturday is observed on 31 December of the year before.
  return (
    holidaysOf(rules, year, observed).get(dateKey) ??
    holidaysOf(rules, year + 1, observed).get(dateKey) ??
    null
  );
}

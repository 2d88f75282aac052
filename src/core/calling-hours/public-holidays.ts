/**
 * A workspace's holiday calendar: its country's public holidays by default, computed from
 * rules for any year (US federal holidays, Canada's federal statutory holidays, the bank
 * holidays of England and Wales), less the ones the workspace leaves out, plus its own dates.
 * Business contacts are not called on them; a state that bars consumer calls on holidays reads
 * the same calendar (calling-hours.ts).
 */
import { type HolidayRule, holidaysOf, type ObservedRule } from './holidays.js';

const MON = 1;
const THU = 4;
const fixed = (name: string, month: number, day: number): HolidayRule => ({
  kind: 'fixed',
  name,
  month,
  day,
});
const nth = (name: string, month: number, weekday: number, n: number): HolidayRule => ({
  kind: 'nth',
  name,
  month,
  weekday,
  n,
});
const easter = (name: string, offsetDays: number): HolidayRule => ({ kind: 'easter', name, offsetDays });

export const PUBLIC_HOLIDAYS: Readonly<Record<string, { rules: HolidayRule[]; observed: ObservedRule }>> = {
  // 5 U.S.C. §6103.
  US: {
    rules: [
      fixed("New Year's Day", 1, 1),
      nth('Martin Luther King Jr. Day', 1, MON, 3),
      nth("Washington's Birthday", 2, MON, 3),
      nth('Memorial Day', 5, MON, -1),
      fixed('Juneteenth', 6, 19),
      fixed('Independence Day', 7, 4),
      nth('Labor Day', 9, MON, 1),
      nth('Columbus Day', 10, MON, 2),
      fixed('Veterans Day', 11, 11),
      nth('Thanksgiving Day', 11, THU, 4),
      fixed('Christmas Day', 12, 25),
    ],
    observed: 'nearest-weekday',
  },
  // Canada Labour Code §166, federal general holidays.
  CA: {
    rules: [
      fixed("New Year's Day", 1, 1),
      easter('Good Friday', -2),
      { kind: 'on-or-before', name: 'Victoria Day', month: 5, day: 24, weekday: MON },
      fixed('Canada Day', 7, 1),
      nth('Labour Day', 9, MON, 1),
      fixed('National Day for Truth and Reconciliation', 9, 30),
      nth('Thanksgiving', 10, MON, 2),
      fixed('Remembrance Day', 11, 11),
      fixed('Christmas Day', 12, 25),
      fixed('Boxing Day', 12, 26),
    ],
    observed: 'sunday-to-monday',
  },
  // Banking and Financial Dealings Act 1971, England and Wales.
  GB: {
    rules: [
      fixed("New Year's Day", 1, 1),
      easter('Good Friday', -2),
      easter('Easter Monday', 1),
      nth('Early May bank holiday', 5, MON, 1),
      nth('Spring bank holiday', 5, MON, -1),
      nth('Summer bank holiday', 8, MON, -1),
      fixed('Christmas Day', 12, 25),
      fixed('Boxing Day', 12, 26),
    ],
    observed: 'substitute',
  },
};

export interface HolidayCalendarSpec {
  /** ISO country whose public holidays apply; null for none. */
  country: string | null;
  /** Holiday names the workspace works on anyway ("Columbus Day"). */
  omit?: readonly string[];
  /** Public holidays' dates ('YYYY-MM-DD') the workspace works on anyway. */
  omitDates?: readonly string[];
  /** The workspace's own days off: 'YYYY-MM-DD' and a name. */
  extra?: readonly { date: string; name: string }[];
}

export interface HolidayCalendar {
  /** The holiday's name on a date ('YYYY-MM-DD'), or null. */
  nameOn(dateKey: string): string | null;
  /** A year's holidays in date order, each saying whether it is the country's or the workspace's own. */
  daysOf(year: number): { date: string; name: string; source: 'public' | 'custom' }[];
}

/** The calendar a workspace's settings describe; each year is worked out once, when first asked. */
export function holidayCalendar(spec: HolidayCalendarSpec): HolidayCalendar {
  const source = spec.country ? PUBLIC_HOLIDAYS[spec.country.toUpperCase()] : undefined;
  const omit = new Set(spec.omit ?? []);
  const omitDates = new Set(spec.omitDates ?? []);
  const extra = new Map((spec.extra ?? []).map((d) => [d.date, d.name]));
  const years = new Map<number, Map<string, string>>();
  const yearOf = (year: number) => {
    let days = years.get(year);
    if (!days) {
      days = new Map();
      if (source) {
        const rules = source.rules.filter((r) => !omit.has(r.name));
        for (const [date, name] of holidaysOf(rules, year, source.observed))
          if (!omitDates.has(date)) days.set(date, name);
      }
      years.set(year, days);
    }
    return days;
  };
  return {
    nameOn(dateKey) {
      const year = Number(dateKey.slice(0, 4));
      // A 1 January on a Saturday is observed on 31 December of the year before.
      return extra.get(dateKey) ?? yearOf(year).get(dateKey) ?? yearOf(year + 1).get(dateKey) ?? null;
    },
    daysOf(year) {
      const days = new Map<string, { date: string; name: string; source: 'public' | 'custom' }>();
      const prefix = `${year}-`;
      for (const y of [year, year + 1]) {
        for (const [date, name] of yearOf(y))
          if (date.startsWith(prefix)) days.set(date, { date, name, source: 'public' });
      }
      for (const [date, name] of extra)
        if (date.startsWith(prefix)) days.set(date, { date, name, source: 'custom' });
      return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
    },
  };
}

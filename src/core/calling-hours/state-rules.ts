/**
 * US state rules on sales calls to consumers that are stricter than the federal 8 am–9 pm:
 * shorter hours, some weekdays or holidays with no calls, and caps on calls per 24 hours.
 * Used by calling-hours.ts for consumer contacts whose state is known.
 *
 * NOT LEGAL ADVICE. This table was compiled from the statutes named in each row and from
 * telemarketing-compliance summaries, and checked on the date in `checked`; laws change, most
 * have exemptions (prior consent, an existing business relationship, business-to-business
 * calls) that this table does not model, and some bans follow events no table can know
 * (Louisiana forbids solicitation while a declared state of emergency lasts). Where sources
 * disagreed the stricter reading was kept. A workspace can replace, add or remove rows with
 * `mergeStateRules` after its own counsel has read them.
 *
 * Times are the contact's local time; an `end` is exclusive (a call must start before it).
 */
import { z } from 'zod';
import type { HolidayRule, ObservedRule } from './holidays.js';

export const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type DayName = (typeof DAY_NAMES)[number];

export interface Hours {
  start: string;
  end: string;
}

export interface StateRule {
  /** USPS code, e.g. "FL". */
  state: string;
  /** Hours on every day calls are allowed, unless `byDay` says otherwise for that day. */
  hours: Hours;
  byDay?: Partial<Record<DayName, Hours>>;
  noSunday: boolean;
  /** Holidays with no calls; empty when the state has no holiday ban. */
  holidays: HolidayRule[];
  observed: ObservedRule;
  /** At most this many calls on the same subject in any 24 hours; null for no cap. */
  maxCallsPer24h: number | null;
  /** Statute or rule, by name and section. */
  source: string;
  /** When the rule took effect, where known ('YYYY-MM-DD'). */
  effective: string | null;
  /** When this row was last compared with its source ('YYYY-MM-DD'). */
  checked: string;
  notes?: string;
}

/** Rules by state code. */
export type StateRules = Readonly<Record<string, StateRule>>;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time like "20:00"');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like "2026-11-23"');

const hoursSchema = z
  .object({ start: hhmm, end: hhmm })
  .strict()
  .refine((h) => h.start < h.end, { message: 'start must be before end' });

const name = z.string().trim().min(1);
const month = z.number().int().min(1).max(12);
const weekday = z.number().int().min(1).max(7);

const holidaySchema = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('fixed'), name, month, day: z.number().int().min(1).max(31) })
    .strict()
    .refine((h) => h.day <= new Date(Date.UTC(2024, h.month, 0)).getUTCDate(), {
      message: 'that month has no such day',
      path: ['day'],
    }),
  z
    .object({
      kind: z.literal('nth'),
      name,
      month,
      weekday,
      n: z.union([z.literal(-1), z.number().int().min(1).max(5)]),
      offsetDays: z.number().int().min(-7).max(7).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('easter'), name, offsetDays: z.number().int().min(-70).max(70) }).strict(),
]);

export const stateRuleSchema = z
  .object({
    state: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter state code like "FL"'),
    hours: hoursSchema,
    byDay: z.partialRecord(z.enum(DAY_NAMES), hoursSchema).optional(),
    noSunday: z.boolean(),
    holidays: z.array(holidaySchema),
    observed: z.enum(['none', 'sunday-to-monday', 'nearest-weekday']),
    maxCallsPer24h: z.number().int().min(1).nullable(),
    source: z.string().trim().min(1),
    effective: isoDate.nullable(),
    checked: isoDate,
    notes: z.string().optional(),
  })
  .strict();

const removeSchema = z.object({ state: stateRuleSchema.shape.state, remove: z.literal(true) }).strict();

export interface StateRulesIssue {
  /** Where in the overrides, e.g. "overrides[2].hours.end". */
  path: string;
  message: string;
}

export class StateRulesError extends Error {
  readonly issues: readonly StateRulesIssue[];
  constructor(issues: StateRulesIssue[]) {
    super(`Invalid state calling rules: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'StateRulesError';
    this.issues = issues;
  }
}

function pathOf(base: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`),
    base,
  );
}

/**
 * The defaults with a workspace's overrides applied: each override is a whole row that
 * replaces or adds its state, or `{ state, remove: true }` to drop one. Overrides arrive as
 * JSON from settings, so they are validated here; any invalid row rejects the whole set with
 * every problem and its path.
 */
export function mergeStateRules(defaults: StateRules, overrides: unknown): StateRules {
  const list = z.array(z.unknown()).safeParse(overrides);
  if (!list.success)
    throw new StateRulesError([{ path: 'overrides', message: 'must be a list of state rules' }]);
  const merged: Record<string, StateRule> = { ...defaults };
  const issues: StateRulesIssue[] = [];
  const seen = new Set<string>();
  list.data.forEach((row, i) => {
    const isRemoval = typeof row === 'object' && row !== null && 'remove' in row;
    const parsed = isRemoval ? removeSchema.safeParse(row) : stateRuleSchema.safeParse(row);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        issues.push({ path: pathOf(`overrides[${i}]`, issue.path), message: issue.message });
      }
      return;
    }
    const state = parsed.data.state;
    if (seen.has(state)) {
      issues.push({ path: `overrides[${i}].state`, message: `${state} appears more than once` });
      return;
    }
    seen.add(state);
    if ('remove' in parsed.data) delete merged[state];
    else merged[state] = parsed.data as StateRule;
  });
  if (issues.length > 0) throw new StateRulesError(issues);
  return merged;
}

// Holidays as the statutes name them.
const MON = 1;
const THU = 4;
const fixed = (n: string, m: number, d: number): HolidayRule => ({
  kind: 'fixed',
  name: n,
  month: m,
  day: d,
});
const nth = (n: string, m: number, wd: number, k: number, offsetDays?: number): HolidayRule =>
  offsetDays === undefined
    ? { kind: 'nth', name: n, month: m, weekday: wd, n: k }
    : { kind: 'nth', name: n, month: m, weekday: wd, n: k, offsetDays };
const easter = (n: string, offsetDays: number): HolidayRule => ({ kind: 'easter', name: n, offsetDays });

const NEW_YEAR = fixed("New Year's Day", 1, 1);
const MLK = nth('Martin Luther King Jr. Day', 1, MON, 3);
const WASHINGTON = nth("Washington's Birthday", 2, MON, 3);
const MEMORIAL = nth('Memorial Day', 5, MON, -1);
const JUNETEENTH = fixed('Juneteenth', 6, 19);
const INDEPENDENCE = fixed('Independence Day', 7, 4);
const LABOR = nth('Labor Day', 9, MON, 1);
const COLUMBUS = nth('Columbus Day', 10, MON, 2);
const VETERANS = fixed('Veterans Day', 11, 11);
const THANKSGIVING = nth('Thanksgiving Day', 11, THU, 4);
const CHRISTMAS = fixed('Christmas Day', 12, 25);

const CHECKED = '2026-11-23';
const EIGHT_TO_EIGHT: Hours = { start: '08:00', end: '20:00' };
const FEDERAL_HOURS: Hours = { start: '08:00', end: '21:00' };

function row(
  r: Omit<StateRule, 'checked' | 'noSunday' | 'holidays' | 'observed' | 'maxCallsPer24h' | 'effective'> &
    Partial<StateRule>,
): StateRule {
  return {
    noSunday: false,
    holidays: [],
    observed: 'none',
    maxCallsPer24h: null,
    effective: null,
    checked: CHECKED,
    ...r,
  };
}

const ROWS: StateRule[] = [
  row({
    state: 'AL',
    hours: EIGHT_TO_EIGHT,
    noSunday: true,
    holidays: [
      NEW_YEAR,
      nth("Robert E. Lee / Martin Luther King Jr.'s Birthday", 1, MON, 3),
      nth('George Washington / Thomas Jefferson Birthday', 2, MON, 3),
      nth('Confederate Memorial Day', 4, MON, 4),
      MEMORIAL,
      nth("Jefferson Davis' Birthday", 6, MON, 1),
      JUNETEENTH,
      INDEPENDENCE,
      LABOR,
      nth('Columbus Day / American Indian Heritage Day', 10, MON, 2),
      VETERANS,
      THANKSGIVING,
      fixed('Mrs. Rosa Parks Day', 12, 1),
      CHRISTMAS,
    ],
    observed: 'nearest-weekday',
    source:
      'Ala. Admin. Code r. 770-X-5-.17 (Public Service Commission telephone solicitation rule); holidays per Ala. Code §1-3-8',
    notes:
      'Mardi Gras is a holiday only in Baldwin and Mobile counties and is not modelled. Juneteenth is observed by proclamation.',
  }),
  row({
    state: 'CT',
    hours: { start: '09:00', end: '20:00' },
    source: 'Conn. Gen. Stat. §42-288a, as amended by Public Act 23-98 (SB 1058)',
    effective: '2023-10-01',
  }),
  row({
    state: 'FL',
    hours: EIGHT_TO_EIGHT,
    maxCallsPer24h: 3,
    source: 'Fla. Stat. §501.616(6) (Florida Telephone Solicitation Act, as amended by SB 1120 (2021))',
    effective: '2021-07-01',
  }),
  row({
    state: 'KY',
    hours: { start: '10:00', end: '21:00' },
    source: 'Ky. Rev. Stat. §367.46955',
  }),
  row({
    state: 'LA',
    hours: EIGHT_TO_EIGHT,
    noSunday: true,
    holidays: [
      NEW_YEAR,
      MLK,
      easter('Mardi Gras', -47),
      easter('Good Friday', -2),
      MEMORIAL,
      INDEPENDENCE,
      LABOR,
      VETERANS,
      THANKSGIVING,
      nth('Day after Thanksgiving', 11, THU, 4, 1),
      CHRISTMAS,
    ],
    source: 'La. R.S. 45:844.11 et seq. and LPSC General Order R-29617 (Do Not Call Program)',
    notes:
      'No solicitation at all while a declared state of emergency requires the LPSC to report to the EOC; add those days as workspace holidays.',
  }),
  row({
    state: 'MA',
    hours: EIGHT_TO_EIGHT,
    source: 'Mass. Gen. Laws ch. 159C §3; 201 CMR 12.00',
  }),
  row({
    state: 'MD',
    hours: EIGHT_TO_EIGHT,
    maxCallsPer24h: 3,
    source: 'Md. Code, Com. Law Title 14, as amended by the Stop the Spam Calls Act of 2023 (SB 90)',
    effective: '2024-01-01',
  }),
  row({
    state: 'MI',
    hours: { start: '09:00', end: '21:00' },
    source: 'Mich. Comp. Laws §445.111b',
  }),
  row({
    state: 'MN',
    hours: { start: '09:00', end: '21:00' },
    source: 'Minn. Stat. §325E.27',
  }),
  row({
    state: 'MS',
    hours: EIGHT_TO_EIGHT,
    noSunday: true,
    holidays: [
      NEW_YEAR,
      nth("Robert E. Lee / Martin Luther King Jr.'s Birthday", 1, MON, 3),
      WASHINGTON,
      nth('Confederate Memorial Day', 4, MON, -1),
      nth("National Memorial Day / Jefferson Davis' Birthday", 5, MON, -1),
      INDEPENDENCE,
      LABOR,
      VETERANS,
      THANKSGIVING,
      CHRISTMAS,
    ],
    observed: 'sunday-to-monday',
    source: 'Miss. Code Ann. §77-3-725 (Telephone Solicitation Act); holidays per Miss. Code Ann. §3-3-7',
    notes: 'Some summaries allow calls on Mississippi holidays; the stricter reading is kept.',
  }),
  row({
    state: 'OK',
    hours: EIGHT_TO_EIGHT,
    maxCallsPer24h: 3,
    source: 'Okla. Stat. tit. 15, §775C.4 (Telephone Solicitation Act of 2022)',
    effective: '2022-11-01',
  }),
  row({
    state: 'PA',
    hours: FEDERAL_HOURS,
    holidays: [
      NEW_YEAR,
      MLK,
      WASHINGTON,
      easter('Good Friday', -2),
      MEMORIAL,
      fixed('Flag Day', 6, 14),
      INDEPENDENCE,
      LABOR,
      COLUMBUS,
      nth('Election Day', 11, MON, 1, 1),
      VETERANS,
      THANKSGIVING,
      CHRISTMAS,
    ],
    observed: 'sunday-to-monday',
    source: '73 P.S. §2245.2 (Telemarketer Registration Act); holidays per 44 P.S. §11',
    notes: 'Summaries disagree on Pennsylvania Sunday hours; none are modelled beyond the federal bound.',
  }),
  row({
    state: 'RI',
    hours: { start: '09:00', end: '18:00' },
    byDay: { sat: { start: '10:00', end: '17:00' } },
    noSunday: true,
    holidays: [
      NEW_YEAR,
      MLK,
      WASHINGTON,
      fixed('Rhode Island Independence Day', 5, 4),
      MEMORIAL,
      INDEPENDENCE,
      nth('Victory Day', 8, MON, 2),
      LABOR,
      COLUMBUS,
      VETERANS,
      THANKSGIVING,
      CHRISTMAS,
    ],
    observed: 'sunday-to-monday',
    source:
      'R.I. Gen. Laws §5-61-3.4 (Telephone Sales Solicitation Act); holidays per R.I. Gen. Laws §25-1-1',
  }),
  row({
    state: 'TX',
    hours: { start: '09:00', end: '21:00' },
    byDay: { sun: { start: '12:00', end: '21:00' } },
    source: 'Tex. Bus. & Com. Code §301.051',
  }),
  row({
    state: 'UT',
    hours: FEDERAL_HOURS,
    noSunday: true,
    holidays: [
      NEW_YEAR,
      MLK,
      nth('Washington and Lincoln Day', 2, MON, 3),
      MEMORIAL,
      JUNETEENTH,
      INDEPENDENCE,
      fixed('Pioneer Day', 7, 24),
      LABOR,
      COLUMBUS,
      VETERANS,
      THANKSGIVING,
      CHRISTMAS,
    ],
    observed: 'nearest-weekday',
    source:
      'Utah Code §13-25a-103 (Telephone and Facsimile Solicitation Act); holidays per Utah Code §63G-1-301',
  }),
  row({
    state: 'WA',
    hours: EIGHT_TO_EIGHT,
    source: 'Rev. Code Wash. §80.36.390',
  }),
];

export const DEFAULT_STATE_RULES: StateRules = Object.freeze(
  Object.fromEntries(ROWS.map((r) => [r.state, r])),
);

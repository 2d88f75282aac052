/**
 * When a contact may be called (cadence rule 12): inside the campaign's window for the
 * contact's kind, never outside 08:00–21:00 contact-local, and, for consumers in a US state
 * with stricter rules (state-rules.ts), inside the state's hours, off its no-call days and
 * under its cap on calls per 24 hours.
 *
 * The 08:00–21:00 bound is the US federal one (TCPA, 47 CFR §64.1200(c)(1)). It is applied to
 * every contact in every country and of either kind: it is the law for US consumers, a decent
 * bound everywhere else, and one rule is easier to trust than a table of exceptions.
 *
 * Every answer is in instants (epoch ms, UTC); all reasoning is on the contact's wall clock.
 */
import type { CadencePolicy } from '../cadence/policy.js';
import type { ContactKind } from '../contact-fields.js';
import { describeLocal, monthName, weekdayName } from '../time/bands.js';
import { usStateCode, usStateName } from '../time/us-states.js';
import { stateForNumber } from '../time/zone-of.js';
import { addDays, instantAt, localParts, parseHhmm, weekdayOf } from '../time/zoned.js';
import { assertUnreachable } from '../unreachable.js';
import { holidayOn } from './holidays.js';
import type { HolidayCalendar } from './public-holidays.js';
import { DAY_NAMES, type StateRule, type StateRules } from './state-rules.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The federal bound, in local minutes: 08:00 to 21:00. */
const FEDERAL = { start: 8 * 60, end: 21 * 60 };
/** How far ahead nextAllowedAt looks before giving up. */
export const SEARCH_DAYS = 30;

export interface CallingWindow {
  start: string;
  end: string;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: readonly number[];
}

export interface CallingContext {
  zone: string;
  kind: ContactKind;
  /** USPS code of the contact's state, or null when not in the US or unknown. */
  state: string | null;
  window: CallingWindow;
  stateRules: StateRules;
  /** Workspace days off ('YYYY-MM-DD', contact-local): no calls at all. */
  holidays?: ReadonlySet<string>;
  /** The workspace's holiday calendar: business contacts are not called on its days; state holiday bans read it too. */
  calendar?: HolidayCalendar;
  /** Only the law binds (legalBound): the calendar still feeds state bans, but does not close business days. */
  lawOnly?: boolean;
  /** The contact's name, for reasons a rep reads. */
  name?: string;
  /** The hours of whoever will make the call, on their own clock: follow-ups are planned inside them too. */
  caller?: CallerHours;
}

/** A rep's own calling hours, in the rep's zone. */
export interface CallerHours {
  zone: string;
  window: CallingWindow;
}

export type Allowed = { ok: true } | { ok: false; reason: string };

/** The campaign window that applies to a contact of this kind. */
export function windowFor(
  policy: Pick<CadencePolicy, 'businessWindow' | 'consumerWindow'>,
  kind: ContactKind,
): CallingWindow {
  return kind === 'consumer' ? policy.consumerWindow : policy.businessWindow;
}

/**
 * The contact's US state: its address region ("FL" or "Florida") when the address is in the
 * US or has no country, else the state of the first North American number that has one.
 */
export function stateForContact(
  place: { region?: string | null; country?: string | null },
  numbers: readonly string[],
): string | null {
  const country = place.country?.trim().toUpperCase() || null;
  if (!country || country === 'US') {
    const fromAddress = usStateCode(place.region);
    if (fromAddress) return fromAddress;
  }
  for (const n of numbers) {
    const state = stateForNumber(n);
    if (state) return state;
  }
  return null;
}

/** The state rule that binds this contact, if any: consumers only. */
function bindingRule(ctx: CallingContext): StateRule | null {
  if (ctx.kind !== 'consumer' || !ctx.state) return null;
  return ctx.stateRules[usStateCode(ctx.state) ?? ctx.state] ?? null;
}

type DayVerdict =
  | { open: true; start: number; end: number }
  | {
      open: false;
      why: 'workspace-holiday' | 'public-holiday' | 'state-sunday' | 'state-holiday' | 'window-day';
      holiday?: string;
    };

/** The local minutes [start, end) a call may start on `dateKey`, or why there are none. */
function dayVerdict(dateKey: string, weekday: number, ctx: CallingContext): DayVerdict {
  if (ctx.holidays?.has(dateKey)) return { open: false, why: 'workspace-holiday' };
  const publicHoliday = ctx.calendar?.nameOn(dateKey) ?? null;
  if (publicHoliday && ctx.kind === 'business' && !ctx.lawOnly)
    return { open: false, why: 'public-holiday', holiday: publicHoliday };
  const rule = bindingRule(ctx);
  if (rule?.noSunday && weekday === 7) return { open: false, why: 'state-sunday' };
  const holiday =
    rule && rule.holidays.length > 0
      ? (holidayOn(rule.holidays, dateKey, rule.observed) ?? publicHoliday)
      : null;
  if (holiday) return { open: false, why: 'state-holiday', holiday };
  if (!ctx.window.days.includes(weekday)) return { open: false, why: 'window-day' };
  let start = Math.max(FEDERAL.start, parseHhmm(ctx.window.start));
  let end = Math.min(FEDERAL.end, parseHhmm(ctx.window.end));
  if (rule) {
    const hours = stateHours(rule, weekday);
    start = Math.max(start, parseHhmm(hours.start));
    end = Math.min(end, parseHhmm(hours.end));
  }
  return { open: true, start, end };
}

function stateHours(rule: StateRule, weekday: number): { start: string; end: string } {
  return rule.byDay?.[DAY_NAMES[weekday - 1]!] ?? rule.hours;
}

/** The instants [start, end) at which a call may start on a local date; empty when none. */
export function callingWindowsOn(dateKey: string, ctx: CallingContext): { start: number; end: number }[] {
  const verdict = dayVerdict(dateKey, weekdayOf(dateKey), ctx);
  if (!verdict.open || verdict.start >= verdict.end) return [];
  const start = instantAt(dateKey, verdict.start, ctx.zone);
  const end = instantAt(dateKey, verdict.end, ctx.zone);
  if (start >= end) return [];
  return ctx.caller ? insideCallerHours(start, end, ctx.caller) : [{ start, end }];
}

/** The parts of [start, end) inside the caller's hours; the span may cross the caller's midnight. */
function insideCallerHours(
  start: number,
  end: number,
  caller: CallerHours,
): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const lastDay = localParts(end - 1, caller.zone).dateKey;
  for (let day = localParts(start, caller.zone).dateKey; ; day = addDays(day, 1)) {
    if (caller.window.days.includes(weekdayOf(day))) {
      const s = Math.max(start, instantAt(day, caller.window.start, caller.zone));
      const e = Math.min(end, instantAt(day, caller.window.end, caller.zone));
      if (s < e) out.push({ start: s, end: e });
    }
    if (day >= lastDay) return out;
  }
}

/** Days ahead within which a caller's hours must meet the contact's window to be honoured. */
const CALLER_OVERLAP_DAYS = 14;

/**
 * The context with the caller's hours when they meet the contact's window at least once in the
 * next two weeks. A rep in Paris working 09:00–17:00 never overlaps a Los Angeles contact's
 * business day; planning nothing would lose the contact, so the contact's window alone applies.
 */
export function withCallerHours(
  ctx: CallingContext,
  caller: CallerHours,
  from: number,
): CallingContext | null {
  const withCaller = { ...ctx, caller };
  const firstDay = localParts(from, ctx.zone).dateKey;
  for (let i = 0; i < CALLER_OVERLAP_DAYS; i++) {
    if (callingWindowsOn(addDays(firstDay, i), withCaller).length > 0) return withCaller;
  }
  return null;
}

/** Earlier attempts that count against a cap at `t`: those in the 24 hours up to and including t. */
function attemptsInLastDay(t: number, attempts: readonly number[]): number[] {
  return attempts.filter((a) => a > t - DAY && a <= t).sort((x, y) => x - y);
}

/** The earliest instant ≥ t at which the cap, if any, allows another call. */
function underCapFrom(t: number, ctx: CallingContext, attempts: readonly number[]): number {
  const cap = bindingRule(ctx)?.maxCallsPer24h;
  if (!cap || attempts.length === 0) return t;
  let at = t;
  for (;;) {
    const recent = attemptsInLastDay(at, attempts);
    if (recent.length < cap) return at;
    // Wait until enough of the oldest leave the 24 hours to make room for one more.
    at = recent[recent.length - cap]! + DAY;
  }
}

/**
 * The earliest instant ≥ `after` at which a call is allowed, looking SEARCH_DAYS days ahead;
 * null when there is none (a window on days the state bars, say). `attempts` are the
 * instants of earlier calls on the same subject, for state caps.
 */
export function nextAllowedAt(
  after: number,
  ctx: CallingContext,
  attempts: readonly number[] = [],
): number | null {
  const firstDay = localParts(after, ctx.zone).dateKey;
  for (let i = 0; i <= SEARCH_DAYS; i++) {
    for (const w of callingWindowsOn(addDays(firstDay, i), ctx)) {
      if (w.end <= after) continue;
      const t = underCapFrom(Math.max(after, w.start), ctx, attempts);
      if (t < w.end) return t;
    }
  }
  return null;
}

/** Every day, all day: with it a context keeps only the law's bounds. */
const ANY_TIME: CallingWindow = { start: '00:00', end: '23:59', days: [1, 2, 3, 4, 5, 6, 7] };

/**
 * Rule 12's legal bound alone — 08:00–21:00 and, for consumers, their state's hours and
 * no-call days — without the campaign's window, the workspace's days off or the caller's own
 * hours. A time the contact asked for (a callback, an appointment) is kept even outside the
 * campaign's window, never outside this.
 */
export function legalBound(ctx: CallingContext): CallingContext {
  const { holidays: _daysOff, caller: _caller, ...rest } = ctx;
  return { ...rest, window: ANY_TIME, lawOnly: true };
}

/** Whether a call may start at `instant`, and if not, why, in words a rep reads. */
export function isAllowedAt(instant: number, ctx: CallingContext, attempts: readonly number[] = []): Allowed {
  const local = localParts(instant, ctx.zone);
  const inWindow = callingWindowsOn(local.dateKey, ctx).some((w) => instant >= w.start && instant < w.end);
  if (inWindow) {
    const free = underCapFrom(instant, ctx, attempts);
    if (free === instant) return { ok: true };
    return { ok: false, reason: capReason(instant, ctx, attempts) };
  }
  return { ok: false, reason: closedReason(instant, ctx) };
}

function closedReason(instant: number, ctx: CallingContext): string {
  const local = localParts(instant, ctx.zone);
  const who = ctx.name ? ` for ${ctx.name}` : '';
  const rule = bindingRule(ctx);
  const where = rule ? ` in ${usStateName(rule.state)}` : '';
  const day = `${weekdayName(local.weekday)} ${local.day} ${monthName(local.month)}`;
  const verdict = dayVerdict(local.dateKey, local.weekday, ctx);
  if (!verdict.open) {
    switch (verdict.why) {
      case 'workspace-holiday':
        return `${day}${who}: a day off for the workspace`;
      case 'public-holiday':
        return `${day} (${verdict.holiday})${who}: a holiday in the workspace's calendar, when business contacts are not called`;
      case 'state-sunday':
        return `${day}${who}${where}: state law allows no sales calls to consumers on Sundays`;
      case 'state-holiday':
        return `${day} (${verdict.holiday})${who}${where}: state law allows no sales calls to consumers on legal holidays`;
      case 'window-day':
        return `${day}${who}: the campaign calls ${ctx.kind} contacts ${describeDays(ctx.window.days)}`;
      default:
        return assertUnreachable(verdict.why);
    }
  }
  const time = clock(local.minutesOfDay);
  const m = local.minutesOfDay;
  if (rule) {
    const hours = stateHours(rule, local.weekday);
    const s = parseHhmm(hours.start);
    const e = parseHhmm(hours.end);
    if (m < s || m >= e) {
      const onDay = rule.byDay?.[DAY_NAMES[local.weekday - 1]!] ? ` on ${weekdayName(local.weekday)}s` : '';
      return `${time}${who}${where}: state law allows calls to consumers ${range(s, e)}${onDay}`;
    }
  }
  if (m < FEDERAL.start || m >= FEDERAL.end) {
    return `${time}${who}: calls are allowed only ${range(FEDERAL.start, FEDERAL.end)} local time (the US federal limit, kept for every contact)`;
  }
  const ws = parseHhmm(ctx.window.start);
  const we = parseHhmm(ctx.window.end);
  if (m < ws || m >= we) {
    return `${time}${who}: outside the campaign's ${ctx.kind} window, ${range(ws, we)}`;
  }
  if (ctx.caller) {
    const c = ctx.caller;
    const mine = localParts(instant, c.zone);
    const cs = parseHhmm(c.window.start);
    const ce = parseHhmm(c.window.end);
    if (!c.window.days.includes(mine.weekday) || mine.minutesOfDay < cs || mine.minutesOfDay >= ce) {
      return (
        `${clock(mine.minutesOfDay)} ${weekdayName(mine.weekday)} your time: outside your own calling hours, ` +
        `${range(cs, ce)} ${describeDays(c.window.days)}`
      );
    }
  }
  // Only a DST jump inside the window gets here: the local time read back is not one the day has.
  return `${time}${who}: outside calling hours`;
}

/** "Florida's cap of 3 calls in 24 hours": the cap that binds this contact, in words; null when none. */
export function capWords(ctx: CallingContext): string | null {
  const rule = bindingRule(ctx);
  const cap = rule?.maxCallsPer24h;
  if (!rule || !cap) return null;
  return `${usStateName(rule.state)}'s cap of ${cap} call${cap === 1 ? '' : 's'} in 24 hours`;
}

function capReason(instant: number, ctx: CallingContext, attempts: readonly number[]): string {
  const rule = bindingRule(ctx)!;
  const cap = rule.maxCallsPer24h!;
  const who = ctx.name ?? 'This contact';
  const next = nextAllowedAt(instant, ctx, attempts);
  const when = next === null ? '' : `; next ${describeLocal(next, ctx.zone, instant)}`;
  return (
    `${who} in ${usStateName(rule.state)} has had ${cap} call${cap === 1 ? '' : 's'} on this subject ` +
    `in the last 24 hours, the most state law allows${when}`
  );
}

/** 1275 → "9:15 pm", 480 → "8:00 am", 720 → "12:00 pm". */
function clock(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${h12}:${String(m).padStart(2, '0')} ${h < 12 ? 'am' : 'pm'}`;
}

/** A bound as people say it: "8 am", "8:30 pm", "noon". */
function bound(minutes: number): string {
  if (minutes === 12 * 60) return 'noon';
  if (minutes === 0 || minutes === 24 * 60) return 'midnight';
  const text = clock(minutes);
  return text.replace(':00 ', ' ');
}

function range(start: number, end: number): string {
  return `${bound(start)}–${bound(end)}`;
}

/** [1,2,3,4,5] → "Mon–Fri"; [1,3,5] → "Mon, Wed, Fri". */
export function describeDays(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.length === 0) return 'on no day';
  const contiguous = sorted.every((d, i) => i === 0 || d === sorted[i - 1]! + 1);
  if (contiguous && sorted.length > 2) {
    return `${weekdayName(sorted[0]!, true)}–${weekdayName(sorted[sorted.length - 1]!, true)}`;
  }
  return sorted.map((d) => weekdayName(d, true)).join(', ');
}

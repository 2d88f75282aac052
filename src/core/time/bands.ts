/**
 * Time of day in the words a rep uses. Cadence rule 4 varies the next attempt's band (early,
 * morning, midday, afternoon, late) away from the bands that already went unanswered, and the
 * reasons the queue shows ("tomorrow morning", "Thursday afternoon", "today 15:10") are
 * written here so every screen says them the same way.
 *
 * Band boundaries, in the contact's local minutes:
 *   early      before 10:00  — before the day's meetings; decision makers at their desks
 *   morning    10:00–11:30
 *   midday     11:30–13:30   — a two-hour lunch band, because lunch hours are staggered
 *   afternoon  13:30–16:00
 *   late       from 16:00    — end of the office day; for consumers, after work
 * Under the default business window (09:00–17:00) that is 1 h / 1.5 h / 2 h / 2.5 h / 1 h: the
 * two edges of the day, where prospectors find people who are hard to reach, are kept narrow
 * so that "vary the band" really moves a call to the other end of the day.
 */
import { assertUnreachable } from '../unreachable.js';
import { daysBetween, formatHhmm, localParts } from './zoned.js';

export const BANDS = ['early', 'morning', 'midday', 'afternoon', 'late'] as const;
export type Band = (typeof BANDS)[number];

/** Start of each band after `early`, in local minutes; `early` starts at midnight. */
const BAND_STARTS: Record<Band, number> = {
  early: 0,
  morning: 10 * 60,
  midday: 11 * 60 + 30,
  afternoon: 13 * 60 + 30,
  late: 16 * 60,
};

export function bandOf(minutesOfDay: number): Band {
  if (minutesOfDay < BAND_STARTS.morning) return 'early';
  if (minutesOfDay < BAND_STARTS.midday) return 'morning';
  if (minutesOfDay < BAND_STARTS.afternoon) return 'midday';
  if (minutesOfDay < BAND_STARTS.late) return 'afternoon';
  return 'late';
}

/** Local minutes [start, end) of a band; the last band ends at 1440 (midnight). */
export function bandRange(band: Band): { start: number; end: number } {
  const i = BANDS.indexOf(band);
  const next = BANDS[i + 1];
  return { start: BAND_STARTS[band], end: next ? BAND_STARTS[next] : 24 * 60 };
}

const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function weekdayName(isoWeekday: number, short = false): string {
  const name = WEEKDAY_NAMES[isoWeekday - 1] ?? '?';
  return short ? name.slice(0, 3) : name;
}

export function monthName(month: number): string {
  return MONTH_NAMES[month - 1] ?? '?';
}

/**
 * How far the local date of `instant` is from the local date of `now`, both read in `zone`
 * (the contact's), so "tomorrow" is the contact's tomorrow.
 */
function dayLabel(instant: number, zone: string, now: number): { label: string; relative: boolean } {
  const at = localParts(instant, zone);
  const today = localParts(now, zone);
  const days = daysBetween(today.dateKey, at.dateKey);
  if (days === 0) return { label: 'today', relative: true };
  if (days === 1) return { label: 'tomorrow', relative: true };
  if (days === -1) return { label: 'yesterday', relative: true };
  // Within the coming week the weekday alone is unambiguous; otherwise say the date.
  if (days > 1 && days < 7) return { label: weekdayName(at.weekday), relative: true };
  return { label: absoluteDate(instant, zone, now), relative: false };
}

/** "Sunday 22 Nov", with the year when it is not `now`'s year: "Monday 4 Jan 2027". */
export function absoluteDate(instant: number, zone: string, now: number): string {
  const at = localParts(instant, zone);
  const year = at.year === localParts(now, zone).year ? '' : ` ${at.year}`;
  return `${weekdayName(at.weekday)} ${at.day} ${monthName(at.month)}${year}`;
}

/** "today 15:10", "tomorrow 09:30", "Tuesday 10:40", "Sunday 22 Nov 15:00" — in `zone`. */
export function describeLocal(instant: number, zone: string, now: number): string {
  const { label } = dayLabel(instant, zone, now);
  return `${label} ${formatHhmm(localParts(instant, zone).minutesOfDay)}`;
}

/** "Sunday 22 Nov 15:00": the date spelled out whatever its distance from `now`. */
export function describeAbsolute(instant: number, zone: string, now: number): string {
  return `${absoluteDate(instant, zone, now)} ${formatHhmm(localParts(instant, zone).minutesOfDay)}`;
}

/**
 * The part of the day, not the minute: "tomorrow morning", "Thursday afternoon", "early
 * Friday morning", "late this afternoon", "Tuesday 1 Dec, midday". The `late` band is "late
 * afternoon" until 18:00 and "evening" after, because that is what a consumer call at 19:00 is.
 */
export function describeSlot(instant: number, zone: string, now: number): string {
  const minutes = localParts(instant, zone).minutesOfDay;
  const band = bandOf(minutes);
  const { label, relative } = dayLabel(instant, zone, now);
  const part = slotPart(band, minutes);
  if (!relative) return `${label}, ${part.words}`;
  if (label === 'today') return part.today;
  if (label === 'yesterday')
    return part.words === 'midday' ? 'yesterday around midday' : `yesterday ${part.words}`;
  return part.relative(label);
}

interface SlotPart {
  words: string;
  today: string;
  relative: (day: string) => string;
}

function slotPart(band: Band, minutes: number): SlotPart {
  switch (band) {
    case 'early':
      return { words: 'early morning', today: 'early this morning', relative: (d) => `early ${d} morning` };
    case 'morning':
      return { words: 'morning', today: 'this morning', relative: (d) => `${d} morning` };
    case 'midday':
      return { words: 'midday', today: 'around midday today', relative: (d) => `${d} around midday` };
    case 'afternoon':
      return { words: 'afternoon', today: 'this afternoon', relative: (d) => `${d} afternoon` };
    case 'late':
      return minutes < 18 * 60
        ? { words: 'late afternoon', today: 'late this afternoon', relative: (d) => `late ${d} afternoon` }
        : { words: 'evening', today: 'this evening', relative: (d) => `${d} evening` };
    default:
      return assertUnreachable(band);
  }
}

/**
 * Times in words, as reps type them into an outcome: "tomorrow 3pm", "next Tuesday morning",
 * "back Monday the 19th", "in two weeks", "Dec 3 at 10:30". Read with chrono-node in the
 * user's time zone, relative to `now`, always forward.
 *
 * chrono works in a fixed UTC offset, so it is given the zone's offset at `now` and asked for
 * the wall-clock date and time only; that wall time is then placed in the zone with
 * instantAt, which gets a date on the far side of a daylight-saving change right ("March 9
 * 10am" typed on 5 March in New York is 14:00Z, not 15:00Z). Only durations ("in 3 hours")
 * and times with an explicit zone ("3pm EST") keep chrono's instant.
 *
 * Parts of the day are the office's, not chrono's: morning 09:00, afternoon 14:00, evening
 * and tonight 18:00; a date with no time gets `defaultHour` (09:00).
 */
import * as chrono from 'chrono-node';
import { describeAbsolute, monthName, weekdayName } from '../time/bands.js';
import { INSTANT_RANGE_TEXT, instantInRange } from '../time/bounds.js';
import {
  addDays,
  formatHhmm,
  instantAt,
  type LocalParts,
  localParts,
  offsetMinutesAt,
  toDateKey,
  weekdayOf,
} from '../time/zoned.js';

export interface ParseWhenOptions {
  now: number;
  /** The user's IANA zone: "tomorrow" and "3pm" are theirs. */
  zone: string;
  /** Hour given to a date with no time; 9 unless set. */
  defaultHour?: number;
}

export type ParseWhenResult = { ok: true; at: number; understood: string } | { ok: false; message: string };

const PART_OF_DAY: readonly [tag: string, minutes: number][] = [
  ['casualReference/morning', 9 * 60],
  ['casualReference/afternoon', 14 * 60],
  ['casualReference/evening', 18 * 60],
  ['casualReference/tonight', 18 * 60],
];

/** Tag prefix carrying the weekday a day-of-month phrase named ("Monday the 19th" → …:1). */
const NAMED_WEEKDAY_TAG = 'ringback/namedWeekday:';

export function parseWhen(text: string, options: ParseWhenOptions): ParseWhenResult {
  const { now, zone } = options;
  const defaultHour = options.defaultHour ?? 9;
  if (!Number.isInteger(defaultHour) || defaultHour < 0 || defaultHour > 23) {
    throw new RangeError(`defaultHour must be a whole hour 0–23, not ${defaultHour}`);
  }
  const said = text.trim();
  if (said === '') return { ok: false, message: 'No time was given.' };

  const today = localParts(now, zone);
  const reader = chrono.casual.clone();
  reader.parsers.push(dayOfMonthParser(today));
  const results = reader.parse(
    said,
    { instant: new Date(now), timezone: offsetMinutesAt(now, zone) },
    { forwardDate: true },
  );
  const picked = pick(said, results);
  if (!picked) return { ok: false, message: `Nothing in "${said}" reads as a date or time.` };
  const { result, weekday } = picked;

  const start = result.start;
  const year = start.get('year')!;
  if (year < 1970 || year > 2199) return tooFar(said);
  const tags = result.tags();
  const namedDay = weekday ?? namedWeekday(tags);
  if (namedDay !== null && start.isCertain('day') && weekdayOf(dateKeyOf(start)) !== namedDay) {
    const day = start.get('day')!;
    return {
      ok: false,
      message:
        `"${said}": ${day} ${monthName(start.get('month')!)} ${start.get('year')} is a ` +
        `${weekdayName(weekdayOf(dateKeyOf(start)))}, not a ${weekdayName(namedDay)}; ` +
        `name the month if you mean a later ${ordinal(day)}.`,
    };
  }

  let at: number;
  if (start.isCertain('timezoneOffset') || tags.has('result/relativeDateAndTime')) {
    at = start.date().getTime();
  } else {
    const date = dateKeyOf(start);
    at = instantAt(date, minutesFor(start, tags, defaultHour), zone);
    // "Monday" said on a Monday once its time has gone means next Monday.
    if (at < now && start.isCertain('weekday') && !start.isCertain('day') && date === today.dateKey) {
      at = instantAt(addDays(date, 7), minutesFor(start, tags, defaultHour), zone);
    }
  }

  if (!instantInRange(at)) return tooFar(said);
  if (at < now) {
    return { ok: false, message: `'${said}' is ${describeAbsolute(at, zone, now)}, which has passed.` };
  }
  return { ok: true, at, understood: understood(at, zone) };
}

function tooFar(said: string): ParseWhenResult {
  return { ok: false, message: `'${said}' is too far away: give a time ${INSTANT_RANGE_TEXT}.` };
}

/**
 * The result to act on: the first, except that chrono reads "Monday the 19th of April" as
 * two results ("Monday", "19th of April"); a bare weekday directly followed by a date gives
 * way to the date, and the weekday is kept to check against it.
 */
function pick(
  said: string,
  results: chrono.ParsedResult[],
): { result: chrono.ParsedResult; weekday: number | null } | null {
  const [first, second] = results;
  if (!first) return null;
  const bareWeekday = first.start.isCertain('weekday') && !first.start.isCertain('day');
  if (
    second &&
    bareWeekday &&
    /^[\s,]*(the\s*)?$/i.test(said.slice(first.index + first.text.length, second.index))
  ) {
    return { result: second, weekday: weekdayOfResult(first.start) };
  }
  return { result: first, weekday: null };
}

function namedWeekday(tags: Set<string>): number | null {
  for (const tag of tags)
    if (tag.startsWith(NAMED_WEEKDAY_TAG)) return Number(tag.slice(NAMED_WEEKDAY_TAG.length));
  return null;
}

/** The weekday a result names, else its date's; chrono counts 0 = Sunday. */
function weekdayOfResult(start: chrono.ParsedComponents): number {
  if (start.isCertain('weekday')) return ((start.get('weekday')! + 6) % 7) + 1;
  return weekdayOf(dateKeyOf(start));
}

/** The wall-clock date chrono settled on, known or implied. */
function dateKeyOf(start: chrono.ParsedComponents): string {
  return toDateKey(start.get('year')!, start.get('month')!, start.get('day')!);
}

function minutesFor(start: chrono.ParsedComponents, tags: Set<string>, defaultHour: number): number {
  if (start.isCertain('hour')) return start.get('hour')! * 60 + (start.get('minute') ?? 0);
  for (const [tag, minutes] of PART_OF_DAY) if (tags.has(tag)) return minutes;
  return defaultHour * 60;
}

/** "Tue 24 Nov 2026 15:00 America/New_York". */
function understood(at: number, zone: string): string {
  const p = localParts(at, zone);
  return `${weekdayName(p.weekday, true)} ${p.day} ${monthName(p.month)} ${p.year} ${formatHhmm(p.minutesOfDay)} ${zone}`;
}

const WEEKDAY_WORDS: Record<string, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };

/**
 * "Monday the 19th", "the 19th", "Tue 3rd": a day of the month, which chrono reads only
 * with a month name. It is the next such date from today (chrono's forwardDate reading). A
 * weekday said with it is passed on as a tag: when the date falls on another weekday,
 * parseWhen says so rather than guess a month nobody named.
 */
function dayOfMonthParser(today: LocalParts): chrono.Parser {
  return {
    pattern: () =>
      /\b(?:(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?(?:the\s+)?([12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b(?!\s*(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))/i,
    extract: (context, match) => {
      const day = Number(match[2]);
      const weekdayWord = match[1]?.toLowerCase();
      const weekday = weekdayWord ? WEEKDAY_WORDS[weekdayWord] : undefined;
      for (let i = 0; i < 12; i++) {
        const monthIndex = today.month - 1 + i;
        const year = today.year + Math.floor(monthIndex / 12);
        const month = (monthIndex % 12) + 1;
        if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) continue;
        const date = toDateKey(year, month, day);
        if (date < today.dateKey) continue;
        const components = context.createParsingComponents({ year, month, day });
        if (weekday !== undefined) components.addTag(`${NAMED_WEEKDAY_TAG}${weekday}`);
        return components;
      }
      return null;
    },
  };
}

function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

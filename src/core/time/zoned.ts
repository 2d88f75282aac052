/**
 * Wall-clock arithmetic in an IANA time zone with nothing but Intl: what a contact's clock
 * shows at an instant, which instant a local date and time is, and calendar steps over
 * local dates ("YYYY-MM-DD" keys) that never touch a clock.
 *
 * Across daylight-saving changes a local time that does not exist (spring forward) is moved
 * later by the length of the gap, and one that happens twice (fall back) takes the earlier
 * instant — the same choice as Temporal's "compatible" disambiguation, so a call planned for
 * 02:30 on the night clocks jump still happens, an hour of wall time later.
 *
 * @example
 * instantAt('2026-03-08', '02:30', 'America/New_York'); // 07:30Z, which New York reads as 03:30 EDT
 */

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface LocalParts {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** 'YYYY-MM-DD'. */
  dateKey: string;
  /** Minutes since local midnight, 0–1439. */
  minutesOfDay: number;
}

/** Building a DateTimeFormat costs far more than using one, so there is one per zone. */
const formatters = new Map<string, Intl.DateTimeFormat>();
const zoneValidity = new Map<string, boolean>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    if (!isValidZone(zone)) throw new RangeError(`Unknown time zone "${zone}"`);
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether Intl knows `zone` (IANA names and their aliases; case-insensitive, as Intl is). */
export function isValidZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone.trim() === '') return false;
  let valid = zoneValidity.get(zone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      valid = true;
    } catch {
      valid = false;
    }
    // Zones come from imported files too; a column of junk must not grow the cache for ever.
    if (zoneValidity.size >= 2048) zoneValidity.clear();
    zoneValidity.set(zone, valid);
  }
  return valid;
}

/** Local wall-clock reading of `instant` in `zone`, read as if it were UTC (whole seconds). */
function wallClock(instant: number, zone: string): number {
  const p = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  for (const part of formatter(zone).formatToParts(instant)) {
    if (part.type in p) p[part.type as keyof typeof p] = Number(part.value);
  }
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  // Date.UTC maps years 0–99 to 1900–1999; only matters for instants nobody schedules, but cheap to get right.
  return p.year < 100 ? new Date(wall).setUTCFullYear(p.year) : wall;
}

/**
 * Offsets in ms per zone and UTC day, kept for days whose first and last seconds have the same
 * offset (NaN marks a day with a change in it): formatToParts is the hot cost of localParts and
 * instantAt, and a day rather than an hour lets a year of attempt history share a few hundred
 * entries. As in instantAt, no zone changes its offset twice within a day. A day with a change
 * is read hour by hour, and an hour with a change inside it (half-hour zones, odd historical
 * instants) is still read exactly.
 */
const dayOffsets = new Map<string, Map<number, number>>();
const hourOffsets = new Map<string, Map<number, number>>();

/** wallClock(whole, zone) - whole, for a whole-second `whole`. */
function offsetMsAt(whole: number, zone: string): number {
  const day = Math.floor(whole / DAY);
  let days = dayOffsets.get(zone);
  let offset = days?.get(day);
  if (offset === undefined) {
    offset = constantOffset(day * DAY, DAY, zone);
    if (!days) {
      days = new Map();
      dayOffsets.set(zone, days);
    }
    // Bounded like zoneValidity: a century of days per zone is more than anything schedules.
    if (days.size >= 40_000) days.clear();
    days.set(day, offset);
  }
  return Number.isNaN(offset) ? hourOffsetMsAt(whole, zone) : offset;
}

/** The offset over [start, start + span) when its first and last seconds agree, else NaN. */
function constantOffset(start: number, span: number, zone: string): number {
  const first = wallClock(start, zone) - start;
  const lastSecond = start + span - 1000;
  return wallClock(lastSecond, zone) - lastSecond === first ? first : Number.NaN;
}

function hourOffsetMsAt(whole: number, zone: string): number {
  const hour = Math.floor(whole / HOUR) * HOUR;
  let hours = hourOffsets.get(zone);
  let offset = hours?.get(hour);
  if (offset === undefined) {
    offset = constantOffset(hour, HOUR, zone);
    if (!hours) {
      hours = new Map();
      hourOffsets.set(zone, hours);
    }
    if (hours.size >= 100_000) hours.clear();
    hours.set(hour, offset);
  }
  return Number.isNaN(offset) ? wallClock(whole, zone) - whole : offset;
}

/** The zone's offset from UTC at `instant`, in minutes (local = UTC + offset). */
export function offsetMinutesAt(instant: number, zone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return Math.round(offsetMsAt(whole, zone) / MINUTE);
}

export function localParts(instant: number, zone: string): LocalParts {
  if (!Number.isFinite(instant)) throw new RangeError(`Not an instant: ${instant}`);
  const whole = Math.floor(instant / 1000) * 1000;
  const d = new Date(whole + offsetMsAt(whole, zone));
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  const hour = d.getUTCHours();
  const minute = d.getUTCMinutes();
  return {
    year,
    month,
    day,
    hour,
    minute,
    second: d.getUTCSeconds(),
    weekday: ((d.getUTCDay() + 6) % 7) + 1,
    dateKey: toDateKey(year, month, day),
    minutesOfDay: hour * 60 + minute,
  };
}

/**
 * The instant at which the clock in `zone` shows `time` on `dateKey`. `time` is "HH:MM" or
 * minutes since midnight (1440 is the next midnight, handy for "end of day").
 */
export function instantAt(dateKey: string, time: string | number, zone: string): number {
  const minutes = typeof time === 'number' ? time : parseHhmm(time);
  if (!Number.isFinite(minutes)) throw new RangeError(`Not a time of day: ${time}`);
  const wall = dateKeyToUtc(dateKey) + minutes * MINUTE;
  // The offsets a day either side bracket any single transition near the wall time; no zone
  // changes its offset twice within two days.
  const before = offsetMinutesAt(wall - DAY, zone);
  const after = offsetMinutesAt(wall + DAY, zone);
  const candidates = before === after ? [before] : [before, after];
  let earliest = Number.POSITIVE_INFINITY;
  for (const offset of candidates) {
    const t = wall - offset * MINUTE;
    if (offsetMinutesAt(t, zone) === offset && t < earliest) earliest = t;
  }
  if (earliest !== Number.POSITIVE_INFINITY) return earliest;
  // In the gap: read the wall time with the offset from before the jump, which lands as far
  // past the jump as the wall time was past its start.
  return wall - before * MINUTE;
}

/** "09:30" → 570. Throws on anything that is not a 24-hour "HH:MM". */
export function parseHhmm(hhmm: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new RangeError(`Not a 24-hour time like "09:30": "${hhmm}"`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** 570 → "09:30"; 1440 → "24:00". */
export function formatHhmm(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

export function toDateKey(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const DATE_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Read dates by their key: a slot search reads the same few dates dozens of times per contact,
 * and the regular expression and the validity check are most of what that costs.
 */
const dateKeyTimes = new Map<string, number>();

/** Midnight UTC of the calendar date, the one representation calendar steps are done in. */
function dateKeyToUtc(dateKey: string): number {
  let t = dateKeyTimes.get(dateKey);
  if (t === undefined) {
    t = readDateKey(dateKey);
    // Bounded like the offsets: decades of dates, far more than any search reads.
    if (dateKeyTimes.size >= 20_000) dateKeyTimes.clear();
    dateKeyTimes.set(dateKey, t);
  }
  return t;
}

function readDateKey(dateKey: string): number {
  const m = DATE_KEY.exec(dateKey);
  if (!m) throw new RangeError(`Not a date like "2026-03-08": "${dateKey}"`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(year, month - 1, day);
  const d = new Date(t);
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) {
    throw new RangeError(`No such date: "${dateKey}"`);
  }
  return t;
}

function utcToDateKey(t: number): string {
  const d = new Date(t);
  return toDateKey(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function isDateKey(value: string): boolean {
  try {
    dateKeyToUtc(value);
    return true;
  } catch {
    return false;
  }
}

/** The date `n` calendar days after `dateKey` (negative goes back). */
export function addDays(dateKey: string, n: number): string {
  return utcToDateKey(dateKeyToUtc(dateKey) + n * DAY);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((dateKeyToUtc(to) - dateKeyToUtc(from)) / DAY);
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function weekdayOf(dateKey: string): number {
  return ((new Date(dateKeyToUtc(dateKey)).getUTCDay() + 6) % 7) + 1;
}

export function isBusinessDay(
  dateKey: string,
  workdays: readonly number[],
  holidays?: ReadonlySet<string>,
): boolean {
  return workdays.includes(weekdayOf(dateKey)) && !holidays?.has(dateKey);
}

/**
 * The business day `n` business days after `dateKey` (n = 0: the date itself if it is one,
 * else the next; negative n counts back). Days that are not business days are skipped.
 */
export function addBusinessDays(
  dateKey: string,
  n: number,
  workdays: readonly number[],
  holidays?: ReadonlySet<string>,
): string {
  if (!workdays.some((d) => d >= 1 && d <= 7)) throw new RangeError('workdays has no ISO weekday (1–7)');
  const step = n < 0 ? -1 : 1;
  let date = dateKey;
  let left = Math.abs(Math.trunc(n));
  if (left === 0) {
    // A run of holidays could in theory be long; a year of them is a configuration error.
    for (let i = 0; i < 366 && !isBusinessDay(date, workdays, holidays); i++) date = addDays(date, 1);
    return date;
  }
  for (let guard = 0; left > 0; guard++) {
    if (guard > 366 + Math.abs(n) * 7) throw new RangeError('holidays leave no business days');
    date = addDays(date, step);
    if (isBusinessDay(date, workdays, holidays)) left--;
  }
  return date;
}

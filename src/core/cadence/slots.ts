/**
 * Rule 4: pick the next attempt's time inside a range of days, avoiding the time-of-day bands
 * and weekdays of earlier unanswered attempts where the calling windows allow, and always
 * inside the calling hours of rule 12.
 *
 * With a learned model of when people answer (core/insights/best-time.ts), the slots that
 * honour rule 4 as well as the fixed choice would are ordered by the model instead of by
 * day: Thompson sampling from a seeded stream picks one, so likely slots win most often and
 * the model keeps exploring. Without a model, or before it has data, the fixed choice stands.
 */
import {
  type CallingContext,
  callingWindowsOn,
  isAllowedAt,
  nextAllowedAt,
} from '../calling-hours/calling-hours.js';
import { type BestTimeModel, chooseSlot as chooseLearnedSlot, type Segment } from '../insights/best-time.js';
import { BANDS, type Band, bandOf, bandRange } from '../time/bands.js';
import { addDays, daysBetween, instantAt, localParts, weekdayOf } from '../time/zoned.js';

const MINUTE = 60_000;
/** Looks this many days past the range for a day with calling hours before giving up. */
const OVERFLOW_DAYS = 14;

export interface SlotRequest {
  /** Not before this instant. */
  earliest: number;
  /** Local dates (contact's zone) to consider, inclusive. */
  fromDay: string;
  toDay: string;
  ctx: CallingContext;
  /** Bands and ISO weekdays of earlier unanswered attempts (repeats weigh more). */
  avoidBands: readonly Band[];
  avoidWeekdays: readonly number[];
  /** Earlier attempts on the same subject, for state caps. */
  capAttempts: readonly number[];
  /** In [0, 1): reproducible jitter inside the chosen band. */
  jitter: number;
  /** When learning is on: the model, the contact's segment and a seeded uniform stream. */
  learned?: LearnedTiming;
}

export interface LearnedTiming {
  model: BestTimeModel;
  segment: Segment;
  random: () => number;
}

interface Candidate {
  at: number;
  score: number;
}

export function chooseSlot(req: SlotRequest): number | null {
  return pickSlot(req).at;
}

/** The slot, and when the model chose it, why in words ("Tuesday mornings answer …"), or null. */
export function pickSlot(req: SlotRequest): { at: number | null; learned: string | null } {
  const span = Math.max(0, daysBetween(req.fromDay, req.toDay));
  let best: Candidate | null = null;
  // In-range slots and how well they honour rule 4 (lower is better), for the learned choice.
  const inRange: { at: number; band: Band; weekday: number; avoid: number }[] = [];
  for (let i = 0; i <= span + OVERFLOW_DAYS; i++) {
    if (i > span && best) break;
    const day = addDays(req.fromDay, i);
    const weekday = weekdayOf(day);
    const bands = bandInstants(day, req.ctx.zone);
    for (const w of callingWindowsOn(day, req.ctx)) {
      for (const [b, band] of BANDS.entries()) {
        const bandStart = bands[b]!.start;
        const bandEnd = bands[b]!.end ?? w.end;
        const start = Math.max(w.start, bandStart, req.earliest);
        const end = Math.min(w.end, bandEnd);
        if (end - start < 10 * MINUTE) continue;
        // Jitter within the first part of the band, on a 5-minute grid: calls land at times people expect.
        const room = Math.min(end - start - 5 * MINUTE, 45 * MINUTE);
        const at = roundUp(start + Math.floor(req.jitter * room), 5 * MINUTE, end - MINUTE);
        const avoid = count(req.avoidBands, band) * 10 + count(req.avoidWeekdays, weekday) * 4;
        // Later days within the range cost a little, past the range a lot.
        const score = avoid + (i > span ? 100 + i : i);
        if (!best || score < best.score) best = { at, score };
        if (i <= span) inRange.push({ at, band, weekday, avoid });
      }
    }
  }
  if (!best) return { at: nextAllowedAt(req.earliest, req.ctx, req.capAttempts), learned: null };
  let chosen = best.at;
  let learned: string | null = null;
  if (req.learned?.model.hasData && inRange.length > 1) {
    const fewest = Math.min(...inRange.map((c) => c.avoid));
    const honoured = inRange.filter(
      (c) => c.avoid === fewest && isAllowedAt(c.at, req.ctx, req.capAttempts).ok,
    );
    // The model picks the time of day on the day the fixed cadence would call: waiting longer
    // for a better weekday costs attempts that the curves rarely pay back.
    const day = Math.min(...honoured.map((c) => dayOf(c.at, req.ctx.zone)));
    const allowed = honoured.filter((c) => dayOf(c.at, req.ctx.zone) === day);
    const choice = chooseLearnedSlot(req.learned.model, req.learned.segment, allowed, req.learned.random);
    if (choice) {
      chosen = choice.slot.at;
      learned = choice.reason;
    }
  }
  if (isAllowedAt(chosen, req.ctx, req.capAttempts).ok) return { at: chosen, learned };
  return { at: nextAllowedAt(chosen, req.ctx, req.capAttempts), learned: null };
}

/**
 * Where each band of a local date starts and ends (null: the band runs to the end of the day).
 * The same few dates in the same zones come up for every contact of a queue, and each instant
 * costs a time-zone reading, so they are kept by zone and date.
 */
const bandInstantsByDay = new Map<string, { start: number; end: number | null }[]>();

function bandInstants(day: string, zone: string): { start: number; end: number | null }[] {
  const key = `${zone} ${day}`;
  let found = bandInstantsByDay.get(key);
  if (!found) {
    found = BANDS.map((band) => {
      const range = bandRange(band);
      return {
        start: instantAt(day, range.start, zone),
        end: range.end >= 24 * 60 ? null : instantAt(day, range.end, zone),
      };
    });
    if (bandInstantsByDay.size >= 10_000) bandInstantsByDay.clear();
    bandInstantsByDay.set(key, found);
  }
  return found;
}

/** Days since the epoch of an instant's local date: comparable, cheap. */
function dayOf(t: number, zone: string): number {
  return Math.floor(Date.parse(`${localParts(t, zone).dateKey}T00:00:00Z`) / 86_400_000);
}

function count<T>(list: readonly T[], item: T): number {
  let n = 0;
  for (const x of list) if (x === item) n++;
  return n;
}

function roundUp(t: number, step: number, max: number): number {
  const r = Math.ceil(t / step) * step;
  return r <= max ? r : t;
}

/** Bands and weekdays of attempts, in the contact's zone. */
export function bandsAndWeekdays(
  instants: readonly number[],
  zone: string,
): { bands: Band[]; weekdays: number[] } {
  const bands: Band[] = [];
  const weekdays: number[] = [];
  for (const t of instants) {
    const p = localParts(t, zone);
    bands.push(bandOf(p.minutesOfDay));
    weekdays.push(p.weekday);
  }
  return { bands, weekdays };
}

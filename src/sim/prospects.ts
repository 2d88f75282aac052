/**
 * Draws a population's prospects: for each, its segment, where it lives, its own answer
 * propensity (0 for the unreachable share, else a draw from the segment's Beta), whether a
 * voicemail box picks up, its away spells and a direct number in its area. Seeded: the same
 * population, count and seed give the same prospects.
 */

import { sampleBeta } from '../core/insights/best-time.js';
import { normalizePhone } from '../core/phone/normalize.js';
import type { Rng } from '../core/random.js';
import { NANP_AREA_CODES } from '../core/time/nanp-area-codes.js';
import { addDays, instantAt } from '../core/time/zoned.js';
import type { Population, Segment } from './population.js';

const DAY = 86_400_000;

export interface Prospect {
  /** 1-based; also the simulated contact's and enrollment's id. */
  id: number;
  segment: number;
  /** The segment's name, as a real contact carries a title. */
  title: string;
  kind: Segment['kind'];
  zone: string;
  state: string | null;
  /** Chance of answering a dial at a neutral hour and day, before decay. */
  propensity: number;
  voicemailBox: boolean;
  number: string;
  /** Spells [from, to) during which only a gatekeeper or the voicemail answers. */
  away: readonly [number, number][];
  /** Index of the rep who owns the prospect. */
  rep: number;
}

/** Prospects of a population over `days` days from `startDay` (in the reps' zone). */
export function drawProspects(
  population: Population,
  count: number,
  reps: number,
  startDay: string,
  days: number,
  rng: Rng,
): Prospect[] {
  const counts = apportion(
    population.segments.map((s) => s.share),
    count,
  );
  const start = instantAt(startDay, '00:00', population.reps.zone);
  const end = instantAt(addDays(startDay, days), '00:00', population.reps.zone);
  const prospects: Prospect[] = [];
  const serial = new Map<string, number>();
  for (const [s, seg] of population.segments.entries()) {
    const areas = areasBy(seg);
    for (let i = 0; i < counts[s]!; i++) {
      const id = prospects.length + 1;
      const zone = rng.weighted(seg.zones);
      const state = seg.states ? rng.weighted(seg.states) : null;
      const reachable = !rng.chance(seg.unreachable);
      const area = pickArea(areas, state, zone, rng);
      const n = (serial.get(area) ?? 0) + 1;
      serial.set(area, n);
      prospects.push({
        id,
        segment: s,
        title: seg.name,
        kind: seg.kind,
        zone,
        state,
        propensity: reachable ? sampleBeta(seg.answer.alpha, seg.answer.beta, rng.next) : 0,
        voicemailBox: rng.chance(seg.voicemailBox),
        // Exchanges 200–999 and four digits: valid in the plan, never a 555 fiction.
        number: `+1${area}${200 + Math.floor(n / 10_000)}${String(n % 10_000).padStart(4, '0')}`,
        away: awaySpells(seg, start, end, rng),
        rep: 0,
      });
    }
  }
  // Owners round-robin over a shuffled order, so every rep gets every segment.
  const order = rng.shuffle(prospects.map((_, i) => i));
  for (const [k, i] of order.entries()) prospects[i]!.rep = k % reps;
  return prospects;
}

/** Whole counts proportional to weights, summing to `total` (largest remainder). */
function apportion(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const counts = exact.map(Math.floor);
  const order = exact
    .map((x, i) => [x - Math.floor(x), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; k < total - counts.reduce((a, b) => a + b, 0); k++)
    counts[order[k % order.length]![1]]! += 1;
  return counts;
}

function areasBy(seg: Segment): { byState: Map<string, string[]>; byZone: Map<string, string[]> } {
  const byState = new Map<string, string[]>();
  const byZone = new Map<string, string[]>();
  for (const [code, area] of NANP_AREA_CODES) {
    // Only codes the phone library knows as valid: a simulated contact must import and screen.
    if (area.country !== 'US' || area.guess || !normalizePhone(`+1${code}2000001`, 'US').ok) continue;
    if (area.region && seg.states?.[area.region] !== undefined) push(byState, area.region, code);
    if (seg.zones[area.zone] !== undefined) push(byZone, area.zone, code);
  }
  return { byState, byZone };
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function pickArea(areas: ReturnType<typeof areasBy>, state: string | null, zone: string, rng: Rng): string {
  const list = (state && areas.byState.get(state)) || areas.byZone.get(zone);
  // A zone outside the US plan still needs a number: a New York one, so the caller ID reads.
  return list && list.length > 0 ? rng.pick(list) : '212';
}

function awaySpells(seg: Segment, start: number, end: number, rng: Rng): [number, number][] {
  const years = (end - start) / (365 * DAY);
  const spells: [number, number][] = [];
  // Poisson arrivals: exponential gaps at the segment's yearly rate.
  if (seg.awayPerYear <= 0) return spells;
  let t = start;
  for (;;) {
    t += (-Math.log(1 - rng.next()) / seg.awayPerYear) * 365 * DAY;
    if (t >= end || spells.length > 52 * years + 10) break;
    const length = rng.int(seg.awayDays[0], seg.awayDays[1]) * DAY;
    spells.push([t, t + length]);
    t += length;
  }
  return spells;
}

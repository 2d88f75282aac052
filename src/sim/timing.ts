/**
 * The simulator's three timings: what the cadence knows about when people answer.
 * - `fixed`: the cadence as configured, learning off.
 * - `adaptive`: the product's best-time model (core/insights/best-time.ts) learning from the
 *   simulated dials as they happen — refreshed at the start of every block, nothing known in
 *   advance — and the cadence's own learned slot choice.
 * - `oracle`: the same slot choice fed each segment's true answer curves, as if learned from
 *   endless calls: an upper bound that knows no prospect's own propensity and obeys every rule
 *   the others obey.
 * What a learner may see of a contact is what a real record shows: campaign, kind, zone, title.
 */
import { nextStep } from '../core/cadence/next-step.js';
import {
  type BestTimeModel,
  buildModel,
  type CellCount,
  regionOfZone,
  type Segment,
  segmentKey,
  titleGroup,
} from '../core/insights/best-time.js';
import { BANDS, type Band, bandOf, bandRange } from '../core/time/bands.js';
import { localParts } from '../core/time/zoned.js';
import type { Observer, Planner, SimCampaign, Timing } from './engine.js';
import { type Population, timeMultiplier } from './population.js';
import type { Prospect } from './prospects.js';

export interface TimingHooks {
  planner: Planner;
  observe?: Observer;
  onBlock?: (at: number) => void;
}

/** How many dials' worth of certainty the oracle's curves carry: enough to make sampling choose the best. */
const ORACLE_DIALS = 1_000_000;

export function plannerFor(
  timing: Timing,
  population: Population,
  campaign: SimCampaign,
  seed: number,
): TimingHooks {
  const segments = new Map<number, Segment>();
  const segmentOf = (p: Prospect): Segment => {
    let s = segments.get(p.id);
    if (!s) {
      s = {
        campaignId: campaign.id,
        kind: p.kind,
        region: regionOfZone(p.zone),
        titleGroup: titleGroup(p.title),
      };
      segments.set(p.id, s);
    }
    return s;
  };
  const learnedBy = (model: () => BestTimeModel): Planner => {
    return (input, p) => nextStep({ ...input, bestTime: { model: model(), segment: segmentOf(p), seed } });
  };
  switch (timing) {
    case 'fixed':
      return {
        planner: (input) =>
          nextStep({
            ...input,
            campaign: { ...input.campaign, policy: { ...input.campaign.policy, learnBestTime: false } },
          }),
      };
    case 'oracle': {
      const model = oracleModel(population, campaign);
      return { planner: learnedBy(() => model) };
    }
    case 'adaptive': {
      const counts = new Map<string, CellCount>();
      let model = buildModel([]);
      return {
        planner: learnedBy(() => model),
        observe: (p, at, answered) => {
          const local = localParts(at, p.zone);
          const segment = segmentOf(p);
          const band = bandOf(local.minutesOfDay);
          const key = `${segmentKey(segment)}|${band}|${local.weekday}`;
          const cell = counts.get(key);
          if (cell) {
            cell.dials++;
            cell.answers += answered ? 1 : 0;
          } else
            counts.set(key, { segment, band, weekday: local.weekday, dials: 1, answers: answered ? 1 : 0 });
        },
        // The product's model is read from the day's roll-ups; a block is the simulator's unit.
        onBlock: () => {
          model = buildModel([...counts.values()]);
        },
      };
    }
  }
}

/** Each segment's true answer rate per band and weekday, in every zone it lives in. */
export function oracleModel(population: Population, campaign: SimCampaign): BestTimeModel {
  const cells: CellCount[] = [];
  for (const seg of population.segments) {
    const mean = (1 - seg.unreachable) * (seg.answer.alpha / (seg.answer.alpha + seg.answer.beta));
    for (const zone of Object.keys(seg.zones)) {
      const segment: Segment = {
        campaignId: campaign.id,
        kind: seg.kind,
        region: regionOfZone(zone),
        titleGroup: titleGroup(seg.name),
      };
      for (const band of BANDS) {
        for (let weekday = 1; weekday <= 7; weekday++) {
          const rate = Math.min(1, mean * bandMultiplier(seg, band, weekday));
          cells.push({
            segment,
            band,
            weekday,
            dials: ORACLE_DIALS,
            answers: Math.round(rate * ORACLE_DIALS),
          });
        }
      }
    }
  }
  return buildModel(cells);
}

/** The segment's multiplier averaged over the band's calling hours (08:00–21:00, the legal bound). */
function bandMultiplier(seg: Population['segments'][number], band: Band, weekday: number): number {
  const { start, end } = bandRange(band);
  let sum = 0;
  let n = 0;
  for (let minute = Math.max(start, 8 * 60); minute < Math.min(end, 21 * 60); minute += 30) {
    sum += timeMultiplier(seg, Math.floor(minute / 60), weekday);
    n++;
  }
  return n > 0 ? sum / n : 0;
}

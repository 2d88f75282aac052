/**
 * Best time to call, learned: a Beta-Binomial model of the chance a dial reaches the contact
 * live, per segment (campaign × contact kind × region × title group) × time-of-day band ×
 * weekday, with hierarchical shrinkage — a segment's cell borrows strength from the campaign's
 * same cell, which borrows from the workspace's, which borrows from the workspace's overall
 * rate — so a sparse cell says "like the campaign" until its own calls say otherwise.
 *
 * The cadence (and the simulator's adaptive timing) uses it in three calls, all pure:
 *
 *   const model = buildModel(cellCounts);                     // from the roll-ups' counts
 *   posterior(model, segment, 'morning', 2);                  // → { alpha, beta, mean, dials }
 *   chooseSlot(model, segment, legalSlots, mulberry32(seed)); // → { index, slot, draws, reason }
 *
 * chooseSlot is Thompson sampling: one draw from each candidate's posterior, the highest wins,
 * so likely slots win most often and uncertain ones still get tried. The candidates are the
 * slots the cadence already allows (rules 1–4 and 12); the model only orders them. Same model,
 * candidates and random stream → same choice. With no dials at all the model knows nothing and
 * `hasData` is false: callers keep the fixed cadence then.
 */
import type { ContactKind } from '../contact-fields.js';
import { type Band, weekdayName } from '../time/bands.js';

export interface Segment {
  campaignId: number | null;
  kind: ContactKind;
  /** Where the contact is, in words ("Chicago"): see regionOfZone. */
  region: string;
  /** What the title says that predicts reachability: see titleGroup. */
  titleGroup: string;
}

/** Dials and live answers of one segment in one band of one weekday (1 = Monday … 7). */
export interface CellCount {
  segment: Segment;
  band: Band;
  weekday: number;
  dials: number;
  answers: number;
}

export interface Posterior {
  alpha: number;
  beta: number;
  mean: number;
  /** The segment cell's own dials (0 when everything is borrowed). */
  dials: number;
}

export interface ModelOptions {
  /**
   * How many dials' worth of weight a parent's rate carries in a child cell: with 20, a cell of
   * 20 dials is half its own rate and half its parent's.
   */
  strength?: number;
}

interface Tally {
  dials: number;
  answers: number;
}

export interface BestTimeModel {
  strength: number;
  /** All dials the model learned from. */
  dials: number;
  hasData: boolean;
  workspace: Tally;
  workspaceCells: Map<string, Tally>;
  campaignCells: Map<string, Tally>;
  segmentCells: Map<string, Tally>;
  segments: Map<string, Tally>;
}

export interface Slot {
  at: number;
  band: Band;
  weekday: number;
}

export interface SlotChoice {
  index: number;
  slot: Slot;
  /** The draw of each candidate, in their order. */
  draws: number[];
  /** Why this slot, in words; null when it is no better than the segment's usual. */
  reason: string | null;
}

const DEFAULT_STRENGTH = 20;

export const segmentKey = (s: Segment) => `${s.campaignId ?? '-'}|${s.kind}|${s.region}|${s.titleGroup}`;
const cellKey = (band: Band, weekday: number) => `${band}|${weekday}`;

function add(map: Map<string, Tally>, key: string, dials: number, answers: number): void {
  const t = map.get(key);
  if (t) {
    t.dials += dials;
    t.answers += answers;
  } else map.set(key, { dials, answers });
}

export function buildModel(counts: readonly CellCount[], options: ModelOptions = {}): BestTimeModel {
  const model: BestTimeModel = {
    strength: options.strength ?? DEFAULT_STRENGTH,
    dials: 0,
    hasData: false,
    workspace: { dials: 0, answers: 0 },
    workspaceCells: new Map(),
    campaignCells: new Map(),
    segmentCells: new Map(),
    segments: new Map(),
  };
  for (const c of counts) {
    const cell = cellKey(c.band, c.weekday);
    model.dials += c.dials;
    model.workspace.dials += c.dials;
    model.workspace.answers += c.answers;
    add(model.workspaceCells, cell, c.dials, c.answers);
    add(model.campaignCells, `${c.segment.campaignId ?? '-'}|${cell}`, c.dials, c.answers);
    add(model.segmentCells, `${segmentKey(c.segment)}|${cell}`, c.dials, c.answers);
    add(model.segments, segmentKey(c.segment), c.dials, c.answers);
  }
  model.hasData = model.dials > 0;
  return model;
}

/** Beta posterior of a tally under a prior of `strength` dials at the parent's mean. */
function shrink(t: Tally | undefined, parentMean: number, strength: number): Posterior {
  const dials = t?.dials ?? 0;
  const answers = t?.answers ?? 0;
  const alpha = answers + strength * parentMean;
  const beta = dials - answers + strength * (1 - parentMean);
  return { alpha, beta, mean: alpha / (alpha + beta), dials };
}

export function posterior(model: BestTimeModel, segment: Segment, band: Band, weekday: number): Posterior {
  const cell = cellKey(band, weekday);
  // The workspace's overall rate, from a uniform prior.
  const base = (model.workspace.answers + 1) / (model.workspace.dials + 2);
  const ws = shrink(model.workspaceCells.get(cell), base, model.strength);
  const campaign = shrink(
    model.campaignCells.get(`${segment.campaignId ?? '-'}|${cell}`),
    ws.mean,
    model.strength,
  );
  return shrink(model.segmentCells.get(`${segmentKey(segment)}|${cell}`), campaign.mean, model.strength);
}

/** The segment's rate over every band and weekday, shrunk the same way: what "usual" means. */
function usual(model: BestTimeModel, segment: Segment): number {
  const base = (model.workspace.answers + 1) / (model.workspace.dials + 2);
  return shrink(model.segments.get(segmentKey(segment)), base, model.strength).mean;
}

/** A standard normal draw (Box–Muller) from a uniform stream. */
function normal(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** A Gamma(shape, 1) draw (Marsaglia–Tsang; boosted below shape 1). */
function gamma(shape: number, random: () => number): number {
  if (shape < 1) return gamma(shape + 1, random) * (1 - random()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A Beta(alpha, beta) draw from a seeded uniform stream. */
export function sampleBeta(alpha: number, beta: number, random: () => number): number {
  const x = gamma(alpha, random);
  const y = gamma(beta, random);
  return x / (x + y);
}

export function chooseSlot(
  model: BestTimeModel,
  segment: Segment,
  candidates: readonly Slot[],
  random: () => number,
): SlotChoice | null {
  if (candidates.length === 0) return null;
  const draws = candidates.map((s) => {
    const p = posterior(model, segment, s.band, s.weekday);
    return sampleBeta(p.alpha, p.beta, random);
  });
  let index = 0;
  for (let i = 1; i < draws.length; i++) if (draws[i]! > draws[index]!) index = i;
  const slot = candidates[index]!;
  return { index, slot, draws, reason: reasonFor(model, segment, slot.band, slot.weekday) };
}

const BAND_PLURAL: Record<Band, string> = {
  early: 'early mornings',
  morning: 'mornings',
  midday: 'middays',
  afternoon: 'afternoons',
  late: 'late afternoons',
};

/**
 * "Tuesday mornings answer about twice as often for finance contacts in Chicago": the cell's
 * rate against the segment's usual one. Null when the cell is not at least 15 % better or
 * when the segment's own calls never touched that cell (nothing learned to cite).
 */
export function reasonFor(
  model: BestTimeModel,
  segment: Segment,
  band: Band,
  weekday: number,
): string | null {
  const p = posterior(model, segment, band, weekday);
  const campaignCell = model.campaignCells.get(`${segment.campaignId ?? '-'}|${cellKey(band, weekday)}`);
  if (p.dials === 0 && !campaignCell) return null;
  const ratio = p.mean / usual(model, segment);
  if (!(ratio >= 1.15)) return null;
  const rounded = Math.round(ratio * 2) / 2;
  const often =
    rounded < 1.5
      ? 'a little more often'
      : rounded === 1.5
        ? 'half again as often'
        : rounded === 2
          ? 'twice as often'
          : `${rounded} times as often`;
  const who = `${segment.titleGroup === 'other' ? '' : `${segment.titleGroup} `}${segment.kind === 'consumer' ? 'consumers' : 'contacts'}`;
  const where = segment.region ? ` in ${segment.region}` : '';
  return `${weekdayName(weekday)} ${BAND_PLURAL[band]} answer about ${often} for ${who}${where}`;
}

/** "America/Chicago" → "Chicago": the city an IANA zone is named after. */
export function regionOfZone(zone: string): string {
  const city = zone.split('/').pop() ?? '';
  return city.replaceAll('_', ' ');
}

const TITLE_GROUPS: [group: string, pattern: RegExp][] = [
  ['executive', /\b(ceo|coo|cto|founder|owner|president|chief|principal|partner|managing director)\b/],
  ['finance', /\b(cfo|finance|financial|controller|accounting|accountant|treasur\w*)\b/],
  ['sales', /\b(sales|account executive|business development|bdr|sdr)\b/],
  ['marketing', /\b(marketing|brand|growth|cmo)\b/],
  ['people', /\b(hr|human resources|people|talent|recruit\w*)\b/],
  ['technology', /\b(it|engineer\w*|developer|technology|cio|software)\b/],
  ['operations', /\b(operations|ops|logistics|supply|procurement|purchasing)\b/],
];

/**
 * What a title says about reachability: a known function ("VP Finance" → finance), else the
 * title itself, lower-cased (so a simulator's segment names stay apart), else "other".
 */
export function titleGroup(title: string): string {
  const t = title.trim().toLowerCase();
  if (!t) return 'other';
  for (const [group, pattern] of TITLE_GROUPS) if (pattern.test(t)) return group;
  return t.slice(0, 40);
}

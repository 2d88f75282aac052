/**
 * The roll-up row of an attempt: what the insights count it under. Every insight of a period
 * (heatmap, first connect, advisor, cost) reads these counts instead of the attempts, so a
 * year's view costs the same at ten million attempts as at ten thousand.
 *
 *   rollupOf({ at, zone, userId, campaignId, arm, attempt: 3, fresh: true, outcome, durationS })
 *   // → { hourAt, localHour, weekday, band, attempt: 3, fresh: 1, …, dials: 1, timedDials, timedSeconds }
 *
 * Keys are UTC hours (hourAt, the start of the hour in ms), so any period in whole hours is read
 * exactly; a missing user, campaign or arm is stored as 0 / '' (so the key has no nulls).
 */
import type { ExperimentArm, Outcome } from '../cadence/types.js';
import { type Band, bandOf } from '../time/bands.js';
import { localParts } from '../time/zoned.js';

export const HOUR_MS = 3_600_000;

export interface RollupFacts {
  at: number;
  /** The contact's zone: the hour and weekday are theirs, where reachability lives. */
  zone: string;
  userId: number | null;
  campaignId: number | null;
  arm: ExperimentArm | null;
  /** 1 for the enrollment's first attempt. */
  attempt: number;
  /** True when nobody had been reached live in this enrollment before this attempt. */
  fresh: boolean;
  outcome: Outcome;
  durationS: number | null;
}

export interface RollupKey {
  hourAt: number;
  userId: number;
  campaignId: number;
  arm: ExperimentArm | '';
  localHour: number;
  /** 1 = Monday … 7 = Sunday, in the contact's zone. */
  weekday: number;
  band: Band;
  attempt: number;
  fresh: 0 | 1;
  outcome: Outcome;
}

export interface RollupRow extends RollupKey {
  dials: number;
  timedDials: number;
  timedSeconds: number;
}

export const hourOf = (at: number) => Math.floor(at / HOUR_MS) * HOUR_MS;

export function rollupOf(f: RollupFacts): RollupRow {
  const local = localParts(f.at, f.zone);
  return {
    hourAt: hourOf(f.at),
    userId: f.userId ?? 0,
    campaignId: f.campaignId ?? 0,
    arm: f.arm ?? '',
    localHour: local.hour,
    weekday: local.weekday,
    band: bandOf(local.hour * 60 + local.minute),
    attempt: f.attempt,
    fresh: f.fresh ? 1 : 0,
    outcome: f.outcome,
    dials: 1,
    timedDials: f.durationS === null ? 0 : 1,
    timedSeconds: f.durationS ?? 0,
  };
}

const keyOf = (r: RollupKey) =>
  `${r.hourAt}|${r.userId}|${r.campaignId}|${r.arm}|${r.localHour}|${r.weekday}|${r.band}|${r.attempt}|${r.fresh}|${r.outcome}`;

/** Rows with the same key added together, for writing a batch in few statements. */
export function mergeRollups(rows: readonly RollupRow[]): RollupRow[] {
  const out = new Map<string, RollupRow>();
  for (const r of rows) {
    const k = keyOf(r);
    const t = out.get(k);
    if (t) {
      t.dials += r.dials;
      t.timedDials += r.timedDials;
      t.timedSeconds += r.timedSeconds;
    } else out.set(k, { ...r });
  }
  return [...out.values()];
}

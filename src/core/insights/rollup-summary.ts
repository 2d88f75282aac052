/**
 * The insights that come from the roll-ups (core/insights/rollup.ts), summed by the store over a
 * period: reachability by the contact's local hour and weekday (the heatmap), attempts to first
 * connect and the attempt-limit advisor per campaign, and what the calls cost in minutes.
 *
 *   summarizeRollups({ cells, attempts, durations }, callbacksEarned)
 *   // → { heatmap, firstConnect, advisor, cost }
 */
import { LIVE_OUTCOMES, type Outcome } from '../cadence/types.js';
import { type Advice, type AttemptYieldCount, adviseLimit } from './advisor.js';
import { type Cost, costInMinutes } from './cost.js';
import { type FirstConnectPoint, firstConnectCurve } from './first-connect.js';

/** Dials of one outcome in one local hour of one weekday. */
export interface HourCount {
  weekday: number;
  localHour: number;
  outcome: Outcome;
  dials: number;
}

/** Dials of one outcome at one attempt number of a campaign; `fresh`: nobody reached before it. */
export interface AttemptCount {
  campaignId: number;
  attempt: number;
  fresh: boolean;
  outcome: Outcome;
  dials: number;
}

export interface OutcomeDuration {
  outcome: Outcome;
  dials: number;
  timedDials: number;
  timedSeconds: number;
}

export interface RollupInput {
  cells: readonly HourCount[];
  attempts: readonly AttemptCount[];
  durations: readonly OutcomeDuration[];
}

export interface HeatCell {
  /** 1 = Monday … 7 = Sunday, in the contact's zone. */
  weekday: number;
  /** 0–23, the contact's local hour. */
  hour: number;
  dials: number;
  conversations: number;
}

export interface CampaignFirstConnect extends FirstConnectPoint {
  campaignId: number;
}

export interface CampaignAdvice extends Advice {
  campaignId: number;
}

export interface RollupSummary {
  heatmap: HeatCell[];
  firstConnect: CampaignFirstConnect[];
  advisor: CampaignAdvice[];
  cost: Cost;
}

const live = (o: Outcome) => LIVE_OUTCOMES.has(o);

export function summarizeRollups(input: RollupInput, callbacksEarned: number): RollupSummary {
  const cells = new Map<number, HeatCell>();
  for (const c of input.cells) {
    const key = c.weekday * 24 + c.localHour;
    let cell = cells.get(key);
    if (!cell) {
      cell = { weekday: c.weekday, hour: c.localHour, dials: 0, conversations: 0 };
      cells.set(key, cell);
    }
    cell.dials += c.dials;
    if (live(c.outcome)) cell.conversations += c.dials;
  }

  // Only attempts to people not yet reached: a call after a conversation is another matter.
  const byCampaign = new Map<number, Map<number, AttemptYieldCount>>();
  for (const a of input.attempts) {
    if (!a.fresh || a.campaignId === 0 || a.attempt < 1) continue;
    let attempts = byCampaign.get(a.campaignId);
    if (!attempts) {
      attempts = new Map();
      byCampaign.set(a.campaignId, attempts);
    }
    let y = attempts.get(a.attempt);
    if (!y) {
      y = { attempt: a.attempt, dials: 0, conversations: 0, appointments: 0 };
      attempts.set(a.attempt, y);
    }
    y.dials += a.dials;
    if (live(a.outcome)) y.conversations += a.dials;
    if (a.outcome === 'appointment_set') y.appointments += a.dials;
  }
  const firstConnect: CampaignFirstConnect[] = [];
  const advisor: CampaignAdvice[] = [];
  for (const campaignId of [...byCampaign.keys()].sort((x, y) => x - y)) {
    const counts = [...byCampaign.get(campaignId)!.values()].sort((x, y) => x.attempt - y.attempt);
    for (const p of firstConnectCurve(
      counts.map((c) => ({ attempt: c.attempt, atRisk: c.dials, reached: c.conversations })),
    )) {
      firstConnect.push({ campaignId, ...p });
    }
    advisor.push({ campaignId, ...adviseLimit(counts) });
  }

  return {
    heatmap: [...cells.values()].sort((a, b) => a.weekday - b.weekday || a.hour - b.hour),
    firstConnect,
    advisor,
    cost: costInMinutes(
      input.durations.map((d) => ({ ...d, voicemailLeft: d.outcome === 'voicemail_left' })),
      callbacksEarned,
    ),
  };
}

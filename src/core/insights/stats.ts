/**
 * The insights maths: counts from the store in, the numbers a team argues with out. Pure: the
 * store groups rows by user, campaign, experiment arm and outcome; this module decides what a
 * conversation is, what a rate is and whether an arm of the voicemail experiment did better.
 *
 *   summarizeStats({ outcomes, callbacks, blocks, arms }) // → totals, byCampaign, byUser, experiments
 *
 * Rules:
 * - a dial is an attempt; a conversation is an attempt whose outcome put the contact on the line
 *   (cadence's LIVE_OUTCOMES); an appointment is an `appointment_set` outcome;
 * - a callback received is an inbound call from a known contact; it is credited to a voicemail
 *   when screening linked it to the attempt that left one (DESIGN: "a callback received counts
 *   for the voicemail that earned it"), and to that attempt's campaign;
 * - dials per hour count only dials made inside call blocks, over the blocks' length, and only
 *   once there are MIN_BLOCK_MS of them (two dials in a 30-second block are not 240 an hour);
 * - the experiment compares enrollments (the unit randomised), not dials: of those dialled in
 *   the period, the share reached live and the share that called back, per arm.
 */
import { type ExperimentArm, LIVE_OUTCOMES, type Outcome } from '../cadence/types.js';
import { type ArmVerdict, judgeArms } from './experiment.js';
import type { Interval } from './intervals.js';

const HOUR = 3_600_000;

/** Attempts with the same user, campaign, arm, outcome and voicemail flag. */
export interface OutcomeCount {
  userId: number | null;
  campaignId: number | null;
  outcome: Outcome;
  voicemailLeft: boolean;
  count: number;
}

/** Inbound calls from known contacts, grouped by who took them and what earned them. */
export interface CallbackCount {
  userId: number;
  /** The campaign of the attempt that earned the callback; null when none did. */
  campaignId: number | null;
  /** True when that attempt left a voicemail. */
  fromVoicemail: boolean;
  count: number;
  /**
   * Distinct voicemails these calls were credited to (two calls after one voicemail are one);
   * without it, each call from a voicemail counts as one.
   */
  voicemailsCalledBack?: number;
}

/** A call block that started in the period, with the dials made inside it. */
export interface BlockSpan {
  userId: number;
  startedAt: number;
  /** When it ended, or its planned end while it runs (capped at now by the store's caller). */
  endAt: number;
  dials: number;
}

/** Enrollments of an experiment campaign's arm that were dialled in the period. */
export interface ArmCount {
  campaignId: number;
  arm: ExperimentArm;
  enrollments: number;
  dials: number;
  voicemailsLeft: number;
  /** Enrollments with at least one conversation. */
  reached: number;
  /** Enrollments whose contact called in after their first dial in the period. */
  calledBack: number;
}

export interface StatsInput {
  outcomes: readonly OutcomeCount[];
  callbacks: readonly CallbackCount[];
  blocks: readonly BlockSpan[];
  arms: readonly ArmCount[];
}

/** A share with what it is a share of, so a reader sees the sample size; null when n is 0. */
export interface Rate {
  count: number;
  of: number;
  rate: number | null;
}

/** The raw counts behind a line of the insights. */
interface Tally {
  dials: number;
  conversations: number;
  voicemailsLeft: number;
  callbacksReceived: number;
  /** Callbacks credited to a voicemail left. */
  callbacksFromVoicemail: number;
  /** Voicemails left that earned at least one callback. */
  voicemailsCalledBack: number;
  appointmentsSet: number;
}

export interface Counts extends Tally {
  /** Conversations per dial. */
  conversationRate: Rate;
  /** Voicemails that earned a callback, per voicemail left. */
  callbackRate: Rate;
  /** Appointments per conversation. */
  appointmentRate: Rate;
}

export interface BlockTime {
  blocks: number;
  hours: number;
  dialsInBlocks: number;
  /** Null with less than MIN_BLOCK_MS of block time. */
  dialsPerHour: number | null;
}

export interface ArmStats {
  arm: ExperimentArm;
  enrollments: number;
  dials: number;
  voicemailsLeft: number;
  callbackRate: Rate;
  conversationRate: Rate;
}

export type Verdict = 'too_few' | 'leave_better' | 'skip_better' | 'no_clear_difference';

export interface Comparison {
  /** leave − skip, in points of share; null when either arm is empty. */
  difference: number | null;
  /** Two-proportion z statistic; null when it cannot be computed. */
  z: number | null;
  verdict: Verdict;
}

/** An experiment's comparison as the insights show it: the verdict judged by judgeArms. */
export interface JudgedComparison {
  difference: number | null;
  z: number | null;
  verdict: ArmVerdict;
  differenceInterval: Interval | null;
  leaveInterval: Interval | null;
  skipInterval: Interval | null;
  probabilityLeaveBetter: number | null;
  reason: string;
}

export interface Experiment {
  campaignId: number;
  leave: ArmStats;
  skip: ArmStats;
  callbacks: JudgedComparison;
  conversations: JudgedComparison;
}

export interface Stats {
  totals: Counts & BlockTime;
  byCampaign: ({ campaignId: number | null } & Counts)[];
  byUser: ({ userId: number | null } & Counts & BlockTime)[];
  experiments: Experiment[];
}

/** Less block time than this gives no pace. */
export const MIN_BLOCK_MS = 10 * 60_000;
/** Each arm needs this many enrollments before a verdict is given. */
export const MIN_ARM_SIZE = 30;
/** |z| at or above this is called a difference (two-sided 95 %). */
export const Z_95 = 1.96;

export function rate(count: number, of: number): Rate {
  return { count, of, rate: of > 0 ? count / of : null };
}

const emptyTally = (): Tally => ({
  dials: 0,
  conversations: 0,
  voicemailsLeft: 0,
  callbacksReceived: 0,
  callbacksFromVoicemail: 0,
  voicemailsCalledBack: 0,
  appointmentsSet: 0,
});

function addOutcome(t: Tally, row: OutcomeCount): void {
  t.dials += row.count;
  if (LIVE_OUTCOMES.has(row.outcome)) t.conversations += row.count;
  if (row.voicemailLeft) t.voicemailsLeft += row.count;
  if (row.outcome === 'appointment_set') t.appointmentsSet += row.count;
}

function addCallback(t: Tally, row: CallbackCount): void {
  t.callbacksReceived += row.count;
  if (row.fromVoicemail) {
    t.callbacksFromVoicemail += row.count;
    t.voicemailsCalledBack += row.voicemailsCalledBack ?? row.count;
  }
}

function counts(t: Tally): Counts {
  return {
    ...t,
    conversationRate: rate(t.conversations, t.dials),
    callbackRate: rate(t.voicemailsCalledBack, t.voicemailsLeft),
    appointmentRate: rate(t.appointmentsSet, t.conversations),
  };
}

export function blockTime(blocks: readonly BlockSpan[]): BlockTime {
  let ms = 0;
  let dials = 0;
  for (const b of blocks) {
    ms += Math.max(0, b.endAt - b.startedAt);
    dials += b.dials;
  }
  const hours = ms / HOUR;
  return {
    blocks: blocks.length,
    hours,
    dialsInBlocks: dials,
    dialsPerHour: ms >= MIN_BLOCK_MS ? dials / hours : null,
  };
}

/**
 * Two proportions compared the textbook way (pooled z). Too few when either arm is under
 * MIN_ARM_SIZE or the pooled share is 0 or 1 (no variance to compare against).
 */
export function compareShares(leave: Rate, skip: Rate): Comparison {
  if (leave.rate === null || skip.rate === null) return { difference: null, z: null, verdict: 'too_few' };
  const difference = leave.rate - skip.rate;
  const pooled = (leave.count + skip.count) / (leave.of + skip.of);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / leave.of + 1 / skip.of));
  const z = se > 0 ? difference / se : null;
  if (leave.of < MIN_ARM_SIZE || skip.of < MIN_ARM_SIZE || z === null) {
    return { difference, z, verdict: 'too_few' };
  }
  if (Math.abs(z) < Z_95) return { difference, z, verdict: 'no_clear_difference' };
  return { difference, z, verdict: z > 0 ? 'leave_better' : 'skip_better' };
}

/** The experiment's arms compared: the z test kept for its readers, the verdict from judgeArms. */
export function judge(leave: Rate, skip: Rate, what: string): JudgedComparison {
  const { difference, z } = compareShares(leave, skip);
  const j = judgeArms(leave, skip, what);
  return {
    difference,
    z,
    verdict: j.verdict,
    differenceInterval: j.differenceInterval,
    leaveInterval: j.leave.interval,
    skipInterval: j.skip.interval,
    probabilityLeaveBetter: j.probabilityLeaveBetter,
    reason: j.reason,
  };
}

function armStats(arm: ExperimentArm, rows: readonly ArmCount[]): ArmStats {
  const sum = (pick: (r: ArmCount) => number) => rows.reduce((s, r) => s + pick(r), 0);
  const enrollments = sum((r) => r.enrollments);
  return {
    arm,
    enrollments,
    dials: sum((r) => r.dials),
    voicemailsLeft: sum((r) => r.voicemailsLeft),
    callbackRate: rate(
      sum((r) => r.calledBack),
      enrollments,
    ),
    conversationRate: rate(
      sum((r) => r.reached),
      enrollments,
    ),
  };
}

/** Keyed groups in first-seen order, then sorted by key with null last. */
function group<K extends number | null, T>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}

const byKey = <K extends number | null>(a: K, b: K) =>
  a === null ? (b === null ? 0 : 1) : b === null ? -1 : a - b;

export function summarizeStats(input: StatsInput): Stats {
  const total = emptyTally();
  const campaigns = new Map<number | null, Tally>();
  const users = new Map<number | null, Tally>();
  const tallyOf = (map: Map<number | null, Tally>, key: number | null) => {
    let t = map.get(key);
    if (!t) {
      t = emptyTally();
      map.set(key, t);
    }
    return t;
  };
  for (const row of input.outcomes) {
    addOutcome(total, row);
    addOutcome(tallyOf(campaigns, row.campaignId), row);
    addOutcome(tallyOf(users, row.userId), row);
  }
  for (const row of input.callbacks) {
    addCallback(total, row);
    addCallback(tallyOf(campaigns, row.campaignId), row);
    addCallback(tallyOf(users, row.userId), row);
  }
  const blocksByUser = group(input.blocks, (b) => b.userId as number | null);
  for (const userId of blocksByUser.keys()) tallyOf(users, userId);

  const experiments: Experiment[] = [];
  const armsByCampaign = group(input.arms, (a) => a.campaignId);
  for (const campaignId of [...armsByCampaign.keys()].sort(byKey)) {
    const rows = armsByCampaign.get(campaignId)!;
    const leave = armStats(
      'leave',
      rows.filter((r) => r.arm === 'leave'),
    );
    const skip = armStats(
      'skip',
      rows.filter((r) => r.arm === 'skip'),
    );
    experiments.push({
      campaignId,
      leave,
      skip,
      callbacks: judge(leave.callbackRate, skip.callbackRate, 'called back'),
      conversations: judge(leave.conversationRate, skip.conversationRate, 'was reached live'),
    });
  }

  return {
    totals: { ...counts(total), ...blockTime(input.blocks) },
    byCampaign: [...campaigns.keys()]
      .sort(byKey)
      .map((campaignId) => ({ campaignId, ...counts(campaigns.get(campaignId)!) })),
    byUser: [...users.keys()].sort(byKey).map((userId) => ({
      userId,
      ...counts(users.get(userId)!),
      ...blockTime(blocksByUser.get(userId) ?? []),
    })),
    experiments,
  };
}

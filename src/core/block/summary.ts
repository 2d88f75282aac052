/**
 * A call block's figures, the rep's report when it ends: what was dialled and how it went,
 * the skips, the callbacks that came in, and the pace. Pure: the block's calls are read by
 * the caller, the clock is the block's own start and end.
 */
import { LIVE_OUTCOMES, type Outcome } from '../cadence/types.js';

export interface BlockCall {
  outcome: Outcome;
  voicemailLeft: boolean;
}

export interface BlockCounts {
  dials: number;
  conversations: number;
  voicemailsLeft: number;
  appointmentsSet: number;
  callbacksReceived: number;
  skips: number;
}

export interface BlockPace {
  /** Whole minutes the block ran (to its end, or to now while it runs). */
  minutes: number;
  /** Null in the first minute, where a rate says nothing. */
  dialsPerHour: number | null;
}

export function countBlock(
  calls: readonly BlockCall[],
  skips: number,
  callbacksReceived: number,
): BlockCounts {
  let conversations = 0;
  let voicemailsLeft = 0;
  let appointmentsSet = 0;
  for (const call of calls) {
    if (LIVE_OUTCOMES.has(call.outcome)) conversations++;
    if (call.voicemailLeft) voicemailsLeft++;
    if (call.outcome === 'appointment_set') appointmentsSet++;
  }
  return { dials: calls.length, conversations, voicemailsLeft, appointmentsSet, callbacksReceived, skips };
}

export function blockPace(dials: number, startedAt: number, endedAt: number): BlockPace {
  const ms = Math.max(0, endedAt - startedAt);
  const minutes = Math.floor(ms / 60_000);
  return { minutes, dialsPerHour: ms < 60_000 ? null : Math.round((dials * 3_600_000) / ms) };
}

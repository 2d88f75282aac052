/**
 * What the phone time cost, in minutes: per conversation, per voicemail left and per callback
 * earned. A call logged by hand has no duration; its time is estimated from its outcome
 * (ESTIMATED_SECONDS, the simulator's default durations) and the result says how many calls
 * were estimated, so a reader knows how much of a figure is a guess.
 *
 *   costInMinutes(rows, callbacksEarned) // → { minutes, estimatedCalls, perConversation, … }
 */
import { LIVE_OUTCOMES, type Outcome } from '../cadence/types.js';

const RING = 30;
const WRAP = 20;
/** Seconds a call with this outcome takes when nobody timed it: ringing, talking, wrapping up. */
export const ESTIMATED_SECONDS: Record<Outcome, number> = {
  connected: RING + 240 + WRAP,
  callback_requested: RING + 90 + WRAP,
  appointment_set: RING + 300 + WRAP,
  not_interested: RING + 60 + WRAP,
  do_not_call: RING + 30 + WRAP,
  won: RING + 300 + WRAP,
  gatekeeper: RING + 60 + WRAP,
  voicemail_left: RING + 45 + WRAP,
  voicemail_skipped: RING + 5 + WRAP,
  no_answer: RING + WRAP,
  busy: 5 + WRAP,
  bad_number: 10 + WRAP,
  wrong_person: RING + 30 + WRAP,
  away: RING + 30 + WRAP,
};

/** Attempts with one outcome: how many, how many carried a duration, and those seconds. */
export interface DurationCount {
  outcome: Outcome;
  voicemailLeft: boolean;
  dials: number;
  timedDials: number;
  timedSeconds: number;
}

export interface Cost {
  minutes: number;
  /** Calls whose time was estimated from their outcome. */
  estimatedCalls: number;
  dials: number;
  /** Minutes of all dials per conversation; null without conversations. */
  perConversation: number | null;
  /** Minutes of the calls that left a voicemail, per voicemail. */
  perVoicemail: number | null;
  /** Minutes of voicemail calls per callback they earned. */
  perCallback: number | null;
}

export function costInMinutes(rows: readonly DurationCount[], callbacksEarned: number): Cost {
  let seconds = 0;
  let voicemailSeconds = 0;
  let estimated = 0;
  let dials = 0;
  let conversations = 0;
  let voicemails = 0;
  for (const r of rows) {
    const untimed = r.dials - r.timedDials;
    const s = r.timedSeconds + untimed * ESTIMATED_SECONDS[r.outcome];
    seconds += s;
    estimated += untimed;
    dials += r.dials;
    if (LIVE_OUTCOMES.has(r.outcome)) conversations += r.dials;
    if (r.voicemailLeft) {
      voicemails += r.dials;
      voicemailSeconds += s;
    }
  }
  const per = (s: number, n: number) => (n > 0 ? s / 60 / n : null);
  return {
    minutes: seconds / 60,
    estimatedCalls: estimated,
    dials,
    perConversation: per(seconds, conversations),
    perVoicemail: per(voicemailSeconds, voicemails),
    perCallback: per(voicemailSeconds, callbacksEarned),
  };
}

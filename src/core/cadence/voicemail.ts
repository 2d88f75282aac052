/**
 * Rules 6 and 7: whether the next attempt leaves a voicemail, and which script.
 * The experiment arm is assigned once per enrollment, reproducibly, and recorded.
 *
 * The break-up ("I'll stop calling") is tied to the end of the cadence: it is offered only on
 * the attempts `breakUpFrom` names, counted like rule 5's limit (since the last conversation),
 * and once it is left the cadence ends (next-step.ts), so it is never followed by a call.
 */
import { assertUnreachable } from '../unreachable.js';
import { unitHash } from './hash.js';
import type { CadencePolicy } from './policy.js';
import type { CadenceAttempt, ExperimentArm, VoicemailDecision } from './types.js';
import { LIVE_OUTCOMES } from './types.js';

export function experimentArm(enrollmentId: number, campaignId: number): ExperimentArm {
  return unitHash('voicemail-experiment', campaignId, enrollmentId) < 0.5 ? 'leave' : 'skip';
}

/**
 * The first attempt (counted since the last conversation) that may carry the break-up: the
 * attempt limit itself, or the one before it under `breakUpOn: 'before_last'`.
 */
export function breakUpFrom(policy: Pick<CadencePolicy, 'attemptLimit' | 'breakUpOn'>): number {
  return Math.max(1, policy.attemptLimit - (policy.breakUpOn === 'before_last' ? 1 : 0));
}

/** Whether the history already holds a left break-up voicemail: then no further call is made. */
export function breakUpLeft(history: readonly CadenceAttempt[]): boolean {
  return history.some((a) => a.voicemailLeft && a.script === 'break_up');
}

/** Attempts since the last live conversation (rule 5 counts these), the next one included. */
export function attemptsSinceLive(history: readonly CadenceAttempt[]): number {
  let n = 0;
  for (let i = history.length - 1; i >= 0 && !LIVE_OUTCOMES.has(history[i]!.outcome); i--) n++;
  return n + 1;
}

export function decideVoicemail(
  policy: CadencePolicy,
  history: readonly CadenceAttempt[],
  arm: ExperimentArm | null,
): VoicemailDecision {
  const left = history.filter((a) => a.voicemailLeft);
  const breakUpDue = attemptsSinceLive(history) >= breakUpFrom(policy);
  if (breakUpLeft(history))
    return { leave: false, script: null, why: 'the break-up message was already left; no more voicemails' };
  const script = breakUpDue ? 'break_up' : left.length === 0 ? 'intro' : 'follow_up';
  switch (policy.voicemail) {
    case 'always':
      return { leave: true, script, why: `leave the ${words(script)} voicemail` };
    case 'never':
      return { leave: false, script: null, why: 'this campaign leaves no voicemails' };
    case 'first_and_last':
      if (script === 'intro')
        return { leave: true, script, why: 'leave the intro voicemail (first and last only)' };
      if (script === 'break_up')
        return { leave: true, script, why: 'leave the break-up voicemail (first and last only)' };
      return { leave: false, script: null, why: 'no voicemail between the intro and the break-up' };
    case 'experiment':
      if (arm === 'skip')
        return {
          leave: false,
          script: null,
          why: 'voicemail experiment: this contact is in the no-voicemail arm',
        };
      return { leave: true, script, why: `voicemail experiment: leave the ${words(script)} voicemail` };
    default:
      return assertUnreachable(policy.voicemail, 'voicemail policy');
  }
}

function words(script: 'intro' | 'follow_up' | 'break_up'): string {
  return script === 'follow_up' ? 'follow-up' : script === 'break_up' ? 'break-up' : 'intro';
}

/**
 * Rules 6 and 7: whether the next attempt leaves a voicemail, and which script.
 * The experiment arm is assigned once per enrollment, reproducibly, and recorded.
 */
import { assertUnreachable } from '../unreachable.js';
import { unitHash } from './hash.js';
import type { CadencePolicy } from './policy.js';
import type { CadenceAttempt, ExperimentArm, VoicemailDecision } from './types.js';
import { LIVE_OUTCOMES } from './types.js';

export function experimentArm(enrollmentId: number, campaignId: number): ExperimentArm {
  return unitHash('voicemail-experiment', campaignId, enrollmentId) < 0.5 ? 'leave' : 'skip';
}

export function decideVoicemail(
  policy: CadencePolicy,
  history: readonly CadenceAttempt[],
  arm: ExperimentArm | null,
): VoicemailDecision {
  const nextAttempt = history.length + 1;
  const connected = history.some((a) => LIVE_OUTCOMES.has(a.outcome));
  const left = history.filter((a) => a.voicemailLeft);
  const breakUpLeft = left.some((a) => a.script === 'break_up');
  const breakUpDue = !connected && nextAttempt >= policy.breakUpFromAttempt;
  if (breakUpLeft)
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

/** One cadence decision in the making: the reasons given so far, the put-offs counted, the step. */
import type { CallingContext } from '../calling-hours/calling-hours.js';
import type { CadenceInput, ExperimentArm, NextStep, Urgency } from './types.js';

/** Base queue priority by campaign urgency; put-offs lower it. */
export const URGENCY_PRIORITY: Record<Urgency, number> = { high: 20, normal: 10, low: 0 };

/** Rule 8's count: where an enrollment's put-offs and flag stand. */
export interface PutOffCount {
  putOffs: number;
  flagged: boolean;
}

/**
 * Rule 8: one more put-off (a scheduled call that did not reach them, or a missed appointment),
 * flagged for review once `maxPutOffs` are reached. Returns the new count and what to say.
 */
export function countPutOff(
  count: PutOffCount,
  maxPutOffs: number,
  what: string,
): PutOffCount & { reasons: string[] } {
  const putOffs = count.putOffs + 1;
  const reasons = [`${what} — put-off ${putOffs} (rule 8)`];
  let flagged = count.flagged;
  if (putOffs >= maxPutOffs && !flagged) {
    flagged = true;
    reasons.push(`${putOffs} put-offs: priority lowered and flagged for review (rule 8)`);
  }
  return { putOffs, flagged, reasons };
}

/** Rule 8: only repeated put-offs (maxPutOffs of them) lower the priority. */
export function putOffPriority(urgency: Urgency, putOffs: number, maxPutOffs: number): number {
  const repeated = putOffs >= Math.max(1, maxPutOffs);
  return URGENCY_PRIORITY[urgency] - (repeated ? putOffs * 5 : 0);
}

export class Decision {
  readonly reasons: string[] = [];
  putOffs: number;
  flagged: boolean;

  constructor(
    readonly input: CadenceInput,
    readonly ctx: CallingContext,
    readonly arm: ExperimentArm | null,
  ) {
    this.putOffs = input.enrollment.putOffs;
    this.flagged = input.enrollment.flagged;
  }

  priority(): number {
    const { campaign } = this.input;
    return putOffPriority(campaign.urgency, this.putOffs, campaign.policy.maxPutOffs);
  }

  /** Rule 8: one more put-off, with why. */
  putOff(what: string): void {
    const counted = countPutOff(this, this.input.campaign.policy.maxPutOffs, what);
    this.putOffs = counted.putOffs;
    this.flagged = counted.flagged;
    this.reasons.push(...counted.reasons);
  }

  /** The step, with the reasons and counts gathered so far. */
  result(
    step: Pick<NextStep, 'state' | 'dueAt' | 'dueKind' | 'number' | 'voicemail'>,
    callbackListUntil: number | null = null,
  ): NextStep {
    return {
      ...step,
      putOffs: this.putOffs,
      flagged: this.flagged,
      experimentArm: this.arm,
      callbackListUntil,
      priority: this.priority(),
      reasons: this.reasons,
    };
  }

  /** No further call: the enrollment ends (or stays ended) in `state`. */
  leave(state: NextStep['state'], why: string): NextStep {
    this.reasons.push(why);
    return this.result({
      state,
      dueAt: null,
      dueKind: null,
      number: null,
      voicemail: { leave: false, script: null, why: 'no further calls' },
    });
  }
}

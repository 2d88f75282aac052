/** One cadence decision in the making: the reasons given so far, the put-offs counted, the step. */
import type { CallingContext } from '../calling-hours/calling-hours.js';
import type { CadenceInput, ExperimentArm, NextStep, Urgency } from './types.js';

/** Base queue priority by campaign urgency; put-offs lower it. */
export const URGENCY_PRIORITY: Record<Urgency, number> = { high: 20, normal: 10, low: 0 };

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

  /** Rule 8: only repeated put-offs (maxPutOffs of them) lower the priority. */
  priority(): number {
    const { campaign } = this.input;
    const repeated = this.putOffs >= Math.max(1, campaign.policy.maxPutOffs);
    return URGENCY_PRIORITY[campaign.urgency] - (repeated ? this.putOffs * 5 : 0);
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

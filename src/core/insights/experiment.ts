/**
 * The voicemail experiment judged honestly: each arm's share with its 95 % interval, the
 * difference (leave − skip) with its interval, the probability that leaving voicemails is
 * better (Beta-Binomial), and a verdict whose text states the true reason when it cannot
 * conclude — too few people in an arm, nobody called back in either arm yet, or a difference
 * still inside the noise.
 *
 *   judgeArms({ count: 12, of: 200 }, { count: 3, of: 210 }, 'called back')
 *   // → { leave, skip, difference, probabilityLeaveBetter, verdict: 'leave_better', reason }
 */
import { differenceInterval, type Interval, probabilityGreater, wilson } from './intervals.js';

/** Each arm needs this many people before a verdict is given. */
export const MIN_ARM_PEOPLE = 30;
/** A verdict needs this much certainty one way or the other. */
export const DECISIVE = 0.95;

export interface Share {
  count: number;
  of: number;
}

export interface ShareWithInterval extends Share {
  rate: number | null;
  interval: Interval | null;
}

export type ArmVerdict = 'too_few' | 'no_events' | 'leave_better' | 'skip_better' | 'no_clear_difference';

export interface ArmJudgement {
  leave: ShareWithInterval;
  skip: ShareWithInterval;
  /** leave − skip; null when an arm is empty. */
  difference: number | null;
  differenceInterval: Interval | null;
  /** P(leave's true share > skip's); null when an arm is empty. */
  probabilityLeaveBetter: number | null;
  verdict: ArmVerdict;
  /** The verdict in a sentence a rep can read, with the true reason when there is none. */
  reason: string;
}

export function withInterval(s: Share): ShareWithInterval {
  return { ...s, rate: s.of > 0 ? s.count / s.of : null, interval: wilson(s.count, s.of) };
}

const pct = (x: number) => `${Math.round(x * 100)} %`;

/** `what` names the event in words: "called back", "were reached live". */
export function judgeArms(leave: Share, skip: Share, what: string): ArmJudgement {
  const l = withInterval(leave);
  const s = withInterval(skip);
  const empty = leave.of === 0 || skip.of === 0;
  const difference = empty ? null : leave.count / leave.of - skip.count / skip.of;
  const interval = empty ? null : differenceInterval(leave.count, leave.of, skip.count, skip.of);
  const p = empty ? null : probabilityGreater(leave.count, leave.of, skip.count, skip.of);
  const base = { leave: l, skip: s, difference, differenceInterval: interval, probabilityLeaveBetter: p };
  if (leave.of < MIN_ARM_PEOPLE || skip.of < MIN_ARM_PEOPLE) {
    const short = [
      leave.of < MIN_ARM_PEOPLE ? `${leave.of} leaving voicemails` : null,
      skip.of < MIN_ARM_PEOPLE ? `${skip.of} not leaving them` : null,
    ].filter(Boolean);
    return {
      ...base,
      verdict: 'too_few',
      reason: `Too early to tell: ${short.join(' and ')}; each side needs ${MIN_ARM_PEOPLE} people.`,
    };
  }
  if (leave.count === 0 && skip.count === 0) {
    return {
      ...base,
      verdict: 'no_events',
      reason: `Nothing to compare yet: nobody ${what} on either side (${leave.of} and ${skip.of} people).`,
    };
  }
  const odds = `${pct(p!)} chance that leaving voicemails does better`;
  if (p! >= DECISIVE) {
    return { ...base, verdict: 'leave_better', reason: `Leaving voicemails works better: ${odds}.` };
  }
  if (p! <= 1 - DECISIVE) {
    return {
      ...base,
      verdict: 'skip_better',
      reason: `Not leaving voicemails works as well or better: only a ${odds}.`,
    };
  }
  return {
    ...base,
    verdict: 'no_clear_difference',
    reason: `No clear difference yet: ${pct(l.rate!)} against ${pct(s.rate!)} ${what}, a ${odds}; more calls will tell.`,
  };
}

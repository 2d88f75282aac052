/**
 * The next step as one sentence a rep reads after logging a call — "Try again tomorrow
 * morning, their time" — with no rule numbers (those stay in NextStep.reasons, behind a "why").
 * Pure: the contact's zone and the time of the log are parameters.
 */
import { describeLocal, describeSlot } from '../time/bands.js';
import { assertUnreachable } from '../unreachable.js';
import type { NextStep } from './types.js';

export function nextStepWords(
  step: Pick<NextStep, 'state' | 'dueAt' | 'dueKind'>,
  zone: string,
  now: number,
): string {
  switch (step.state) {
    case 'won':
      return 'Won: no more calls in this campaign.';
    case 'lost':
      return 'Not interested: no more calls in this campaign.';
    case 'dnc':
      return 'Never to be called again, by anyone in the workspace.';
    case 'unreachable':
      return 'That was the last attempt: moving on to other people.';
    case 'new':
    case 'active':
    case 'snoozed':
    case 'appointment':
      break;
    default:
      return assertUnreachable(step.state, 'enrollment state');
  }
  if (step.dueAt === null) return 'Not scheduled again.';
  const exact = describeLocal(step.dueAt, zone, now);
  switch (step.dueKind) {
    case 'appointment':
      return `Phone appointment ${exact}, their time.`;
    case 'callback':
      return `Call back ${exact}, their time, as they asked.`;
    case 'retry':
    case 'fresh':
    case null:
      return step.state === 'snoozed'
        ? `Away: try again ${describeSlot(step.dueAt, zone, now)}, their time.`
        : `Try again ${describeSlot(step.dueAt, zone, now)}, their time.`;
    default:
      return assertUnreachable(step.dueKind, 'due kind');
  }
}

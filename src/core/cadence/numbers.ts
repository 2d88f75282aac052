/**
 * Rule 11: which number to dial. Direct first; the mobile once the direct line has failed
 * `directAttemptsBeforeMobile` times; the main line (reception) only when the others fail.
 * A number proved dead, marked do-not-call, or answered by the wrong person is never dialled.
 */
import type { NumberKind } from '../contact-fields.js';
import type { CadenceAttempt, CadenceNumber } from './types.js';
import { LIVE_OUTCOMES } from './types.js';

/** Preference among personal numbers; main and assistant lines go through someone else. */
const ORDER: readonly NumberKind[] = ['direct', 'mobile', 'home', 'other', 'assistant', 'main'];

export interface NumberChoice {
  number: string | null;
  why: string;
}

export function usableNumbers(
  numbers: readonly CadenceNumber[],
  history: readonly CadenceAttempt[],
): CadenceNumber[] {
  const wrong = new Set(
    history.filter((a) => a.outcome === 'wrong_person' || a.outcome === 'bad_number').map((a) => a.number),
  );
  return numbers.filter((n) => n.valid && !n.doNotCall && !wrong.has(n.e164));
}

export function chooseNumber(
  numbers: readonly CadenceNumber[],
  history: readonly CadenceAttempt[],
  directAttemptsBeforeMobile: number,
): NumberChoice {
  const usable = usableNumbers(numbers, history);
  if (usable.length === 0) return { number: null, why: 'no working number left' };
  // A number that reached the contact before is the best bet again.
  const lastLive = [...history].reverse().find((a) => LIVE_OUTCOMES.has(a.outcome) && a.number);
  if (lastLive && usable.some((n) => n.e164 === lastLive.number)) {
    return { number: lastLive.number, why: 'number that reached them last time' };
  }
  const failures = (e164: string) =>
    history.filter((a) => a.number === e164 && !LIVE_OUTCOMES.has(a.outcome)).length;
  const ranked = [...usable].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  const direct = ranked.find((n) => n.kind === 'direct');
  const others = ranked.filter((n) => n !== direct && n.kind !== 'main');
  const main = ranked.find((n) => n.kind === 'main');

  if (direct && failures(direct.e164) < directAttemptsBeforeMobile) {
    return { number: direct.e164, why: 'direct line first' };
  }
  // Personal numbers in turn, the least-tried first, before going through reception.
  const personal = [...(direct ? [direct] : []), ...others];
  const fresh = personal.filter((n) => failures(n.e164) < Math.max(1, directAttemptsBeforeMobile));
  if (fresh.length > 0) {
    const pick = fresh.find((n) => n !== direct) ?? fresh[0]!;
    const why =
      direct && pick !== direct
        ? `${pick.kind} — the direct line went unanswered ${failures(direct.e164)} times`
        : `${pick.kind} line`;
    return { number: pick.e164, why };
  }
  if (main) return { number: main.e164, why: 'main line — the personal numbers keep going unanswered' };
  const leastTried = [...personal].sort((a, b) => failures(a.e164) - failures(b.e164))[0]!;
  return { number: leastTried.e164, why: `${leastTried.kind} line, the least tried` };
}

/**
 * The one check every outbound call passes — a queued call, click-to-call, a voicemail drop:
 * never a do-not-call contact or number, never past a state's cap on calls, and only inside the
 * contact's calling hours, unless the contact chose the time (a requested callback or an
 * appointment that is due), when the law's bound alone applies. A refusal says why in words
 * and when the next call is allowed.
 */
import { describeLocal } from '../time/bands.js';
import { type CallingContext, isAllowedAt, legalBound, nextAllowedAt, SEARCH_DAYS } from './calling-hours.js';

export interface OutboundCall {
  at: number;
  ctx: CallingContext;
  /** Instants of earlier calls on the same subject, for state caps. */
  attempts: readonly number[];
  /** The contact asked for a call now: a requested callback or an appointment that is due. */
  askedFor: boolean;
  /** Why the contact or the number to dial may not be called (a do-not-call list); null when nothing bars it. */
  doNotCall: string | null;
}

export type OutboundRefusal = 'do_not_call' | 'calling_hours' | 'state_cap';

export type OutboundVerdict =
  | { ok: true }
  | { ok: false; refusal: OutboundRefusal; reason: string; nextAllowedAt: number | null };

/**
 * Whether a time the contact chose is due at `at`: an appointment from its lead time before,
 * a requested callback from its time on.
 */
export function askedForAt(
  due: { kind: 'appointment' | 'callback' | 'retry' | 'fresh' | null; at: number | null },
  appointmentLeadMs: number,
  at: number,
): boolean {
  if (due.at === null) return false;
  if (due.kind === 'appointment') return due.at - appointmentLeadMs <= at;
  if (due.kind === 'callback') return due.at <= at;
  return false;
}

export function checkOutbound(call: OutboundCall): OutboundVerdict {
  const who = call.ctx.name ?? 'This contact';
  if (call.doNotCall !== null) {
    return {
      ok: false,
      refusal: 'do_not_call',
      reason: `${who}: ${call.doNotCall}, never called (rule 13)`,
      nextAllowedAt: null,
    };
  }
  const ctx = call.askedFor ? legalBound(call.ctx) : call.ctx;
  const allowed = isAllowedAt(call.at, ctx, call.attempts);
  if (allowed.ok) return { ok: true };
  const next = nextAllowedAt(call.at, ctx, call.attempts);
  // Open hours with the call still refused: the cap refused it, and its reason names the next time.
  const capped = isAllowedAt(call.at, ctx).ok;
  const when = capped
    ? ''
    : next === null
      ? `; no time in the next ${SEARCH_DAYS} days allows a call`
      : `; the next allowed time is ${describeLocal(next, call.ctx.zone, call.at)} their time (${call.ctx.zone})`;
  return {
    ok: false,
    refusal: capped ? 'state_cap' : 'calling_hours',
    reason: `${allowed.reason}${when}`,
    nextAllowedAt: next,
  };
}

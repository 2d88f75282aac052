/**
 * The call queue for a block starting at `now` (DESIGN.md "Queue order"): appointments due
 * (from the lead time before), requested callbacks due, due retries by priority, and a
 * guaranteed share of fresh prospects. Candidates outside their calling hours wait.
 *
 * The fresh share is kept over the calls of the whole block, not per listing: given what the
 * block has already dialled, each slot after the commitments goes to a fresh prospect while
 * the block is behind its share, so fresh prospects come interleaved with retries whether the
 * client asks for one call at a time or for many, and a block cut short has had its share.
 */
export type QueueReason = 'appointment' | 'callback' | 'retry' | 'fresh';

export interface QueueCandidate {
  enrollmentId: number;
  contactId: number;
  dueKind: QueueReason | null;
  dueAt: number | null;
  priority: number;
  putOffs: number;
  /** For fresh prospects: oldest enrollment first. */
  enrolledAt: number;
  /** Whether a call may start now under rule 12 (computed by the caller per contact). */
  callableNow: boolean;
  /**
   * Whether rule 12's legal bound alone (08:00–21:00, state law for consumers) allows a call
   * now: an appointment or a requested callback keeps the contact's time, not this.
   */
  legalNow: boolean;
  /** Whether the contact has a number left to dial (rules 11 and 13): nothing without one is queued. */
  dialable: boolean;
  /** This candidate's campaign: appointments lead the queue from this long before (rule 9). */
  appointmentLeadMs: number;
}

export interface QueueEntry<C extends QueueCandidate> {
  candidate: C;
  reason: QueueReason;
}

/** The candidate fields the lists are ordered by. */
export type QueueOrderField = 'dueAt' | 'enrollmentId' | 'priority' | 'putOffs' | 'enrolledAt';

/** One key of a list's order: a field, ascending unless `desc`. */
export interface QueueOrderKey {
  field: QueueOrderField;
  desc?: true;
}

/**
 * The order within each list, declared once: the store's ORDER BY is derived from it
 * (store/queue-repo.ts), so the database reads candidates in the order this file ranks them.
 * Each ends on the enrollment id, so the order is total.
 */
export const QUEUE_ORDER: Record<QueueReason, readonly QueueOrderKey[]> = {
  appointment: [{ field: 'dueAt' }, { field: 'enrollmentId' }],
  callback: [{ field: 'dueAt' }, { field: 'enrollmentId' }],
  // Priority, longest overdue, fewest put-offs.
  retry: [
    { field: 'priority', desc: true },
    { field: 'dueAt' },
    { field: 'putOffs' },
    { field: 'enrollmentId' },
  ],
  // Oldest enrollment first.
  fresh: [{ field: 'enrolledAt' }, { field: 'enrollmentId' }],
};

/** A comparison by `order`, over whatever rows `value` reads the fields from. */
export function compareBy<R>(
  order: readonly QueueOrderKey[],
  value: (row: R, field: QueueOrderField) => number,
): (a: R, b: R) => number {
  return (a, b) => {
    for (const key of order) {
      const d = value(a, key.field) - value(b, key.field);
      if (d !== 0) return key.desc ? -d : d;
    }
    return 0;
  };
}

const candidateField = (c: QueueCandidate, field: QueueOrderField): number => c[field] ?? 0;

/** What the block in force has dialled so far; a listing outside a block starts from nothing. */
export interface BlockTally {
  calls: number;
  /** Of them, first calls to fresh prospects. */
  fresh: number;
}

export const NO_CALLS_YET: BlockTally = { calls: 0, fresh: 0 };

export interface QueueOptions {
  now: number;
  limit: number;
  /** Share of the block's calls kept for fresh prospects when any exist (policy.freshShare). */
  freshShare: number;
  block?: BlockTally;
}

/** Whether the next call of a block should go to a fresh prospect to keep its share. */
export function freshTurn(tally: BlockTally, share: number): boolean {
  // The tolerance keeps 0.3 × 10 from rounding up to 4.
  return tally.fresh < Math.ceil((tally.calls + 1) * share - 1e-9);
}

export function orderQueue<C extends QueueCandidate>(
  candidates: readonly C[],
  opts: QueueOptions,
): QueueEntry<C>[] {
  const { now, limit } = opts;
  const seen = new Set<number>();
  // One contact once: the most pressing of its enrollments wins.
  const take = (list: C[], reason: QueueReason, out: QueueEntry<C>[], max: number) => {
    for (const c of list) {
      if (out.length >= max) break;
      if (seen.has(c.contactId)) continue;
      seen.add(c.contactId);
      out.push({ candidate: c, reason });
    }
  };
  const due = (c: C) => c.dueAt !== null && c.dueAt <= now;
  const dialable = candidates.filter((c) => c.dialable);
  // Appointments and requested callbacks are at the time the contact chose, even outside the
  // campaign's window, never outside the law's; retries and fresh prospects wait for the
  // contact's calling hours.
  const appointments = dialable
    .filter(
      (c) =>
        c.dueKind === 'appointment' && c.dueAt !== null && c.dueAt - c.appointmentLeadMs <= now && c.legalNow,
    )
    .sort(compareBy(QUEUE_ORDER.appointment, candidateField));
  const callbacks = dialable
    .filter((c) => c.dueKind === 'callback' && due(c) && c.legalNow)
    .sort(compareBy(QUEUE_ORDER.callback, candidateField));
  const retries = dialable
    .filter((c) => (c.dueKind === 'retry' || c.dueKind === null) && due(c) && c.callableNow)
    .sort(compareBy(QUEUE_ORDER.retry, candidateField));
  const fresh = dialable
    .filter((c) => c.dueKind === 'fresh' && c.callableNow)
    .sort(compareBy(QUEUE_ORDER.fresh, candidateField));

  const out: QueueEntry<C>[] = [];
  take(appointments, 'appointment', out, limit);
  take(callbacks, 'callback', out, limit);
  const tally = { ...(opts.block ?? NO_CALLS_YET) };
  tally.calls += out.length;
  const nextOf = (list: C[], reason: QueueReason) => {
    const before = out.length;
    take(list, reason, out, before + 1);
    return out.length > before;
  };
  while (out.length < limit) {
    const placed = freshTurn(tally, opts.freshShare)
      ? nextOf(fresh, 'fresh') || nextOf(retries, 'retry')
      : nextOf(retries, 'retry') || nextOf(fresh, 'fresh');
    if (!placed) break;
    tally.calls += 1;
    if (out.at(-1)!.reason === 'fresh') tally.fresh += 1;
  }
  return out;
}

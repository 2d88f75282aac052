/**
 * Callbacks per voicemail: of the voicemails left, how many were followed by an inbound call
 * from that contact before the next attempt to them, or within 7 days (whichever is later: the
 * contact is on the caller's callback list that long, DESIGN cadence rule 2). A voicemail
 * counts once however often the contact calls, and a call counts for the latest voicemail
 * before it whose window it falls in — so two calls after one of two voicemails are 1 of 2
 * (50 %), not 2 of 2.
 *
 *   creditCallbacks(attempts, inboundCalls) // → { voicemailsLeft, calledBack, credited }
 */

const DAY = 86_400_000;
/** How long a voicemail waits for its callback when the next attempt comes sooner. */
export const CALLBACK_WINDOW_MS = 7 * DAY;

export interface AttemptEvent {
  id: number;
  contactId: number;
  at: number;
  voicemailLeft: boolean;
}

export interface InboundEvent {
  contactId: number;
  at: number;
}

export interface CallbackCredit {
  voicemailsLeft: number;
  /** Voicemails followed by at least one callback in their window. */
  calledBack: number;
  /** Ids of those voicemails' attempts, ascending. */
  credited: number[];
}

export function creditCallbacks(
  attempts: readonly AttemptEvent[],
  inbound: readonly InboundEvent[],
): CallbackCredit {
  const byContact = new Map<number, AttemptEvent[]>();
  for (const a of attempts) {
    const list = byContact.get(a.contactId);
    if (list) list.push(a);
    else byContact.set(a.contactId, [a]);
  }
  for (const list of byContact.values()) list.sort((x, y) => x.at - y.at || x.id - y.id);
  const credited = new Set<number>();
  for (const call of inbound) {
    const list = byContact.get(call.contactId);
    if (!list) continue;
    // The latest voicemail before the call whose window is still open.
    for (let i = list.length - 1; i >= 0; i--) {
      const a = list[i]!;
      if (a.at >= call.at || !a.voicemailLeft) continue;
      const next = list[i + 1];
      const until = Math.max(a.at + CALLBACK_WINDOW_MS, next && next.at > a.at ? next.at : 0);
      if (call.at < until) {
        credited.add(a.id);
        break;
      }
    }
  }
  return {
    voicemailsLeft: attempts.filter((a) => a.voicemailLeft).length,
    calledBack: credited.size,
    credited: [...credited].sort((x, y) => x - y),
  };
}

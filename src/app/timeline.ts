/**
 * A contact's timeline for a signed-in user: the contact must be in their scope; then each
 * kind is read past the cursor (store/timeline-repo.ts) and merged a page at a time
 * (core/timeline/page.ts).
 */
import type { TimelineEntry, TimelineJson } from '../contracts/timeline.js';
import type { Outcome } from '../core/cadence/types.js';
import { boundFor, type Cursor, decodeCursor, encodeCursor, mergePage } from '../core/timeline/page.js';
import { contactVisibleTo } from '../store/callback-repo.js';
import type { Store } from '../store/db.js';
import type { Actor } from '../store/scope.js';
import {
  appointmentsOf,
  attemptsOf,
  callbackEntriesOf,
  doNotCallOf,
  inboundCallsOf,
  type TimelineQuery,
  voicemailsReceivedBy,
} from '../store/timeline-repo.js';
import { invalid, notFound } from './errors.js';

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));
const who = (r: { user_name: string | null; user_email: string | null }) =>
  r.user_name || r.user_email || null;

type Keyed = TimelineEntry & { atMs: number };

export async function contactTimeline(
  db: Store['db'],
  actor: Actor,
  contactId: number,
  page: { limit: number; after?: string | undefined },
): Promise<TimelineJson> {
  let cursor: Cursor | null = null;
  if (page.after !== undefined) {
    const decoded = decodeCursor(page.after);
    if ('error' in decoded) throw invalid(decoded.error, '/after');
    cursor = decoded;
  }
  if (!(await contactVisibleTo(db, actor, contactId))) {
    throw notFound(`there is no contact ${contactId}`);
  }
  // One more than a page of each kind: enough to know whether another page follows.
  const q: TimelineQuery = { workspaceId: actor.workspace_id, contactId, limit: page.limit + 1 };
  const [attempts, inbound, voicemails, appointments, entries, dnc] = await Promise.all([
    attemptsOf(db, q, boundFor('attempt', cursor)),
    inboundCallsOf(db, q, boundFor('inbound_call', cursor)),
    voicemailsReceivedBy(db, q, boundFor('voicemail', cursor)),
    appointmentsOf(db, q, boundFor('appointment', cursor)),
    callbackEntriesOf(db, q, boundFor('callback_entry', cursor)),
    doNotCallOf(db, q, boundFor('do_not_call', cursor)),
  ]);
  const lists: Keyed[][] = [
    attempts.map((r) => ({
      kind: 'attempt' as const,
      id: r.id,
      atMs: r.at,
      at: iso(r.at),
      user: who(r),
      outcome: r.outcome as Outcome,
      number: r.e164,
      campaign: r.campaign,
      note: r.note,
      voicemailLeft: r.voicemail_left === 1,
      script: r.script,
      durationSeconds: r.duration_s,
      scheduledFor: isoOrNull(r.scheduled_for),
    })),
    inbound.map((r) => ({
      kind: 'inbound_call' as const,
      id: r.id,
      atMs: r.at,
      at: iso(r.at),
      user: who(r),
      action: r.action,
      reason: r.reason,
      from: r.caller_e164,
      creditedTo:
        r.attempt_id !== null && r.earned_at !== null
          ? { attemptId: r.attempt_id, at: iso(r.earned_at), voicemail: r.earned_by_voicemail === 1 }
          : null,
    })),
    voicemails.map((r) => ({
      kind: 'voicemail' as const,
      id: r.id,
      atMs: r.at,
      at: iso(r.at),
      user: who(r),
      from: r.caller_e164,
      url: r.recording_url,
      durationSeconds: r.duration_s,
      transcription: r.transcription,
    })),
    appointments.map((r) => ({
      kind: 'appointment' as const,
      id: r.id,
      atMs: r.at,
      at: iso(r.at),
      user: who(r),
      title: r.title,
      status: r.status,
      durationMinutes: r.duration_min,
    })),
    entries.map((r) => ({
      kind: 'callback_entry' as const,
      id: r.id,
      atMs: r.at,
      at: iso(r.at),
      user: who(r),
      reason: r.reason,
      expiresAt: iso(r.expires_at),
      clearedAt: isoOrNull(r.cleared_at),
    })),
    dnc.map((r) => ({
      kind: 'do_not_call' as const,
      id: r.id,
      atMs: r.at,
      at: iso(r.at),
      user: who(r),
      number: r.contact_id === null ? r.e164 : null,
      reason: r.reason,
      source: r.source,
    })),
  ];
  const merged = mergePage(
    lists.map((list) => list.map((entry) => ({ kind: entry.kind, id: entry.id, at: entry.atMs, entry }))),
    page.limit,
  );
  return {
    entries: merged.entries.map(({ entry: { atMs: _atMs, ...entry } }) => entry),
    next: merged.next ? encodeCursor(merged.next) : null,
  };
}

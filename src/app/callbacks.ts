/**
 * The callback list use cases: a user's list (rules, appointments and circled contacts, the
 * expired ones dropped) and circling a contact by hand until a time said in words.
 */
import type { CallbackLine } from '../contracts/screening.js';
import { callbackList, circle, describeWhy } from '../core/callbacks/list.js';
import { parseWhen } from '../core/when/parse-when.js';
import { insertCallbackEntry } from '../store/attempt-repo.js';
import {
  appointmentsAround,
  contactsByIds,
  contactVisibleTo,
  liveEntriesOf,
} from '../store/callback-repo.js';
import type { Store } from '../store/db.js';
import type { User } from '../store/schema.js';
import { toEntry } from '../store/screening-repo.js';
import { workspaceOfUser } from '../store/workspace-repo.js';
import { invalid, notFound } from './errors.js';

const iso = (t: number) => new Date(t).toISOString();

export async function listCallbacks(store: Store, user: User, at: number): Promise<CallbackLine[]> {
  const workspace = await workspaceOfUser(store.db, user);
  const zone = user.time_zone || workspace.time_zone;
  const [entries, appointments] = await Promise.all([
    liveEntriesOf(store.db, user.id, at),
    appointmentsAround(store.db, user.id, at),
  ]);
  const lines = callbackList(
    entries.map(toEntry),
    appointments.map((a) => ({
      id: a.id,
      contactId: a.contact_id,
      attemptId: a.attempt_id,
      startsAt: a.starts_at,
      status: a.status,
    })),
    at,
  );
  const contacts = new Map(
    (
      await contactsByIds(
        store.db,
        workspace.id,
        lines.map((l) => l.contactId),
      )
    ).map((c) => [c.id, c]),
  );
  return lines.flatMap((l) => {
    const c = contacts.get(l.contactId);
    if (!c) return [];
    return [
      {
        contact: { id: c.id, name: `${c.first_name} ${c.last_name}`.trim(), company: c.company },
        reason: l.reason,
        why: describeWhy(l, zone, at),
        since: iso(l.sinceAt),
        until: iso(l.expiresAt),
        attemptId: l.attemptId,
        entryId: l.entryId,
        appointmentId: l.appointmentId,
      },
    ];
  });
}

export interface CircleRequest {
  user: User;
  contactId: number;
  /** "Friday 5pm", "in two weeks"; a week when omitted. */
  until?: string | undefined;
  at: number;
}

export async function circleContact(store: Store, req: CircleRequest): Promise<CallbackLine> {
  const workspace = await workspaceOfUser(store.db, req.user);
  const zone = req.user.time_zone || workspace.time_zone;
  let until: number | null = null;
  if (req.until !== undefined && req.until.trim() !== '') {
    const parsed = parseWhen(req.until, { now: req.at, zone, defaultHour: 17 });
    if (!parsed.ok) throw invalid(`until: ${parsed.message}`);
    until = parsed.at;
  }
  const window = circle(req.at, until);
  if (!window.ok) throw invalid(`until: ${window.message}`);
  const contact = await contactVisibleTo(store.db, req.user, req.contactId);
  if (!contact) throw notFound(`there is no contact ${req.contactId}`);
  await insertCallbackEntry(store.db, {
    workspace_id: workspace.id,
    user_id: req.user.id,
    contact_id: contact.id,
    reason: 'manual',
    attempt_id: null,
    since_at: window.sinceAt,
    expires_at: window.expiresAt,
  });
  const line = (await listCallbacks(store, req.user, req.at)).find((l) => l.contact.id === contact.id);
  // The entry is live from now, so the contact is on the list (under an appointment, if one is about to start).
  if (!line) throw new Error(`contact ${contact.id} was circled but is not on the list`);
  return line;
}

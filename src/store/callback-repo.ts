/**
 * The callback list as stored: a user's live entries with who each contact is, and the
 * appointments about to start. Entries are written by logAttempt (insertCallbackEntry in
 * attempt-repo.ts, the one writer; a conversation clears them, clearCallbackEntries there) and
 * by circling.
 */
import type { Kysely } from 'kysely';
import { APPOINTMENT_WINDOW_MS } from '../core/callbacks/list.js';
import type { Database } from './schema.js';
import { type Actor, contactInScope } from './scope.js';

/** Entries not expired at `at` (cleared and future ones are for core/callbacks to judge). */
export async function liveEntriesOf(db: Kysely<Database>, userId: number, at: number) {
  return db
    .selectFrom('callback_entries')
    .select(['id', 'contact_id', 'reason', 'attempt_id', 'since_at', 'expires_at', 'cleared_at'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', at)
    .where('since_at', '<=', at)
    .where((eb) => eb.or([eb('cleared_at', 'is', null), eb('cleared_at', '>', at)]))
    .execute();
}

export async function appointmentsAround(db: Kysely<Database>, userId: number, at: number) {
  return db
    .selectFrom('appointments')
    .select(['id', 'contact_id', 'attempt_id', 'starts_at', 'status'])
    .where('user_id', '=', userId)
    .where('starts_at', '>=', at - APPOINTMENT_WINDOW_MS)
    .where('starts_at', '<=', at + APPOINTMENT_WINDOW_MS)
    .execute();
}

export async function contactsByIds(db: Kysely<Database>, workspaceId: number, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('contacts as c')
    .leftJoin('companies as co', 'co.id', 'c.company_id')
    .select(['c.id', 'c.first_name', 'c.last_name', 'co.name as company'])
    .where('c.workspace_id', '=', workspaceId)
    .where('c.id', 'in', [...ids])
    .execute();
}

/** The contact, when the user may see it (store/scope.ts); undefined otherwise. */
export async function contactVisibleTo(db: Kysely<Database>, actor: Actor, contactId: number) {
  return db
    .selectFrom('contacts as c')
    .leftJoin('companies as co', 'co.id', 'c.company_id')
    .select(['c.id', 'c.first_name', 'c.last_name', 'c.do_not_call', 'co.name as company'])
    .where('c.id', '=', contactId)
    .where(contactInScope(actor, 'c'))
    .executeTakeFirst();
}

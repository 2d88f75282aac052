/**
 * What telephony reads and writes: workspace provider settings, the users calls arrive for,
 * inbound voicemails (on the contact's timeline) and outbound provider calls.
 */
import type { Insertable, Kysely, Updateable } from 'kysely';
import type { Database, ProviderCallTable, User, VoicemailTable } from './schema.js';

export async function workspaceSettings(db: Kysely<Database>, workspaceId: number): Promise<string> {
  const row = await db
    .selectFrom('workspaces')
    .select('settings')
    .where('id', '=', workspaceId)
    .executeTakeFirst();
  return row?.settings ?? '{}';
}

export async function workspaceRow(db: Kysely<Database>, workspaceId: number) {
  return db
    .selectFrom('workspaces')
    .select(['id', 'default_country', 'time_zone', 'settings'])
    .where('id', '=', workspaceId)
    .executeTakeFirst();
}

export async function writeWorkspaceSettings(
  db: Kysely<Database>,
  workspaceId: number,
  settings: string,
): Promise<void> {
  await db.updateTable('workspaces').set({ settings }).where('id', '=', workspaceId).execute();
}

export async function usersByEmails(
  db: Kysely<Database>,
  workspaceId: number,
  emails: readonly string[],
): Promise<User[]> {
  if (emails.length === 0) return [];
  return db
    .selectFrom('users')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where(
      'email',
      'in',
      emails.map((e) => e.trim().toLowerCase()),
    )
    .execute();
}

/** A contact's name and company, for an event. */
export async function contactCard(db: Kysely<Database>, contactId: number) {
  return db
    .selectFrom('contacts as c')
    .leftJoin('companies as co', 'co.id', 'c.company_id')
    .select(['c.id', 'c.first_name', 'c.last_name', 'co.name as company'])
    .where('c.id', '=', contactId)
    .executeTakeFirst();
}

/** Stores a voicemail; null when that recording, or a recording of that call, was already stored (a replay). */
export async function insertVoicemail(
  db: Kysely<Database>,
  values: Insertable<VoicemailTable>,
): Promise<number | null> {
  const row = await db
    .insertInto('voicemails')
    .values(values)
    // Either unique index: (workspace, recording) or (workspace, call).
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Sets a voicemail's transcription once: `kept` when it already has one (a replay changes
 * nothing), `missing` when no voicemail has that recording.
 */
export async function setVoicemailTranscription(
  db: Kysely<Database>,
  workspaceId: number,
  recordingSid: string,
  transcription: string,
): Promise<'stored' | 'kept' | 'missing'> {
  const result = await db
    .updateTable('voicemails')
    .set({ transcription })
    .where('workspace_id', '=', workspaceId)
    .where('recording_sid', '=', recordingSid)
    .where('transcription', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) > 0) return 'stored';
  const held = await db
    .selectFrom('voicemails')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('recording_sid', '=', recordingSid)
    .executeTakeFirst();
  return held ? 'kept' : 'missing';
}

export async function voicemailsOfContact(db: Kysely<Database>, workspaceId: number, contactId: number) {
  return db
    .selectFrom('voicemails')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function insertProviderCall(
  db: Kysely<Database>,
  values: Insertable<ProviderCallTable>,
): Promise<number> {
  const row = await db.insertInto('provider_calls').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function providerCallById(db: Kysely<Database>, workspaceId: number, id: number) {
  return db
    .selectFrom('provider_calls')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function updateProviderCall(
  db: Kysely<Database>,
  id: number,
  changes: Updateable<ProviderCallTable>,
): Promise<void> {
  await db.updateTable('provider_calls').set(changes).where('id', '=', id).execute();
}

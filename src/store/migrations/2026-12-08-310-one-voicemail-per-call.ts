/**
 * One voicemail per call: a caller leaves one message, so a second recording callback for the
 * same call (a replay under another recording id) must change nothing. The unique
 * (workspace, call) index makes that hold under concurrent callbacks too. A database that
 * already holds a second recording for a call keeps the first one received.
 */
import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect.js';

export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await sql`delete from voicemails where exists (
      select 1 from voicemails earlier
      where earlier.workspace_id = voicemails.workspace_id and earlier.call_sid = voicemails.call_sid
        and earlier.id < voicemails.id)`.execute(db);
  await db.schema
    .createIndex('voicemails_call')
    .on('voicemails')
    .columns(['workspace_id', 'call_sid'])
    .unique()
    .execute();
}

export async function down(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.dropIndex('voicemails_call').execute();
}

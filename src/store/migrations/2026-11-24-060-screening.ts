/**
 * Screening and telephony: the provider's call id on each decision (a replayed webhook finds
 * the decision it already made), inbound voicemails on the contact's timeline, and outbound
 * provider calls tied to the attempt they log.
 *
 * - screening_decisions_call is unique: one decision per provider call, so a replay cannot
 *   make a second one (NULLs, decisions made without a provider, never collide).
 * - screening_decisions_block serves the end-of-block summary.
 * - callback_entries_user_contact serves screening: a user's live entries for the contacts
 *   that own the calling number.
 */
import type { Kysely } from 'kysely';
import { bigint, type DialectName, refersTo, withId } from '../dialect.js';

export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await db.schema.alterTable('screening_decisions').addColumn('call_sid', 'text').execute();
  await db.schema
    .alterTable('screening_decisions')
    .addColumn('fail_open', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('screening_decisions_call')
    .on('screening_decisions')
    .columns(['workspace_id', 'call_sid'])
    .unique()
    .execute();
  await db.schema
    .createIndex('screening_decisions_block')
    .on('screening_decisions')
    .columns(['block_id', 'decided_at'])
    .execute();
  await db.schema
    .createIndex('callback_entries_user_contact')
    .on('callback_entries')
    .columns(['user_id', 'contact_id', 'expires_at'])
    .execute();

  await withId(db.schema.createTable('voicemails'), dialect)
    .addColumn('workspace_id', bigint, (c) => refersTo('workspaces', 'cascade')(c.notNull()))
    .addColumn('user_id', bigint, (c) => refersTo('users', 'cascade')(c.notNull()))
    .addColumn('contact_id', bigint, refersTo('contacts', 'set null'))
    .addColumn('decision_id', bigint, refersTo('screening_decisions', 'set null'))
    .addColumn('call_sid', 'text', (c) => c.notNull())
    .addColumn('recording_sid', 'text', (c) => c.notNull())
    .addColumn('caller_e164', 'text')
    .addColumn('recording_url', 'text', (c) => c.notNull())
    .addColumn('duration_s', 'integer', (c) => c.notNull())
    .addColumn('transcription', 'text')
    .addColumn('received_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('voicemails_recording')
    .on('voicemails')
    .columns(['workspace_id', 'recording_sid'])
    .unique()
    .execute();
  await db.schema
    .createIndex('voicemails_contact_time')
    .on('voicemails')
    .columns(['contact_id', 'received_at'])
    .execute();

  await withId(db.schema.createTable('provider_calls'), dialect)
    .addColumn('workspace_id', bigint, (c) => refersTo('workspaces', 'cascade')(c.notNull()))
    .addColumn('user_id', bigint, (c) => refersTo('users', 'cascade')(c.notNull()))
    .addColumn('contact_id', bigint, (c) => refersTo('contacts', 'cascade')(c.notNull()))
    .addColumn('campaign_id', bigint, refersTo('campaigns', 'set null'))
    .addColumn('to_e164', 'text', (c) => c.notNull())
    .addColumn('call_sid', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued'))
    .addColumn('answered_by', 'text')
    .addColumn('attempt_id', bigint, refersTo('attempts', 'set null'))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('provider_calls_sid')
    .on('provider_calls')
    .columns(['workspace_id', 'call_sid'])
    .unique()
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('provider_calls').ifExists().execute();
  await db.schema.dropTable('voicemails').ifExists().execute();
  await db.schema.dropIndex('callback_entries_user_contact').ifExists().execute();
  await db.schema.dropIndex('screening_decisions_block').ifExists().execute();
  await db.schema.dropIndex('screening_decisions_call').ifExists().execute();
  await db.schema.alterTable('screening_decisions').dropColumn('fail_open').execute();
  await db.schema.alterTable('screening_decisions').dropColumn('call_sid').execute();
}

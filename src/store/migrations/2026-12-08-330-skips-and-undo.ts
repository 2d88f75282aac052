/**
 * The call block's skip and undo, and the keyboard-shortcut setting.
 *
 * - skips: a call passed over without dialling, with its optional reason; the block summary
 *   counts them and the queue does not offer the contact to the same rep again in that block.
 * - undoable_logs: each user's last logged outcome or skip and what it changed, so it can be
 *   reversed for two minutes; one row per user, replaced by the next log.
 * - users.keyboard_shortcuts: 0 turns the block page's single-key shortcuts off (WCAG 2.1.4).
 */
import type { Kysely } from 'kysely';
import { bigint, type DialectName, refersTo, withId } from '../dialect.js';

export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await withId(db.schema.createTable('skips'), dialect)
    .addColumn('workspace_id', bigint, (c) => refersTo('workspaces', 'cascade')(c.notNull()))
    .addColumn('user_id', bigint, (c) => refersTo('users', 'cascade')(c.notNull()))
    .addColumn('contact_id', bigint, (c) => refersTo('contacts', 'cascade')(c.notNull()))
    .addColumn('enrollment_id', bigint, (c) => refersTo('enrollments', 'cascade')(c.notNull()))
    .addColumn('block_id', bigint, refersTo('call_blocks', 'set null'))
    .addColumn('reason', 'text')
    .addColumn('skipped_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('skips_block').on('skips').columns(['block_id']).execute();
  await db.schema.createIndex('skips_user_time').on('skips').columns(['user_id', 'skipped_at']).execute();

  await db.schema
    .createTable('undoable_logs')
    .addColumn('user_id', bigint, (c) => refersTo('users', 'cascade')(c.primaryKey()))
    .addColumn('workspace_id', bigint, (c) => refersTo('workspaces', 'cascade')(c.notNull()))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target_id', bigint, (c) => c.notNull())
    .addColumn('logged_at', bigint, (c) => c.notNull())
    .addColumn('journal', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .alterTable('users')
    .addColumn('keyboard_shortcuts', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('keyboard_shortcuts').execute();
  await db.schema.dropTable('undoable_logs').ifExists().execute();
  await db.schema.dropTable('skips').ifExists().execute();
}

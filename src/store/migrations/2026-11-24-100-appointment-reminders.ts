/**
 * Appointment reminders: each workspace says how many minutes before an appointment its user
 * is reminded (0: never), and each appointment records when its reminder went out. Any server
 * process may run the reminder timer: setting `reminded_at` where it is still null claims the
 * reminder, so with several processes on one database it is sent once.
 */
import { type Kysely, sql } from 'kysely';
import { bigint, type DialectName } from '../dialect.js';

export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .alterTable('workspaces')
    .addColumn('reminder_minutes', 'integer', (c) => c.notNull().defaultTo(10))
    .execute();
  await db.schema.alterTable('appointments').addColumn('reminded_at', bigint).execute();
  // The timer's question, "scheduled, not reminded, starting soon", reads only this index.
  await db.schema
    .createIndex('appointments_reminder_due')
    .on('appointments')
    .column('starts_at')
    .where(sql.ref('reminded_at'), 'is', null)
    .where(sql.ref('status'), '=', 'scheduled')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('appointments_reminder_due').ifExists().execute();
  await db.schema.alterTable('appointments').dropColumn('reminded_at').execute();
  await db.schema.alterTable('workspaces').dropColumn('reminder_minutes').execute();
}

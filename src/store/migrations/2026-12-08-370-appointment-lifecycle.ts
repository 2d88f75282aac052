/**
 * Appointments have a lifecycle: scheduled, rescheduled, cancelled, held or no_show (the old
 * `done` is held, `missed` is no_show), and a `sequence` that each change raises, so a calendar
 * that holds the invite takes the newer one (RFC 5545 SEQUENCE). A rescheduled appointment is
 * still reminded, so the reminder index covers both live statuses.
 *
 * SQLite cannot change a CHECK constraint, so the table is rebuilt the way its manual prescribes
 * (as in 2026-12-08-300): foreign keys off, one transaction, copy, drop, rename, indexes back.
 */
import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect.js';

const OLD_CHECK = "status in ('scheduled', 'done', 'cancelled', 'missed')";
const NEW_CHECK = "status in ('scheduled', 'rescheduled', 'cancelled', 'held', 'no_show')";
const STATUS_MAP = sql`case status when 'done' then 'held' when 'missed' then 'no_show' else status end`;
const BACK_MAP = sql`case status when 'held' then 'done' when 'no_show' then 'missed' when 'rescheduled' then 'scheduled' else status end`;

async function reminderIndex(db: Kysely<unknown>, statuses: 'live' | 'scheduled'): Promise<void> {
  await db.schema.dropIndex('appointments_reminder_due').ifExists().execute();
  await db.schema
    .createIndex('appointments_reminder_due')
    .on('appointments')
    .column('starts_at')
    .where(sql.ref('reminded_at'), 'is', null)
    .where(
      statuses === 'live'
        ? sql<boolean>`status in ('scheduled', 'rescheduled')`
        : sql<boolean>`status = 'scheduled'`,
    )
    .execute();
}

export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') {
    await sql`alter table appointments drop constraint if exists appointments_status_check`.execute(db);
    await sql`update appointments set status = ${STATUS_MAP}`.execute(db);
    await sql`alter table appointments add constraint appointments_status_check check (${sql.raw(NEW_CHECK)})`.execute(
      db,
    );
  } else {
    await rebuildSqlite(db, OLD_CHECK, NEW_CHECK, STATUS_MAP);
  }
  await db.schema
    .alterTable('appointments')
    .addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await reminderIndex(db, 'live');
}

export async function down(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await db.schema.dropIndex('appointments_reminder_due').ifExists().execute();
  await db.schema.alterTable('appointments').dropColumn('sequence').execute();
  if (dialect === 'postgres') {
    await sql`alter table appointments drop constraint if exists appointments_status_check`.execute(db);
    await sql`update appointments set status = ${BACK_MAP}`.execute(db);
    await sql`alter table appointments add constraint appointments_status_check check (${sql.raw(OLD_CHECK)})`.execute(
      db,
    );
  } else {
    await rebuildSqlite(db, NEW_CHECK, OLD_CHECK, BACK_MAP);
  }
  await reminderIndex(db, 'scheduled');
}

async function rebuildSqlite(
  db: Kysely<unknown>,
  from: string,
  to: string,
  status: ReturnType<typeof sql>,
): Promise<void> {
  const table = await sql<{ sql: string }>`
    select sql from sqlite_master where type = 'table' and name = 'appointments'`.execute(db);
  const definition = table.rows[0]?.sql ?? '';
  if (!definition.includes(from)) {
    throw new Error(`appointment-lifecycle: the appointments table has no check "${from}" to replace`);
  }
  const indexes = await sql<{ sql: string }>`
    select sql from sqlite_master where type = 'index' and tbl_name = 'appointments'
      and name != 'appointments_reminder_due' and sql is not null`.execute(db);
  const columns = await sql<{ name: string }>`select name from pragma_table_info('appointments')`.execute(db);
  const names = columns.rows.map((c) => c.name);
  const selected = names.map((n) => (n === 'status' ? status : sql.ref(n)));
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin immediate`.execute(db);
    try {
      await sql
        .raw(
          definition
            .replace('CREATE TABLE "appointments"', 'CREATE TABLE "appointments_lifecycle"')
            .replace(from, to),
        )
        .execute(db);
      await sql`insert into appointments_lifecycle (${sql.join(names.map((n) => sql.ref(n)))})
        select ${sql.join(selected)} from appointments`.execute(db);
      await sql`drop table appointments`.execute(db);
      await sql`alter table appointments_lifecycle rename to appointments`.execute(db);
      for (const index of indexes.rows) await sql.raw(index.sql).execute(db);
      const broken = await sql`pragma foreign_key_check`.execute(db);
      if (broken.rows.length > 0) {
        throw new Error(`appointment-lifecycle: foreign keys broken: ${JSON.stringify(broken.rows)}`);
      }
      await sql`commit`.execute(db);
    } catch (error) {
      await sql`rollback`.execute(db);
      throw error;
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

/**
 * Indexes that hand the queue each of its four lists (DESIGN.md "Queue order") in exactly the
 * order core/queue takes from it, so a page of `limit` rows per list is enough and nothing is
 * sorted but what is read:
 *
 * - enrollments_owner_scheduled: appointments, and apart from them requested callbacks, by due
 *   time. Partial (due_kind appointment or callback): it holds the few scheduled calls only.
 * - enrollments_owner_retries: due retries by priority (highest first), then longest overdue,
 *   fewest put-offs, id. Partial (due_kind retry). The due time is a filter inside the index.
 * - enrollments_owner_fresh: fresh prospects, oldest enrollment first (created_at, then id).
 *   Partial (state new).
 *
 * They replace enrollments_owner_next_due, which read every due row to find the scheduled ones
 * and gave retries in due order rather than priority order, and enrollments_owner_state_id.
 * Queries name the partial indexes' conditions with literals (not parameters), which is what
 * lets SQLite and PostgreSQL use them.
 *
 * A due time always comes with its kind; rows written before that was checked everywhere get
 * `retry`, which is how the queue has always read a due time without a kind.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`update enrollments set due_kind = 'retry'
             where due_kind is null and next_due_at is not null
               and state in ('active', 'snoozed', 'appointment')`.execute(db);
  await db.schema
    .createIndex('enrollments_owner_scheduled')
    .on('enrollments')
    .columns(['owner_id', 'due_kind', 'next_due_at', 'id'])
    .where(sql<boolean>`due_kind in ('appointment', 'callback')`)
    .execute();
  await db.schema
    .createIndex('enrollments_owner_retries')
    .on('enrollments')
    .columns(['owner_id', 'priority desc', 'next_due_at', 'put_offs', 'id'])
    .where(sql<boolean>`due_kind = 'retry'`)
    .execute();
  await db.schema
    .createIndex('enrollments_owner_fresh')
    .on('enrollments')
    .columns(['owner_id', 'created_at', 'id'])
    .where(sql<boolean>`state = 'new'`)
    .execute();
  await db.schema.dropIndex('enrollments_owner_next_due').execute();
  await db.schema.dropIndex('enrollments_owner_state_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('enrollments_owner_state_id')
    .on('enrollments')
    .columns(['owner_id', 'state', 'id'])
    .execute();
  await db.schema
    .createIndex('enrollments_owner_next_due')
    .on('enrollments')
    .columns(['owner_id', 'next_due_at'])
    .execute();
  await db.schema.dropIndex('enrollments_owner_fresh').execute();
  await db.schema.dropIndex('enrollments_owner_retries').execute();
  await db.schema.dropIndex('enrollments_owner_scheduled').execute();
}

/**
 * Indexes for the queue and for logging an outcome on a large database (bench/queue.ts).
 *
 * - enrollments_owner_next_due and enrollments_owner_state_id let the queue read a user's
 *   candidates in the order it wants them and stop at its limit, instead of sorting the user's
 *   whole backlog: due enrollments by due time, fresh ones by id (dueCandidates and
 *   freshCandidates in queue-repo.ts, one query per owner). They replace enrollments_owner_due,
 *   which only narrowed the rows and which nothing reads any more; keeping it would cost every
 *   rescheduled enrollment one more index update.
 * - attempts_enrollment_history holds everything historyOf reads, in order, so an enrollment's
 *   history is one short index range rather than a row fetch per attempt scattered over a
 *   table written in time order. It replaces attempts_enrollment, its prefix.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('enrollments_owner_next_due')
    .on('enrollments')
    .columns(['owner_id', 'next_due_at'])
    .execute();
  await db.schema
    .createIndex('enrollments_owner_state_id')
    .on('enrollments')
    .columns(['owner_id', 'state', 'id'])
    .execute();
  await db.schema.dropIndex('enrollments_owner_due').execute();
  await db.schema
    .createIndex('attempts_enrollment_history')
    .on('attempts')
    .columns([
      'enrollment_id',
      'started_at',
      'id',
      'outcome',
      'number_id',
      'voicemail_left',
      'script',
      'scheduled_for',
    ])
    .execute();
  await db.schema.dropIndex('attempts_enrollment').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('attempts_enrollment').on('attempts').columns(['enrollment_id']).execute();
  await db.schema.dropIndex('attempts_enrollment_history').execute();
  await db.schema
    .createIndex('enrollments_owner_due')
    .on('enrollments')
    .columns(['owner_id', 'state', 'next_due_at'])
    .execute();
  await db.schema.dropIndex('enrollments_owner_state_id').execute();
  await db.schema.dropIndex('enrollments_owner_next_due').execute();
}

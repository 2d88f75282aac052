/**
 * Insights and the contact timeline.
 *
 * - attempts_workspace_time, screening_decisions_workspace_time, call_blocks_workspace_time:
 *   a whole workspace's period (an admin's stats with no user filter); the per-user indexes
 *   serve a rep's or a team's.
 * - screening_decisions_contact_time: a contact's inbound calls, for the experiment's "called
 *   back" and the contact's timeline.
 */
import type { Kysely } from 'kysely';

const INDEXES: [name: string, table: string, columns: string[]][] = [
  ['attempts_workspace_time', 'attempts', ['workspace_id', 'started_at']],
  ['screening_decisions_workspace_time', 'screening_decisions', ['workspace_id', 'decided_at']],
  ['call_blocks_workspace_time', 'call_blocks', ['workspace_id', 'started_at']],
  ['screening_decisions_contact_time', 'screening_decisions', ['contact_id', 'decided_at']],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name, table, columns] of INDEXES) {
    await db.schema.createIndex(name).on(table).columns(columns).execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [name] of INDEXES) await db.schema.dropIndex(name).ifExists().execute();
}

/**
 * Workspaces. The CLI works in one workspace per database (the first); the server adds more.
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { Database, Workspace } from './schema.js';

export async function findDefaultWorkspace(db: Kysely<Database>): Promise<Workspace | undefined> {
  return db.selectFrom('workspaces').selectAll().orderBy('id').limit(1).executeTakeFirst();
}

/**
 * The first workspace, created on first use. Its id is fixed (1) so two processes starting on an
 * empty database at once create one workspace, not two.
 */
export async function ensureDefaultWorkspace(db: Kysely<Database>, now: number): Promise<Workspace> {
  const existing = await findDefaultWorkspace(db);
  if (existing) return existing;
  await db
    .insertInto('workspaces')
    .values({
      id: 1,
      name: 'My workspace',
      default_country: 'US',
      time_zone: 'America/New_York',
      created_at: now,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  // PostgreSQL's sequence did not hand out that id: move it past, so later workspaces get their own.
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`select setval(pg_get_serial_sequence('workspaces', 'id'), (select max(id) from workspaces))`.execute(
      db,
    );
  }
  return (await findDefaultWorkspace(db))!;
}

export async function updateWorkspace(
  db: Kysely<Database>,
  id: number,
  changes: Partial<Pick<Workspace, 'name' | 'default_country' | 'time_zone'>>,
): Promise<Workspace> {
  return db
    .updateTable('workspaces')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

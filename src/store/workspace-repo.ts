/**
 * Workspaces. The CLI works in one workspace per database (the first); the server adds more.
 */
import type { Kysely } from 'kysely';
import type { Database, Workspace } from './schema.js';

export async function findDefaultWorkspace(db: Kysely<Database>): Promise<Workspace | undefined> {
  return db.selectFrom('workspaces').selectAll().orderBy('id').limit(1).executeTakeFirst();
}

export async function ensureDefaultWorkspace(db: Kysely<Database>, now: number): Promise<Workspace> {
  const existing = await findDefaultWorkspace(db);
  if (existing) return existing;
  return db
    .insertInto('workspaces')
    .values({ name: 'My workspace', default_country: 'US', time_zone: 'America/New_York', created_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
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

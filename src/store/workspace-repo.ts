/**
 * Workspaces. A use case works in its actor's workspace: the signed-in user's on the server,
 * the `--user`'s on the command line, else (a local command naming nobody) the first one.
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely';
import { compiledOnce } from './queue-repo.js';
import type { Database, User, Workspace } from './schema.js';

/** Compiled once: every logged outcome reads its workspace. */
export async function findWorkspace(db: Kysely<Database>, id: number): Promise<Workspace | undefined> {
  const { rows } = await db.executeQuery(
    compiledOnce(db, 'findWorkspace', [id] as const, (key) =>
      db.selectFrom('workspaces').selectAll().where('id', '=', key),
    ),
  );
  return rows[0];
}

/**
 * The workspace a use case acts in: the user's, or the default one when no user acts (a local
 * command on a database without users, or naming none).
 */
export async function workspaceOfActor(
  db: Kysely<Database>,
  user: Pick<User, 'id' | 'workspace_id'> | null,
  now: number,
): Promise<Workspace> {
  return user === null ? ensureDefaultWorkspace(db, now) : workspaceOfUser(db, user);
}

/** The workspace a user belongs to. */
export async function workspaceOfUser(
  db: Kysely<Database>,
  user: Pick<User, 'id' | 'workspace_id'>,
): Promise<Workspace> {
  const workspace = await findWorkspace(db, user.workspace_id);
  if (!workspace) throw new Error(`user ${user.id}'s workspace ${user.workspace_id} does not exist`);
  return workspace;
}

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
  changes: Partial<Pick<Workspace, 'name' | 'default_country' | 'time_zone' | 'reminder_minutes'>>,
): Promise<Workspace> {
  return db
    .updateTable('workspaces')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The settings document, read to be rewritten in the same write transaction: on PostgreSQL the
 * row is locked (FOR UPDATE) so two writers of different keys cannot both start from the old
 * text; SQLite's write transaction (BEGIN IMMEDIATE) already lets one writer in at a time.
 */
export async function workspaceSettingsForUpdate(
  trx: Kysely<Database>,
  workspaceId: number,
): Promise<string> {
  const query = trx.selectFrom('workspaces').select('settings').where('id', '=', workspaceId);
  const row =
    trx.getExecutor().adapter instanceof PostgresAdapter
      ? await query.forUpdate().executeTakeFirst()
      : await query.executeTakeFirst();
  return row?.settings ?? '{}';
}

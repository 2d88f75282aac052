/**
 * Contacts one at a time (the API's create, update, delete and detail), always within what the
 * acting user may see (scope.ts). Bulk writes are the importer's (contact-import-repo.ts).
 */
import { type Insertable, type Kysely, sql, type Updateable } from 'kysely';
import { companyKey } from '../core/import/draft-index.js';
import type { ContactTable, Database } from './schema.js';
import { type Actor, contactInScope, ownedInScope } from './scope.js';

export function contactColumns(db: Kysely<Database>) {
  return db
    .selectFrom('contacts as c')
    .leftJoin('companies as co', 'co.id', 'c.company_id')
    .select([
      'c.id',
      'c.workspace_id',
      'c.first_name',
      'c.last_name',
      'c.title',
      'co.name as company',
      'c.email',
      'c.time_zone',
      'c.kind',
      'c.owner_id',
      'c.do_not_call',
      'c.interests',
      'c.city',
      'c.region',
      'c.country',
      'c.notes',
      'c.updated_at',
    ]);
}

export type ContactRecord = Awaited<ReturnType<ReturnType<typeof contactColumns>['executeTakeFirstOrThrow']>>;

/** Which of these contacts the actor may see (scope.ts). */
export async function contactIdsInScope(
  db: Kysely<Database>,
  actor: Actor,
  ids: readonly number[],
): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('contacts as c')
    .select('c.id')
    .where('c.id', 'in', [...ids])
    .where(contactInScope(actor, 'c'))
    .execute();
  return new Set(rows.map((r) => r.id));
}

export async function findContactInScope(
  db: Kysely<Database>,
  actor: Actor,
  id: number,
): Promise<ContactRecord | undefined> {
  return contactColumns(db).where('c.id', '=', id).where(contactInScope(actor, 'c')).executeTakeFirst();
}

/** The company's id, created on first use; null for no company. */
export async function companyId(
  db: Kysely<Database>,
  workspaceId: number,
  name: string | null,
  now: number,
): Promise<number | null> {
  if (name === null || name.trim() === '') return null;
  const key = companyKey(name);
  await db
    .insertInto('companies')
    .values({ workspace_id: workspaceId, name: name.trim(), name_key: key, created_at: now })
    .onConflict((oc) => oc.columns(['workspace_id', 'name_key']).doNothing())
    .execute();
  const row = await db
    .selectFrom('companies')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('name_key', '=', key)
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertContact(db: Kysely<Database>, values: Insertable<ContactTable>): Promise<number> {
  const row = await db.insertInto('contacts').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateContact(
  db: Kysely<Database>,
  id: number,
  changes: Updateable<ContactTable>,
): Promise<void> {
  await db.updateTable('contacts').set(changes).where('id', '=', id).execute();
}

/**
 * Whether the contact carries work of users outside the actor's scope: calls they made or
 * enrollments they own (deleting the contact would delete those too).
 */
export async function contactHasOthersWork(db: Kysely<Database>, actor: Actor, id: number): Promise<boolean> {
  const row = await db
    .selectNoFrom(
      sql<number>`case when exists (select 1 from attempts a where a.contact_id = ${id} and a.user_id is not null and not (${ownedInScope(actor, 'a.user_id')}))
        or exists (select 1 from enrollments e where e.contact_id = ${id} and e.owner_id is not null and not (${ownedInScope(actor, 'e.owner_id')}))
        then 1 else 0 end`.as('others'),
    )
    .executeTakeFirstOrThrow();
  return Number(row.others) === 1;
}

export async function deleteContact(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('contacts').where('id', '=', id).execute();
}

export async function removeNumberFromContact(
  db: Kysely<Database>,
  contactId: number,
  numberId: number,
): Promise<boolean> {
  const result = await db
    .deleteFrom('contact_numbers')
    .where('contact_id', '=', contactId)
    .where('number_id', '=', numberId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Registry do-not-call lists in the store: a list is written in one transaction (a full list
 * replaces the current one, a change list adds and deletes), so a reader sees the old list or
 * the new one, never part of either; a killed load rolls back. Millions of numbers are written
 * through the bulk paths each database has: on SQLite, multi-row inserts prepared once on the
 * raw connection inside the transaction, in key order; on PostgreSQL, COPY.
 */
import { type Kysely, sql } from 'kysely';
import type { RegistryList } from '../core/dnc/registry.js';
import type { RegistryFile, RegistrySource } from '../core/dnc/registry-file.js';
import type { Store } from './db.js';
import type { Database } from './schema.js';
import { inWriteTransaction } from './write-transaction.js';

export interface StoredRegistryList extends RegistryList {
  id: number;
  numbers: number;
  loadedAt: number;
}

export interface RegistryLoad {
  workspaceId: number;
  source: RegistrySource;
  asOf: string;
  file: RegistryFile;
  userId: number | null;
  now: number;
}

export type RegistryLoadResult =
  | { ok: true; list: StoredRegistryList; added: number; removed: number; listedNumbers: number }
  | { ok: false; reason: 'no_full_list' };

/** Rows per multi-row insert on SQLite: 500 parameters a statement. */
const SQLITE_ROWS = 500;

export async function loadRegistryList(store: Store, load: RegistryLoad): Promise<RegistryLoadResult> {
  return inWriteTransaction(store, async (trx) => {
    const existing = await trx
      .selectFrom('dnc_registry_lists')
      .selectAll()
      .where('workspace_id', '=', load.workspaceId)
      .where('source', '=', load.source)
      .executeTakeFirst();
    if (load.file.kind === 'changes' && !existing) return { ok: false, reason: 'no_full_list' } as const;
    const listId =
      existing?.id ??
      (
        await trx
          .insertInto('dnc_registry_lists')
          .values({
            workspace_id: load.workspaceId,
            source: load.source,
            as_of: load.asOf,
            numbers: 0,
            coverage: '[]',
            loaded_at: load.now,
            loaded_by: load.userId,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    let removed = 0;
    let coverage = load.file.coverage;
    if (load.file.kind === 'full') {
      removed = Number(
        (await trx.deleteFrom('dnc_registry_numbers').where('list_id', '=', listId).executeTakeFirst())
          .numDeletedRows,
      );
      await insertNumbers(store, trx, listId, load.file.add, false);
    } else {
      await insertNumbers(store, trx, listId, load.file.add, true);
      removed = await deleteNumbers(store, trx, listId, load.file.remove);
      coverage = [...new Set([...(JSON.parse(existing!.coverage) as string[]), ...coverage])].sort();
    }
    const { count } = await trx
      .selectFrom('dnc_registry_numbers')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('list_id', '=', listId)
      .executeTakeFirstOrThrow();
    const numbers = Number(count);
    await trx
      .updateTable('dnc_registry_lists')
      .set({
        as_of: load.asOf,
        numbers,
        coverage: JSON.stringify(coverage),
        loaded_at: load.now,
        loaded_by: load.userId,
      })
      .where('id', '=', listId)
      .execute();
    return {
      ok: true,
      list: { id: listId, source: load.source, asOf: load.asOf, coverage, numbers, loadedAt: load.now },
      added: load.file.kind === 'full' ? numbers : load.file.add.length,
      removed,
      listedNumbers: await listedWorkspaceNumbers(trx, load.workspaceId, listId),
    };
  });
}

async function insertNumbers(
  store: Store,
  trx: Kysely<Database>,
  listId: number,
  numbers: Float64Array,
  ignoreRepeats: boolean,
): Promise<void> {
  if (numbers.length === 0) return;
  const id = Math.trunc(listId);
  if (store.dialect === 'sqlite') {
    const sqlite = store.sqlite!;
    const verb = ignoreRepeats ? 'insert or ignore' : 'insert';
    const rows = (n: number) => Array.from({ length: n }, () => `(${id},?)`).join(',');
    const full = sqlite.prepare(
      `${verb} into dnc_registry_numbers (list_id, number) values ${rows(SQLITE_ROWS)}`,
    );
    const args: number[] = new Array(SQLITE_ROWS);
    let i = 0;
    for (; i + SQLITE_ROWS <= numbers.length; i += SQLITE_ROWS) {
      for (let j = 0; j < SQLITE_ROWS; j++) args[j] = numbers[i + j]!;
      full.run(args);
    }
    if (i < numbers.length) {
      const rest = Array.from(numbers.subarray(i));
      sqlite
        .prepare(`${verb} into dnc_registry_numbers (list_id, number) values ${rows(rest.length)}`)
        .run(rest);
    }
    return;
  }
  if (ignoreRepeats) {
    for (let i = 0; i < numbers.length; i += 50_000) {
      const chunk = Array.from(numbers.subarray(i, i + 50_000));
      await sql`insert into dnc_registry_numbers (list_id, number)
                select ${id}, n from unnest(${chunk}::bigint[]) as n
                on conflict do nothing`.execute(trx);
    }
    return;
  }
  const lines: string[] = new Array(numbers.length);
  for (let i = 0; i < numbers.length; i++) lines[i] = `${id}\t${numbers[i]}\n`;
  await store.copyFrom!(trx, 'copy dnc_registry_numbers (list_id, number) from stdin', lines.join(''));
}

async function deleteNumbers(
  store: Store,
  trx: Kysely<Database>,
  listId: number,
  numbers: Float64Array,
): Promise<number> {
  if (numbers.length === 0) return 0;
  let removed = 0;
  if (store.dialect === 'sqlite') {
    const del = store.sqlite!.prepare('delete from dnc_registry_numbers where list_id = ? and number = ?');
    for (const n of numbers) removed += del.run(listId, n).changes;
    return removed;
  }
  for (let i = 0; i < numbers.length; i += 50_000) {
    const chunk = Array.from(numbers.subarray(i, i + 50_000));
    const result = await sql`delete from dnc_registry_numbers
                             where list_id = ${listId} and number = any(${chunk}::bigint[])`.execute(trx);
    removed += Number(result.numAffectedRows ?? 0);
  }
  return removed;
}

/** The E.164 number as the registry tables key it. */
const numberKey = sql<number>`cast(substr(n.e164, 2) as bigint)`;

/** How many of the workspace's numbers the list holds: the scrub of what is stored. */
async function listedWorkspaceNumbers(
  db: Kysely<Database>,
  workspaceId: number,
  listId: number,
): Promise<number> {
  const row = await db
    .selectFrom('numbers as n')
    .innerJoin('dnc_registry_numbers as r', (j) =>
      j.on('r.list_id', '=', listId).on('r.number', '=', numberKey),
    )
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('n.workspace_id', '=', workspaceId)
    .where('n.e164', 'like', '+%')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function registryLists(
  db: Kysely<Database>,
  workspaceId: number,
): Promise<StoredRegistryList[]> {
  const rows = await db
    .selectFrom('dnc_registry_lists')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('source')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    source: r.source,
    asOf: r.as_of,
    coverage: JSON.parse(r.coverage) as string[],
    numbers: Number(r.numbers),
    loadedAt: Number(r.loaded_at),
  }));
}

/** For each of these E.164 numbers on a current registry list of the workspace, the sources that list it. */
export async function registryListings(
  db: Kysely<Database>,
  workspaceId: number,
  e164s: readonly string[],
): Promise<Map<string, RegistrySource[]>> {
  const out = new Map<string, RegistrySource[]>();
  const keys = [...new Set(e164s.filter((e) => /^\+\d{1,15}$/.test(e)).map((e) => Number(e.slice(1))))];
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await db
      .selectFrom('dnc_registry_lists as l')
      .innerJoin('dnc_registry_numbers as r', 'r.list_id', 'l.id')
      .select(['l.source', 'r.number'])
      .where('l.workspace_id', '=', workspaceId)
      .where('r.number', 'in', keys.slice(i, i + 500))
      .execute();
    for (const row of rows) {
      const e164 = `+${row.number}`;
      const sources = out.get(e164) ?? [];
      sources.push(row.source);
      out.set(e164, sources);
    }
  }
  return out;
}

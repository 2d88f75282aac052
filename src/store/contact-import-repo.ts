/**
 * Writes a batch of imported contacts: loads the stored contacts its rows could be, has the
 * core plan the batch (core/import/match.ts: who is who, what changes, what conflicts), then
 * creates the new contacts and numbers, applies the changes and enrolls.
 * Runs inside one write transaction per batch, so an interrupted import leaves whole batches
 * and running it again finds them instead of duplicating them.
 */

import type BetterSqlite3 from 'better-sqlite3';
import { type Kysely, type RawBuilder, type SqlBool, sql, type Updateable } from 'kysely';
import type { ContactKind, NumberKind } from '../core/contact-fields.js';
import type { ContactDraft } from '../core/import/draft.js';
import {
  companyKey,
  type DraftIndex,
  emailKey,
  indexDrafts,
  PERSONAL_KINDS,
} from '../core/import/draft-index.js';
import {
  type Conflict,
  type FieldChange,
  MERGED_FIELDS,
  type MergedField,
  type PlannedContact,
  planBatch,
  type Resolution,
  type StoredContact,
  type StoredLink,
} from '../core/import/match.js';
import type { Store } from './db.js';
import type { DialectName } from './dialect.js';
import type { ContactTable, Database, NumberSource } from './schema.js';
import { type Actor, contactInScope } from './scope.js';
import { reserveIds } from './write-transaction.js';

export interface ImportTarget {
  workspaceId: number;
  /** Whose view bounds the contacts rows may match; null: the whole workspace. */
  actor: Actor | null;
  /** Owner of every contact created; of stored ones matched too when `takeOver`. */
  ownerId: number | null;
  takeOver: boolean;
  /** Enrolls every imported contact in this campaign. */
  campaignId: number | null;
  source: NumberSource;
  /** What the user chose for a conflict on a row. */
  resolve: (row: number) => Resolution;
  /** List every change field by field. */
  listChanges: boolean;
}

/**
 * Rows per multi-row statement and keys per `in (…)` list. Statements of a few fixed sizes
 * repeat their SQL text, so the SQLite store reuses their prepared statements (db.ts).
 */
const ROWS_PER_STATEMENT = 128;

const NUMBER_COLUMNS = ['id', 'workspace_id', 'e164', 'country', 'valid', 'created_at'] as const;
const CONTACT_COLUMNS = [
  'id',
  'workspace_id',
  'company_id',
  'owner_id',
  'kind',
  'do_not_call',
  'created_at',
  'updated_at',
  'first_name',
  'last_name',
  'title',
  'email',
  'email_key',
  'time_zone',
  'interests',
  'notes',
  'street',
  'city',
  'region',
  'postal_code',
  'country',
] as const satisfies readonly (keyof ContactTable)[];
const LINK_COLUMNS = ['contact_id', 'number_id', 'kind', 'extension', 'source', 'created_at'] as const;
const COMPANY_COLUMNS = ['id', 'workspace_id', 'name', 'name_key', 'created_at'] as const;
const ENROLLMENT_COLUMNS = [
  'workspace_id',
  'campaign_id',
  'contact_id',
  'owner_id',
  'state',
  'created_at',
  'updated_at',
] as const;

/** `items` in parts of at most ROWS_PER_STATEMENT. */
function* parts<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += ROWS_PER_STATEMENT) yield items.slice(i, i + ROWS_PER_STATEMENT);
}

/** `keys` padded to ROWS_PER_STATEMENT with its last key, which does not change what `in (…)` matches. */
function padded<T>(keys: T[]): T[] {
  const out = keys.slice();
  while (out.length < ROWS_PER_STATEMENT) out.push(keys[keys.length - 1]!);
  return out;
}

/**
 * Keys of a lookup, in the parts one statement takes: all of them at once on PostgreSQL
 * (one array parameter, so one round trip per lookup), ROWS_PER_STATEMENT on SQLite.
 */
function* keyParts<T>(w: Pick<Writer, 'dialect'>, keys: readonly T[]): Generator<T[]> {
  if (w.dialect === 'postgres') {
    if (keys.length > 0) yield keys.slice();
  } else yield* parts(keys);
}

/** `column` is one of `keys` (a part from keyParts): `= any(array)` on PostgreSQL, `in (…)` on SQLite. */
function oneOf(
  w: Pick<Writer, 'dialect'>,
  column: string,
  keys: readonly unknown[],
  type: 'bigint' | 'text',
): RawBuilder<SqlBool> {
  return w.dialect === 'postgres'
    ? sql<SqlBool>`${sql.ref(column)} = any(${keys}::${sql.raw(type)}[])`
    : sql<SqlBool>`${sql.ref(column)} in (${sql.join(padded(keys as unknown[]))})`;
}

/** The store's column of each field the import merges: the one place they are paired. */
const COLUMN_OF = {
  firstName: 'first_name',
  lastName: 'last_name',
  title: 'title',
  email: 'email',
  timeZone: 'time_zone',
  interests: 'interests',
  notes: 'notes',
  street: 'street',
  city: 'city',
  region: 'region',
  postalCode: 'postal_code',
  country: 'country',
} as const satisfies Record<MergedField, keyof ContactTable>;

export interface BatchResult {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  conflicts: Conflict[];
  changes: FieldChange[];
}

/**
 * Finds the stored contacts a batch could be, plans it (core/import/match.ts) and writes the
 * plan. Runs inside the batch's write transaction.
 */
export async function applyContactBatch(
  trx: Kysely<Database>,
  store: Pick<Store, 'dialect' | 'sqlite' | 'copyFrom'>,
  drafts: ContactDraft[],
  target: ImportTarget,
  now: number,
  /** indexDrafts(drafts), when the caller has it already. */
  index: DraftIndex = indexDrafts(drafts),
): Promise<BatchResult> {
  const { dialect } = store;
  if (dialect === 'sqlite' && !store.sqlite) throw new Error('applyContactBatch needs the SQLite connection');
  const w: Writer = {
    trx,
    dialect,
    sqlite: dialect === 'sqlite' ? store.sqlite : undefined,
    copyFrom: dialect === 'postgres' ? store.copyFrom : undefined,
  };
  const ws = target.workspaceId;
  if (drafts.length === 0)
    return { created: 0, updated: 0, unchanged: 0, skipped: 0, conflicts: [], changes: [] };

  const { numbers: numberKeys, emails: allEmails } = index;

  // Numbers, created once per E.164: nearly every number of a batch is linked to a contact, so
  // they are inserted up front, under reserved ids; those that exist already are read back.
  // In key order (the index is sorted): consecutive inserts then walk the unique index's pages
  // in order, which costs SQLite about half as much as the same keys in file order. Ids carry
  // no order. Those no planned contact links are removed again below.
  const reserved = await reserveIds(trx, dialect, 'numbers', numberKeys.length);
  let numberIds: (number | undefined)[];
  const knownAt: number[] = [];
  {
    const values: unknown[][] = [];
    for (let i = 0; i < numberKeys.length; i++) {
      values.push([reserved[i]!, ws, numberKeys[i]!, index.numberCountries[i]!, 1, now]);
    }
    const keyed = await insertKeyed(w, 'numbers', {
      columns: NUMBER_COLUMNS,
      values,
      ids: reserved,
      keys: numberKeys,
      keyColumn: 'e164',
      ws,
    });
    numberIds = keyed.ids;
    // Only a personal number can match a stored contact, so only those are looked up: a main
    // line that colleagues share is known after its first batch and has many links.
    for (const i of keyed.existingAt)
      if (index.personal[i] === 1 && numberIds[i] !== undefined) knownAt.push(i);
  }

  // Stored contacts having a known number as a personal one, by the number's position.
  const byNumber: (number[] | undefined)[] = new Array(numberKeys.length);
  const candidateIds = new Set<number>();
  const addOwner = (at: number, contactId: number) => {
    const list = byNumber[at] ?? [];
    list.push(contactId);
    byNumber[at] = list;
    candidateIds.add(contactId);
  };
  if (w.sqlite) {
    const owners = sqliteStatement(w.sqlite, OWNERS_SQL).pluck();
    for (const at of knownAt) for (const id of owners.all(numberIds[at]!) as number[]) addOwner(at, id);
  } else {
    const atOfId = new Map<number, number>();
    for (const at of knownAt) atOfId.set(numberIds[at]!, at);
    for (const part of keyParts(w, [...atOfId.keys()])) {
      const rows = await trx
        .selectFrom('contact_numbers as cn')
        .select(['cn.contact_id', 'cn.number_id'])
        .where(oneOf(w, 'cn.number_id', part, 'bigint'))
        .where('cn.kind', 'in', PERSONAL_KINDS)
        .orderBy('cn.contact_id')
        .execute();
      for (const r of rows) addOwner(atOfId.get(r.number_id)!, r.contact_id);
    }
  }

  // The stored contact of each email key, by its position in the index.
  let byEmail: (number | undefined)[];
  if (w.sqlite) byEmail = sqliteIdsAt(w.sqlite, 'contacts', 'email_key', ws, allEmails);
  else {
    const contactIdByEmail = new Map<string, number>();
    for (const part of keyParts(w, allEmails)) {
      const rows = await trx
        .selectFrom('contacts')
        .select(['id', 'email_key'])
        .where('workspace_id', '=', ws)
        .where(oneOf(w, 'email_key', part, 'text'))
        .orderBy('id')
        .execute();
      for (const r of rows) if (!contactIdByEmail.has(r.email_key)) contactIdByEmail.set(r.email_key, r.id);
    }
    byEmail = allEmails.map((k) => contactIdByEmail.get(k));
  }
  for (const id of byEmail) if (id !== undefined) candidateIds.add(id);

  const contacts = await loadCandidates(w, [...candidateIds], target, numberIds);
  const plan = planBatch(
    drafts,
    index,
    { byEmail, byNumber, contacts },
    {
      ownerId: target.ownerId,
      takeOver: target.takeOver,
      resolve: target.resolve,
      now,
      listChanges: target.listChanges,
    },
  );
  const planned = plan.contacts;

  if (plan.skipped > 0) {
    // Numbers this batch inserted for rows it then left untouched.
    const used = new Set<number>();
    for (const p of planned) for (const at of p.numberAt) used.add(at);
    const unused: number[] = [];
    for (let at = 0; at < numberKeys.length; at++) {
      if (!used.has(at) && numberIds[at] === reserved[at]) unused.push(reserved[at]!);
    }
    for (const part of keyParts(w, unused)) {
      await trx
        .deleteFrom('numbers')
        .where(oneOf(w, 'id', part, 'bigint'))
        .execute();
    }
  }

  // Companies, created once per name.
  const companyIdByKey = await ensureCompanies(w, ws, planned, now);

  // New contacts.
  const fresh = planned.filter((p) => p.existingId === null);
  const ids = await reserveIds(trx, dialect, 'contacts', fresh.length);
  const contactValues: unknown[][] = [];
  for (let i = 0; i < fresh.length; i++) {
    const p = fresh[i]!;
    const d = p.draft;
    const companyId = p.companyKey ? (companyIdByKey.get(p.companyKey) ?? null) : null;
    // In CONTACT_COLUMNS order.
    contactValues.push([
      ids[i]!,
      ws,
      companyId,
      p.ownerId,
      d.kind || 'business',
      d.doNotCall ? 1 : 0,
      now,
      now,
      d.firstName,
      d.lastName,
      d.title,
      d.email,
      p.emailKey,
      d.timeZone,
      d.interests,
      d.notes,
      d.street,
      d.city,
      d.region,
      d.postalCode,
      d.country,
    ]);
    p.existingId = ids[i]!;
  }
  await insertRows(w, 'contacts', CONTACT_COLUMNS, contactValues);
  for (const { conflict, contact } of plan.conflictsWithNew) conflict.contactId = contact.existingId;
  if (target.listChanges) {
    // Changes to contacts created here name them by their row until they have an id.
    const idOfRow = new Map<number, number>();
    for (const p of fresh) idOfRow.set(p.rows[0]!, p.existingId!);
    for (const c of plan.changes) if (c.contactId === null) c.contactId = idOfRow.get(c.row) ?? null;
  }

  // Stored contacts' changes.
  const stored = planned.filter((p) => !fresh.includes(p));
  for (const p of stored) {
    const changes: Updateable<ContactTable> = {};
    for (const [field, value] of Object.entries(p.set) as [MergedField, string][]) {
      changes[COLUMN_OF[field]] = value;
      if (field === 'email') changes.email_key = emailKey(value);
    }
    if (p.company !== null) changes.company_id = companyIdByKey.get(p.companyKey) ?? null;
    if (p.kind !== null) changes.kind = p.kind as ContactKind;
    if (p.markDoNotCall) changes.do_not_call = 1;
    if (p.takeOver && p.ownerId !== contacts.get(p.existingId!)!.ownerId) changes.owner_id = p.ownerId;
    if (Object.keys(changes).length > 0) {
      await trx
        .updateTable('contacts')
        .set({ ...changes, updated_at: now })
        .where('id', '=', p.existingId!)
        .execute();
    }
  }

  // Number links. A contact created here has no links anyone else could have written, so its
  // links need no conflict check.
  const freshLinks: unknown[][] = [];
  const linkValues: unknown[][] = [];
  const isFresh = new Set(fresh);
  for (const p of planned) {
    const contactId = p.existingId!;
    for (const link of p.links) {
      const numberId = numberIds[link.at]!;
      if (link.update) {
        await trx
          .updateTable('contact_numbers')
          .set({ kind: link.kind as NumberKind, extension: link.extension })
          .where('contact_id', '=', contactId)
          .where('number_id', '=', numberId)
          .execute();
      } else {
        (isFresh.has(p) ? freshLinks : linkValues).push([
          contactId,
          numberId,
          link.kind,
          link.extension,
          target.source,
          now,
        ]);
      }
    }
  }
  await insertRows(w, 'contact_numbers', LINK_COLUMNS, freshLinks);
  await insertRows(w, 'contact_numbers', LINK_COLUMNS, linkValues, ['contact_id', 'number_id']);

  // Do-not-call marks from the file go on the workspace list too.
  const dncIds = planned
    .filter((p) => (isFresh.has(p) && p.draft.doNotCall) || p.markDoNotCall)
    .map((p) => p.existingId!);
  for (const part of keyParts(w, dncIds)) {
    const listed = new Set(
      (
        await trx
          .selectFrom('dnc_entries')
          .select('contact_id')
          .where('workspace_id', '=', ws)
          .where(oneOf(w, 'contact_id', part, 'bigint'))
          .execute()
      ).map((r) => r.contact_id),
    );
    const rows = part
      .filter((id) => !listed.has(id))
      .map((id) => ({
        workspace_id: ws,
        contact_id: id,
        e164: null,
        reason: 'marked do-not-call in an imported file',
        source: target.source,
        created_at: now,
      }));
    if (rows.length > 0) await trx.insertInto('dnc_entries').values(rows).execute();
  }

  if (target.campaignId !== null) {
    const enrollmentValues: unknown[][] = [];
    for (const p of planned) {
      const state = p.draft.doNotCall || contacts.get(p.existingId!)?.doNotCall ? 'dnc' : 'new';
      enrollmentValues.push([ws, target.campaignId, p.existingId!, target.ownerId, state, now, now]);
    }
    await insertRows(w, 'enrollments', ENROLLMENT_COLUMNS, enrollmentValues, ['campaign_id', 'contact_id']);
  }

  // A row marking a stored contact do-not-call ends every enrollment it has, in any campaign
  // (rule 13), as marking it by hand does (markContactDoNotCall).
  const dncStored = stored.filter((p) => p.draft.doNotCall).map((p) => p.existingId!);
  for (const part of keyParts(w, dncStored)) {
    await trx
      .updateTable('enrollments')
      .set({
        state: 'dnc',
        next_due_at: null,
        due_kind: null,
        lease_user_id: null,
        lease_expires_at: null,
        updated_at: now,
      })
      .where(oneOf(w, 'contact_id', part, 'bigint'))
      .where('state', '<>', 'dnc')
      .execute();
  }

  // Taking over hands stored contacts' enrollments to the new owner too, except an enrollment
  // its current owner has already dialled: that cadence, and the callbacks it is waiting on,
  // are theirs.
  const newOwner = target.ownerId;
  if (newOwner !== null && target.takeOver) {
    const storedIds = stored.map((p) => p.existingId!);
    for (const part of keyParts(w, storedIds)) {
      await trx
        .updateTable('enrollments')
        .set({ owner_id: newOwner, updated_at: now })
        .where(oneOf(w, 'contact_id', part, 'bigint'))
        .where((eb) => eb.or([eb('owner_id', 'is', null), eb('owner_id', '<>', newOwner)]))
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('attempts as a')
                .select('a.id')
                .whereRef('a.enrollment_id', '=', 'enrollments.id')
                .whereRef('a.user_id', '=', 'enrollments.owner_id'),
            ),
          ),
        )
        .execute();
    }
  }

  return {
    created: plan.created,
    updated: plan.updated,
    unchanged: plan.unchanged,
    skipped: plan.skipped,
    conflicts: plan.conflicts,
    changes: plan.changes,
  };
}

/**
 * The stored contacts a batch could be, with what the plan compares: their fields, company,
 * whether the importing user may see them, and their links to the batch's numbers.
 */
async function loadCandidates(
  w: Writer,
  ids: number[],
  target: ImportTarget,
  numberIds: readonly (number | undefined)[],
): Promise<Map<number, StoredContact>> {
  const contacts = new Map<number, StoredContact>();
  if (ids.length === 0) return contacts;
  const atOfNumber = new Map<number, number>();
  for (let at = 0; at < numberIds.length; at++)
    if (numberIds[at] !== undefined) atOfNumber.set(numberIds[at]!, at);
  const visible = target.actor ? contactInScope(target.actor, 'c') : sql<SqlBool>`1 = 1`;
  for (const part of keyParts(w, ids)) {
    const rows = await w.trx
      .selectFrom('contacts as c')
      .leftJoin('companies as co', 'co.id', 'c.company_id')
      .select(MERGED_FIELDS.map((f) => `c.${COLUMN_OF[f]}` as const))
      .select(['c.id', 'c.email_key', 'c.owner_id', 'c.kind', 'c.do_not_call', 'co.name as company'])
      .select(sql<number>`case when ${visible} then 1 else 0 end`.as('in_scope'))
      .where(oneOf(w, 'c.id', part, 'bigint'))
      .execute();
    for (const r of rows) {
      const fields = {} as Record<MergedField, string>;
      for (const f of MERGED_FIELDS) fields[f] = r[COLUMN_OF[f]];
      contacts.set(r.id, {
        id: r.id,
        inScope: Number(r.in_scope) === 1,
        fields,
        emailKey: r.email_key,
        company: r.company ?? '',
        companyKey: r.company ? companyKey(r.company) : '',
        ownerId: r.owner_id,
        kind: r.kind,
        doNotCall: r.do_not_call === 1,
        links: new Map(),
      });
    }
    const links = await w.trx
      .selectFrom('contact_numbers')
      .select(['contact_id', 'number_id', 'kind', 'extension'])
      .where(oneOf(w, 'contact_id', part, 'bigint'))
      .execute();
    for (const l of links) {
      const at = atOfNumber.get(l.number_id);
      if (at === undefined) continue;
      (contacts.get(l.contact_id)?.links as Map<number, StoredLink> | undefined)?.set(at, {
        kind: l.kind,
        extension: l.extension,
      });
    }
  }
  return contacts;
}

/**
 * Brings the planner's statistics of the tables an import fills up to date (PostgreSQL; SQLite
 * plans these lookups the same way whatever it knows). While a table grows from nothing, its
 * statistics say it is small and PostgreSQL reads the whole workspace for each lookup of a
 * few keys. Run outside a transaction, between batches.
 */
export async function refreshImportStatistics(db: Kysely<Database>, dialect: DialectName): Promise<void> {
  // Only the columns the batch lookups filter and join on: the table sizes are updated all the
  // same, and the other columns' statistics (autovacuum's job) cost the most to gather, above
  // all contacts' many text columns.
  if (dialect === 'postgres')
    await sql`analyze contacts (id, workspace_id, email_key), numbers (workspace_id, e164),
      contact_numbers (contact_id, number_id, kind), companies (workspace_id, name_key)`.execute(db);
}

/**
 * Settings for a transaction of import batches (PostgreSQL). The commit does not wait for the
 * server to flush its WAL to disk: a server crash could lose the last transactions of the
 * import (never corrupt or half-apply one), and running the same import again writes them,
 * finding what was kept. The import is made to be re-run, so it need not pay a disk flush per
 * commit; other writers' transactions keep their durability.
 */
export async function useImportTransactionSettings(
  trx: Kysely<Database>,
  dialect: DialectName,
): Promise<void> {
  if (dialect === 'postgres') await sql`set local synchronous_commit = off`.execute(trx);
}

async function ensureCompanies(
  w: Writer,
  ws: number,
  pendings: readonly PlannedContact[],
  now: number,
): Promise<Map<string, number>> {
  // A company key is '' exactly when the name is only spaces.
  const byKey = new Map<string, string>();
  for (const p of pendings) if (p.companyKey !== '') byKey.set(p.companyKey, p.draft.company.trim());
  const keys = [...byKey.keys()];
  const ids = await reserveIds(w.trx, w.dialect, 'companies', keys.length);
  const values: unknown[][] = [];
  for (let i = 0; i < keys.length; i++) values.push([ids[i]!, ws, byKey.get(keys[i]!)!, keys[i]!, now]);
  const keyed = await insertKeyed(w, 'companies', {
    columns: COMPANY_COLUMNS,
    values,
    ids,
    keys,
    keyColumn: 'name_key',
    ws,
  });
  const idByKey = new Map<string, number>();
  for (let i = 0; i < keys.length; i++) {
    const id = keyed.ids[i];
    if (id !== undefined) idByKey.set(keys[i]!, id);
  }
  return idByKey;
}

/**
 * Inserts rows of a workspace under reserved ids, skipping those whose unique key exists
 * already, and finds the id of every key, by position: the reserved one where the row went
 * in, else the existing row's, read back by key. `existingAt` lists the positions of the keys
 * whose rows were there before.
 */
async function insertKeyed(
  w: Writer,
  table: 'numbers' | 'companies',
  rows: {
    columns: readonly string[];
    values: unknown[][];
    ids: number[];
    keys: readonly string[];
    keyColumn: 'e164' | 'name_key';
    ws: number;
  },
): Promise<{ ids: (number | undefined)[]; existingAt: number[] }> {
  const { columns, values, ids, keys, keyColumn, ws } = rows;
  const inserted = new Set(
    await insertRowsReturningIds(w, table, columns, values, ['workspace_id', keyColumn]),
  );
  const idAt: (number | undefined)[] = ids.slice();
  const existingAt: number[] = [];
  for (let i = 0; i < keys.length; i++) if (!inserted.has(ids[i]!)) existingAt.push(i);
  if (existingAt.length === 0) return { ids: idAt, existingAt };
  const missing = existingAt.map((i) => keys[i]!);
  let found: (number | undefined)[];
  if (w.sqlite) found = sqliteIdsAt(w.sqlite, table, keyColumn, ws, missing);
  else {
    const idByKey = new Map<string, number>();
    for (const part of keyParts(w, missing)) {
      const rows = await w.trx
        .selectFrom(table)
        .select(['id', keyColumn] as never)
        .where('workspace_id', '=', ws)
        .where(oneOf(w, keyColumn, part, 'text'))
        .execute();
      for (const r of rows as unknown as Record<string, unknown>[]) {
        idByKey.set(r[keyColumn] as string, r.id as number);
      }
    }
    found = missing.map((k) => idByKey.get(k));
  }
  for (let j = 0; j < existingAt.length; j++) idAt[existingAt[j]!] = found[j];
  return { ids: idAt, existingAt };
}

/** SQLite: the stored contacts a number is a personal number of, by id. */
const OWNERS_SQL = `select cn.contact_id from contact_numbers cn
  where cn.number_id = ? and cn.kind in (${PERSONAL_KINDS.map((k) => `'${k}'`).join(', ')})
  order by cn.contact_id`;

/**
 * SQLite: the id of each key's row in a workspace (the first one by id), one probe of the
 * key's index each on a statement prepared once. Through Kysely, building and compiling the
 * `in (…)` lookups cost the main thread more than SQLite spent answering them.
 */
function sqliteIdsAt(
  sqlite: BetterSqlite3.Database,
  table: 'contacts' | 'numbers' | 'companies',
  keyColumn: 'email_key' | 'e164' | 'name_key',
  ws: number,
  keys: readonly string[],
): (number | undefined)[] {
  if (keys.length === 0) return [];
  const statement = sqliteStatement(
    sqlite,
    `select id from ${table} where workspace_id = ? and ${keyColumn} = ? order by id limit 1`,
  ).pluck();
  return keys.map((key) => statement.get(ws, key) as number | undefined);
}

/** Where a batch is written: the transaction, and on SQLite its connection itself. */
interface Writer {
  trx: Kysely<Database>;
  dialect: DialectName;
  /** The SQLite connection `trx` runs on, for statements run row by row without Kysely. */
  sqlite: BetterSqlite3.Database | undefined;
  /** PostgreSQL: COPY into the transaction (Store.copyFrom), for inserts that need no conflict check. */
  copyFrom: Store['copyFrom'];
}

/**
 * Rows per insert statement on SQLite. It counts an insert of several rows as a multi-row
 * write, and for those it looks up, for each row, every table that refers to the one written
 * (enrollments, attempts, … for contacts); one row per statement skips that, and run straight
 * on the connection it costs little. Tables nothing refers to get many rows per statement.
 */
function rowsPerStatement(table: keyof Database): number {
  return table === 'contact_numbers' ? ROWS_PER_STATEMENT : 1;
}

/** Rows per insert statement on PostgreSQL, which takes them as one array per column. */
const PG_ROWS_PER_STATEMENT = 10_000;

/** PostgreSQL types of the columns written here; the rest are text. */
const PG_TYPES: Record<string, string> = {
  id: 'bigint',
  workspace_id: 'bigint',
  company_id: 'bigint',
  owner_id: 'bigint',
  contact_id: 'bigint',
  number_id: 'bigint',
  campaign_id: 'bigint',
  created_at: 'bigint',
  updated_at: 'bigint',
  valid: 'integer',
  do_not_call: 'integer',
};

/**
 * A PostgreSQL insert of any number of rows: one array parameter per column, unnested. The
 * server plans one short statement instead of thousands of parameters, and the text repeats.
 */
function pgInsert(
  w: Writer,
  table: keyof Database,
  columns: readonly string[],
  rows: readonly unknown[][],
  conflict: readonly string[] | undefined,
  returning: boolean,
) {
  const arrays = columns.map((c, j) => {
    const column = rows.map((row) => row[j]);
    return sql`${column}::${sql.raw(PG_TYPES[c] ?? 'text')}[]`;
  });
  return sql<{ id: number }>`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
    select * from unnest(${sql.join(arrays)})${
      conflict ? sql` on conflict (${sql.join(conflict.map((c) => sql.ref(c)))}) do nothing` : sql``
    }${returning ? sql` returning id` : sql``}`.execute(w.trx);
}

/**
 * COPY is PostgreSQL's bulk path: the rows go as one stream of text that the server parses far
 * more cheaply than array parameters (and the client builds more cheaply than pg serializes
 * them), and the server writes them a page at a time instead of row by row. It has no
 * `on conflict`, so it serves the inserts that cannot conflict: new contacts under reserved ids
 * and their links.
 */
function copyStatement(table: string, columns: readonly string[]): string {
  return `copy ${table} (${columns.join(', ')}) from stdin`;
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIALS = /[\\\t\n\r]/g;
const COPY_ESCAPE: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** Rows in COPY's text format: tab between values, a line per row, `\N` for null, backslash escapes. */
function copyText(rows: readonly unknown[][]): string {
  let out = '';
  for (const row of rows) {
    for (let j = 0; j < row.length; j++) {
      const v = row[j];
      const text =
        v === null || v === undefined
          ? '\\N'
          : typeof v === 'string'
            ? COPY_SPECIAL.test(v)
              ? v.replace(COPY_SPECIALS, (c) => COPY_ESCAPE[c]!)
              : v
            : String(v);
      out += j === 0 ? text : `\t${text}`;
    }
    out += '\n';
  }
  return out;
}

/** Staging tables each transaction has made sure of (they outlive it, empty, on its connection). */
const stagesOfTransaction = new WeakMap<Kysely<Database>, Set<string>>();

/**
 * A PostgreSQL insert that needs `on conflict` (or `returning`), which COPY lacks: the rows are
 * copied into a temporary table of the columns written, then moved in one statement that empties
 * it. Temporary tables are written without WAL, so the copy costs the server little.
 */
async function pgStagedInsert(
  w: Writer,
  table: keyof Database,
  columns: readonly string[],
  rows: readonly unknown[][],
  conflict: readonly string[] | undefined,
  returning: boolean,
) {
  const stage = `import_stage_${table}`;
  const stages = heldFor(stagesOfTransaction, w.trx, () => new Set<string>());
  if (!stages.has(stage)) {
    // Just the columns written (each table is written with one set), without defaults: a
    // serial default would draw ids from the table's sequence.
    await sql`create temporary table if not exists ${sql.raw(stage)} on commit delete rows as
      select ${sql.join(columns.map((c) => sql.ref(c)))} from ${sql.table(table)} with no data`.execute(
      w.trx,
    );
    stages.add(stage);
  }
  await w.copyFrom!(w.trx, copyStatement(stage, columns), copyText(rows));
  const list = sql.join(columns.map((c) => sql.ref(c)));
  return sql<{ id: number }>`with staged as (delete from ${sql.raw(stage)} returning ${list})
    insert into ${sql.table(table)} (${list}) select ${list} from staged${
      conflict ? sql` on conflict (${sql.join(conflict.map((c) => sql.ref(c)))}) do nothing` : sql``
    }${returning ? sql` returning id` : sql``}`.execute(w.trx);
}

/**
 * SQL of an SQLite insert of `rows` rows, built by Kysely once per shape. Compiling a query
 * builder costs about as much as SQLite spends inserting the rows, so bulk writes reuse the
 * text with fresh parameters: Kysely numbers them row by row, column by column, which the
 * check below holds it to.
 */
const insertTemplates = new Map<string, string>();

function insertSql(
  w: Writer,
  table: keyof Database,
  columns: readonly string[],
  rows: number,
  conflict: readonly string[] | undefined,
): string {
  const key = `${w.dialect}|${table}|${columns.join(',')}|${rows}|${conflict?.join(',') ?? ''}`;
  const cached = insertTemplates.get(key);
  if (cached !== undefined) return cached;
  let n = 0;
  const sample = Array.from({ length: rows }, () => Object.fromEntries(columns.map((c) => [c, n++])));
  const query = w.trx.insertInto(table).values(sample as never);
  const compiled = (
    conflict ? query.onConflict((oc) => oc.columns(conflict as never).doNothing()) : query
  ).compile();
  if (compiled.parameters.length !== n || compiled.parameters.some((p, i) => p !== i)) {
    throw new Error(`insert into ${table}: Kysely did not number the parameters row by row`);
  }
  insertTemplates.set(key, compiled.sql);
  return compiled.sql;
}

/** SQLite statements run without Kysely, prepared once per connection and text. */
const sqliteStatements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

function sqliteStatement(sqlite: BetterSqlite3.Database, text: string): BetterSqlite3.Statement {
  const statements = heldFor(sqliteStatements, sqlite, () => new Map<string, BetterSqlite3.Statement>());
  let statement = statements.get(text);
  if (!statement) {
    statement = sqlite.prepare(text);
    statements.set(text, statement);
  }
  return statement;
}

/** What `held` keeps for `key` (a transaction, a connection), made on first use. */
function heldFor<K extends object, V>(held: WeakMap<K, V>, key: K, make: () => V): V {
  let value = held.get(key);
  if (value === undefined) {
    value = make();
    held.set(key, value);
  }
  return value;
}

/**
 * Inserts rows, each an array of values in `columns` order, and says how many went in (fewer
 * than given when `conflict` skipped some). On SQLite statements hold rowsPerStatement() rows,
 * the rest in powers of two, so only a few distinct texts exist.
 */
async function insertRows(
  w: Writer,
  table: keyof Database,
  columns: readonly string[],
  values: readonly unknown[][],
  conflict?: readonly string[],
): Promise<number> {
  return (await writeRows(w, table, columns, values, conflict, false)).count;
}

/** As insertRows, giving the ids of the rows that went in; each row has its `id` column. */
async function insertRowsReturningIds(
  w: Writer,
  table: keyof Database,
  columns: readonly string[],
  values: readonly unknown[][],
  conflict?: readonly string[],
): Promise<number[]> {
  return (await writeRows(w, table, columns, values, conflict, true)).ids;
}

async function writeRows(
  w: Writer,
  table: keyof Database,
  columns: readonly string[],
  values: readonly unknown[][],
  conflict: readonly string[] | undefined,
  returning: boolean,
): Promise<{ count: number; ids: number[] }> {
  const total = values.length;
  const ids: number[] = [];
  let count = 0;
  if (!w.sqlite) {
    if (w.copyFrom && total > 0) {
      if (!conflict && !returning) {
        const copied = await w.copyFrom(w.trx, copyStatement(table, columns), copyText(values));
        return { count: copied, ids };
      }
      const result = await pgStagedInsert(w, table, columns, values, conflict, returning);
      if (returning) for (const r of result.rows) ids.push(Number(r.id));
      return { count: returning ? ids.length : Number(result.numAffectedRows ?? 0n), ids };
    }
    for (let done = 0; done < total; done += PG_ROWS_PER_STATEMENT) {
      const part = values.slice(done, done + PG_ROWS_PER_STATEMENT);
      const result = await pgInsert(w, table, columns, part, conflict, returning);
      if (returning) for (const r of result.rows) ids.push(Number(r.id));
      else count += Number(result.numAffectedRows ?? 0n);
    }
    return { count: returning ? ids.length : count, ids };
  }
  // Run synchronously on the connection that holds the transaction (Kysely's own connection,
  // which this batch has to itself). A row that went in has the id it was given, so nothing
  // needs returning.
  const idColumn = columns.indexOf('id');
  if (returning && idColumn < 0) throw new Error(`insert into ${table}: no id column to return`);
  const most = rowsPerStatement(table);
  let done = 0;
  while (done < total) {
    const left = total - done;
    const rows = left >= most ? most : 2 ** Math.floor(Math.log2(left));
    const statement = sqliteStatement(w.sqlite, insertSql(w, table, columns, rows, conflict));
    if (rows === 1) {
      const end = most === 1 ? total : done + 1;
      for (; done < end; done++) {
        const row = values[done]!;
        const changes = statement.run(row).changes;
        if (returning && changes > 0) ids.push(Number(row[idColumn]));
        count += changes;
      }
      continue;
    }
    if (returning)
      throw new Error(`insert into ${table}: several rows per statement cannot tell which went in`);
    const params: unknown[] = [];
    for (let i = done; i < done + rows; i++) for (const v of values[i]!) params.push(v);
    count += statement.run(params).changes;
    done += rows;
  }
  return { count: returning ? ids.length : count, ids };
}

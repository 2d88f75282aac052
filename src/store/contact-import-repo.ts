/**
 * Writes a batch of imported contacts: finds the contacts they are (by email, then by a
 * personal number), merges what changed, creates the rest, links numbers and enrolls.
 * Runs inside one write transaction per batch, so an interrupted import leaves whole batches
 * and running it again finds them instead of duplicating them.
 */

import type BetterSqlite3 from 'better-sqlite3';
import { type Kysely, type RawBuilder, type Selectable, type SqlBool, sql, type Updateable } from 'kysely';
import type { ContactDraft } from '../core/import/draft.js';
import {
  companyKey,
  type DraftIndex,
  emailKey,
  indexDrafts,
  isPersonal,
  PERSONAL_KINDS,
} from '../core/import/draft-index.js';
import type { Store } from './db.js';
import type { DialectName } from './dialect.js';
import type { ContactTable, Database, NumberSource } from './schema.js';
import { reserveIds } from './write-transaction.js';

export interface ImportTarget {
  workspaceId: number;
  /** Assigns every imported contact to this user. */
  ownerId: number | null;
  /** Enrolls every imported contact in this campaign. */
  campaignId: number | null;
  source: NumberSource;
}

export interface BatchCounts {
  created: number;
  updated: number;
  unchanged: number;
}

type Fields = Pick<
  Selectable<ContactTable>,
  | 'first_name'
  | 'last_name'
  | 'title'
  | 'email'
  | 'email_key'
  | 'time_zone'
  | 'interests'
  | 'notes'
  | 'street'
  | 'city'
  | 'region'
  | 'postal_code'
  | 'country'
>;

const FIELD_OF: Record<keyof Fields, (d: ContactDraft) => string> = {
  first_name: (d) => d.firstName,
  last_name: (d) => d.lastName,
  title: (d) => d.title,
  email: (d) => d.email,
  email_key: (d) => emailKey(d.email),
  time_zone: (d) => d.timeZone,
  interests: (d) => d.interests,
  notes: (d) => d.notes,
  street: (d) => d.street,
  city: (d) => d.city,
  region: (d) => d.region,
  postal_code: (d) => d.postalCode,
  country: (d) => d.country,
};
const FIELD_NAMES = Object.keys(FIELD_OF) as (keyof Fields)[];

/** A contact this batch will write: an existing one being merged into, or a new one. */
interface Pending {
  existingId: number | null;
  draft: ContactDraft;
  /** Values as stored now (existing) — to tell a change from a repeat. */
  stored:
    | (Fields & { company_id: number | null; owner_id: number | null; kind: string; do_not_call: number })
    | null;
  changed: boolean;
  /** Position in the batch's DraftIndex numbers of each of `draft.numbers`. */
  numberAt: number[];
  /** Of `draft` as merged so far. */
  emailKey: string;
  companyKey: string;
  /** Rows of this batch merged into an earlier one. */
  repeats: number;
  repeatsChanged: number;
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

export async function applyContactBatch(
  trx: Kysely<Database>,
  store: Pick<Store, 'dialect' | 'sqlite' | 'copyFrom'>,
  drafts: ContactDraft[],
  target: ImportTarget,
  now: number,
  /** indexDrafts(drafts), when the caller has it already. */
  index: DraftIndex = indexDrafts(drafts),
): Promise<BatchCounts> {
  const { dialect } = store;
  if (dialect === 'sqlite' && !store.sqlite) throw new Error('applyContactBatch needs the SQLite connection');
  const w: Writer = {
    trx,
    dialect,
    sqlite: dialect === 'sqlite' ? store.sqlite : undefined,
    copyFrom: dialect === 'postgres' ? store.copyFrom : undefined,
  };
  const ws = target.workspaceId;
  if (drafts.length === 0) return { created: 0, updated: 0, unchanged: 0 };

  const { numbers: numberKeys, emails: allEmails, numberOf, emailOf } = index;

  // Numbers, created once per E.164: every number of the batch is linked to a contact below, so
  // they are inserted up front, under reserved ids; those that exist already are read back.
  // In key order (the index is sorted): consecutive inserts then walk the unique index's pages
  // in order, which costs SQLite about half as much as the same keys in file order. Ids carry
  // no order.
  let numberIds: (number | undefined)[];
  let knownNumberIds: number[];
  {
    const ids = await reserveIds(trx, dialect, 'numbers', numberKeys.length);
    const values: unknown[][] = [];
    for (let i = 0; i < numberKeys.length; i++) {
      values.push([ids[i]!, ws, numberKeys[i]!, index.numberCountries[i]!, 1, now]);
    }
    const keyed = await insertKeyed(w, 'numbers', {
      columns: NUMBER_COLUMNS,
      values,
      ids,
      keys: numberKeys,
      keyColumn: 'e164',
      ws,
    });
    numberIds = keyed.ids;
    // Only a personal number can match a stored contact (below), so only those are looked up:
    // a main line that colleagues share is known after its first batch and has many links.
    knownNumberIds = [];
    for (const i of keyed.existingAt) {
      const id = numberIds[i];
      if (index.personal[i] === 1 && id !== undefined) knownNumberIds.push(id);
    }
  }

  const ownersByNumberId = new Map<number, number[]>();
  // Two people can share a mobile; a stored owner with another email is someone else.
  const ownerEmail = new Map<number, string>();
  if (w.sqlite) {
    const owners = sqliteStatement(w.sqlite, OWNERS_SQL).raw();
    for (const nid of knownNumberIds) {
      for (const [contactId, key] of owners.all(nid) as [number, string][]) {
        const list = ownersByNumberId.get(nid) ?? [];
        list.push(contactId);
        ownersByNumberId.set(nid, list);
        ownerEmail.set(contactId, key);
      }
    }
    knownNumberIds = [];
  }
  for (const part of keyParts(w, knownNumberIds)) {
    const rows = await trx
      .selectFrom('contact_numbers as cn')
      .innerJoin('contacts as c', 'c.id', 'cn.contact_id')
      .select(['cn.contact_id', 'cn.number_id', 'c.email_key'])
      .where(oneOf(w, 'cn.number_id', part, 'bigint'))
      .where('cn.kind', 'in', PERSONAL_KINDS)
      .orderBy('cn.contact_id')
      .execute();
    for (const r of rows) {
      const list = ownersByNumberId.get(r.number_id) ?? [];
      list.push(r.contact_id);
      ownersByNumberId.set(r.number_id, list);
      ownerEmail.set(r.contact_id, r.email_key);
    }
  }

  // The stored contact of each email key, by its position in the index.
  let contactAt: (number | undefined)[];
  if (w.sqlite) contactAt = sqliteIdsAt(w.sqlite, 'contacts', 'email_key', ws, allEmails);
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
    contactAt = allEmails.map((k) => contactIdByEmail.get(k));
  }

  // Match each draft: email first, then a personal number; the same within the batch.
  const pendings: Pending[] = [];
  const pendingByExisting = new Map<number, Pending>();
  const pendingByEmail: (Pending | undefined)[] = new Array(allEmails.length);
  const pendingByNumber: (Pending | undefined)[] = new Array(numberKeys.length);
  const matchedIds = new Set<number>();

  let next = 0;
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    const first = next;
    next += d.numbers.length;
    const e = emailOf[i]!;
    const ek = e < 0 ? '' : allEmails[e]!;
    let batchPending: Pending | null = (e >= 0 && pendingByEmail[e]) || null;
    let existingId: number | null = batchPending ? null : (e >= 0 && contactAt[e]) || null;
    if (!batchPending && existingId === null) {
      for (let j = 0; j < d.numbers.length; j++) {
        if (!isPersonal(d.numbers[j]!.kind)) continue;
        const at = numberOf[first + j]!;
        const p = pendingByNumber[at];
        if (p && !emailsConflict(ek, p.emailKey)) {
          batchPending = p;
          break;
        }
        const nid = numberIds[at];
        const owners = nid === undefined ? undefined : ownersByNumberId.get(nid);
        const owner = owners?.find((id) => !emailsConflict(ek, ownerEmail.get(id) ?? ''));
        if (owner !== undefined) {
          existingId = owner;
          break;
        }
      }
    }
    if (existingId !== null) {
      const p = pendingByExisting.get(existingId);
      if (p) {
        batchPending = p;
        existingId = null;
      } else matchedIds.add(existingId);
    }
    const numberAt: number[] = [];
    for (let k = first; k < next; k++) numberAt.push(numberOf[k]!);
    if (!batchPending) {
      const p: Pending = {
        existingId,
        draft: d,
        stored: null,
        changed: false,
        numberAt,
        emailKey: ek,
        companyKey: index.companyKeys[i]!,
        repeats: 0,
        repeatsChanged: 0,
      };
      pendings.push(p);
      if (existingId !== null) pendingByExisting.set(existingId, p);
      batchPending = p;
    } else {
      batchPending.repeats++;
      if (mergeInto(batchPending, d, numberAt, ek, index.companyKeys[i]!)) batchPending.repeatsChanged++;
    }
    const p = batchPending;
    if (e >= 0) pendingByEmail[e] = p;
    for (let j = 0; j < d.numbers.length; j++) {
      if (isPersonal(d.numbers[j]!.kind)) pendingByNumber[numberAt[j]!] = p;
    }
  }

  // Load what matched contacts hold now.
  const existingIds = [...matchedIds];
  const storedById = new Map<number, NonNullable<Pending['stored']>>();
  const linksByContact = new Map<number, Map<number, { kind: string; extension: string }>>();
  for (const part of keyParts(w, existingIds)) {
    const rows = await trx
      .selectFrom('contacts')
      .select([...FIELD_NAMES, 'id', 'company_id', 'owner_id', 'kind', 'do_not_call'])
      .where(oneOf(w, 'id', part, 'bigint'))
      .execute();
    for (const r of rows) storedById.set(r.id, r);
    const links = await trx
      .selectFrom('contact_numbers')
      .select(['contact_id', 'number_id', 'kind', 'extension'])
      .where(oneOf(w, 'contact_id', part, 'bigint'))
      .execute();
    for (const l of links) {
      const m = linksByContact.get(l.contact_id) ?? new Map();
      m.set(l.number_id, { kind: l.kind, extension: l.extension });
      linksByContact.set(l.contact_id, m);
    }
  }
  for (const p of pendings) if (p.existingId !== null) p.stored = storedById.get(p.existingId) ?? null;

  // Companies, created once per name.
  const companyIdByKey = await ensureCompanies(w, ws, pendings, now);

  // New contacts.
  const fresh = pendings.filter((p) => p.existingId === null);
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
      target.ownerId,
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

  // Merge into existing contacts.
  let updated = 0;
  let unchanged = 0;
  for (const p of pendings) {
    if (!p.stored) continue;
    const d = p.draft;
    const changes: Updateable<ContactTable> = {};
    for (const f of FIELD_NAMES) {
      const v = FIELD_OF[f](d);
      if (v !== '' && v !== p.stored[f]) changes[f] = v;
    }
    if (d.company) {
      const cid = companyIdByKey.get(companyKey(d.company)) ?? null;
      if (cid !== p.stored.company_id) changes.company_id = cid;
    }
    if (target.ownerId !== null && target.ownerId !== p.stored.owner_id) changes.owner_id = target.ownerId;
    if (d.kind && d.kind !== p.stored.kind) changes.kind = d.kind;
    // An import may mark do-not-call; it never lifts one.
    if (d.doNotCall && p.stored.do_not_call !== 1) changes.do_not_call = 1;
    if (Object.keys(changes).length > 0) {
      p.changed = true;
      await trx
        .updateTable('contacts')
        .set({ ...changes, updated_at: now })
        .where('id', '=', p.existingId!)
        .execute();
    }
  }

  // Number links: new ones, and kind or extension changes on existing ones. A contact created
  // here has no links anyone else could have written, so its links need no conflict check.
  const freshLinks: unknown[][] = [];
  const linkValues: unknown[][] = [];
  const created = new Set(fresh);
  for (const p of pendings) {
    const contactId = p.existingId!;
    const have = linksByContact.get(contactId);
    const { numbers } = p.draft;
    for (let j = 0; j < numbers.length; j++) {
      const n = numbers[j]!;
      const numberId = numberIds[p.numberAt[j]!]!;
      const link = have?.get(numberId);
      if (!link) {
        (created.has(p) ? freshLinks : linkValues).push([
          contactId,
          numberId,
          n.kind,
          n.extension,
          target.source,
          now,
        ]);
        if (p.stored) p.changed = true;
      } else if (link.kind !== n.kind || (n.extension !== '' && link.extension !== n.extension)) {
        await trx
          .updateTable('contact_numbers')
          .set({ kind: n.kind, extension: n.extension || link.extension })
          .where('contact_id', '=', contactId)
          .where('number_id', '=', numberId)
          .execute();
        p.changed = true;
      }
    }
  }
  await insertRows(w, 'contact_numbers', LINK_COLUMNS, freshLinks);
  await insertRows(w, 'contact_numbers', LINK_COLUMNS, linkValues, ['contact_id', 'number_id']);

  // Do-not-call marks from the file go on the workspace list too.
  const dncIds = pendings
    .filter((p) => p.draft.doNotCall && p.stored?.do_not_call !== 1)
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
    for (const p of pendings) {
      const state = p.draft.doNotCall || p.stored?.do_not_call === 1 ? 'dnc' : 'new';
      enrollmentValues.push([ws, target.campaignId, p.existingId!, target.ownerId, state, now, now]);
    }
    await insertRows(w, 'enrollments', ENROLLMENT_COLUMNS, enrollmentValues, ['campaign_id', 'contact_id']);
  }

  // A row marking a stored contact do-not-call ends every enrollment it has, in any campaign
  // (rule 13), as marking it by hand does (markContactDoNotCall).
  const dncStored = pendings.filter((p) => p.draft.doNotCall && p.stored).map((p) => p.existingId!);
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

  // --owner hands stored contacts to that user, and their enrollments with them, except an
  // enrollment its current owner has already dialled: that cadence, and the callbacks it is
  // waiting on, are theirs.
  const newOwner = target.ownerId;
  if (newOwner !== null) {
    const storedIds = pendings.filter((p) => p.stored).map((p) => p.existingId!);
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

  for (const p of pendings) {
    if (p.stored) {
      if (p.changed) updated++;
      else unchanged++;
    }
    updated += p.repeatsChanged;
    unchanged += p.repeats - p.repeatsChanged;
  }
  return { created: fresh.length, updated, unchanged };
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

function emailsConflict(a: string, b: string): boolean {
  return a !== '' && b !== '' && a !== b;
}

/**
 * A later row of the same contact fills in and overrides what it gives. Says whether that
 * changed anything, so a repeated row counts as updated or unchanged.
 */
function mergeInto(
  pending: Pending,
  next: ContactDraft,
  numberAt: readonly number[],
  nextEmailKey: string,
  nextCompanyKey: string,
): boolean {
  const base = pending.draft;
  const merged: ContactDraft = { ...base, numbers: [...base.numbers] };
  let changed = false;
  for (const key of Object.keys(next) as (keyof ContactDraft)[]) {
    if (key === 'numbers' || key === 'row') continue;
    const v = next[key];
    // A later row never lifts a do-not-call an earlier row set.
    if (key === 'doNotCall' && base.doNotCall === true) continue;
    if (v !== '' && v !== null) {
      if (v !== base[key]) changed = true;
      (merged as unknown as Record<string, unknown>)[key] = v;
    }
  }
  for (let j = 0; j < next.numbers.length; j++) {
    if (!pending.numberAt.includes(numberAt[j]!)) {
      merged.numbers.push(next.numbers[j]!);
      pending.numberAt.push(numberAt[j]!);
      changed = true;
    }
  }
  pending.draft = merged;
  if (next.email !== '') pending.emailKey = nextEmailKey;
  if (next.company !== '') pending.companyKey = nextCompanyKey;
  return changed;
}

async function ensureCompanies(
  w: Writer,
  ws: number,
  pendings: readonly Pending[],
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
const OWNERS_SQL = `select cn.contact_id, c.email_key from contact_numbers cn
  join contacts c on c.id = cn.contact_id
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

import { type Kysely, type SelectQueryBuilder, type SqlBool, sql, type Updateable } from 'kysely';
import type { ContactKind, NumberKind } from '../core/contact-fields.js';
import type { ContactDraft } from '../core/import/draft.js';
import { companyKey, type DraftIndex, emailKey, indexDrafts } from '../core/import/draft-index.js';
import { stateOnImport } from '../core/import/enrollment-cell.js';
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
import { type BulkWriter, bulkWriter } from './bulk/index.js';
import type { Store } from './db.js';
import {
  BatchJournal,
  JOURNALED_CONTACT_COLUMNS,
  JOURNALED_ENROLLMENT_COLUMNS,
} from './import-journal-repo.js';
import type { ContactTable, Database, EnrollmentState, NumberSource } from './schema.js';
import { type Actor, contactInScope } from './scope.js';

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
  /** A dry run: list every change field by field (its new contacts by row: their ids are rolled back). */
  listChanges: boolean;
  /** The import run: what it creates carries its id, and what it changes is journaled under it. */
  runId: number;
  /** Users a row may name as the owner of a contact it creates, by lower-cased email. */
  rowOwners: ReadonlyMap<string, number>;
  /** The campaign of each name the rows enroll in (every one the batch names is here). */
  campaignIds: ReadonlyMap<string, number>;
}

const NUMBER_COLUMNS = [
  'id',
  'workspace_id',
  'e164',
  'country',
  'valid',
  'created_at',
  'import_run_id',
] as const;
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
  'import_run_id',
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
  const w = bulkWriter(trx, store);
  const ws = target.workspaceId;
  if (drafts.length === 0)
    return { created: 0, updated: 0, unchanged: 0, skipped: 0, conflicts: [], changes: [] };

  const { numbers: numberKeys, emails: allEmails } = index;

  // Numbers, created once per E.164: nearly every number of a batch is linked to a contact, so
  // they are inserted up front, under reserved ids; those that exist already are read back.
  // In key order (the index is sorted): consecutive inserts then walk the unique index's pages
  // in order, which costs SQLite about half as much as the same keys in file order. Ids carry
  // no order. Those no planned contact links are removed again below.
  const reserved = await w.reserveIds('numbers', numberKeys.length);
  let numberIds: (number | undefined)[];
  const knownAt: number[] = [];
  {
    const values: unknown[][] = [];
    for (let i = 0; i < numberKeys.length; i++) {
      values.push([reserved[i]!, ws, numberKeys[i]!, index.numberCountries[i]!, 1, now, target.runId]);
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
  const owners = await w.personalOwners(knownAt.map((at) => numberIds[at]!));
  for (const at of knownAt) {
    const ids = owners.get(numberIds[at]!);
    if (!ids) continue;
    byNumber[at] = ids;
    for (const id of ids) candidateIds.add(id);
  }

  // The stored contact of each email key, by its position in the index.
  const byEmail = await w.idsOf('contacts', 'email_key', ws, allEmails);
  for (const id of byEmail) if (id !== undefined) candidateIds.add(id);

  const contacts = await loadCandidates(w, [...candidateIds], target, numberIds);
  const plan = planBatch(
    drafts,
    index,
    { byEmail, byNumber, contacts },
    {
      ownerId: target.ownerId,
      rowOwners: target.rowOwners,
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
    for (const part of w.keyParts(unused)) {
      await trx
        .deleteFrom('numbers')
        .where(w.oneOf('id', part, 'bigint'))
        .execute();
    }
  }

  // Companies, created once per name.
  const companyIdByKey = await ensureCompanies(w, ws, planned, now);

  // New contacts.
  const fresh = planned.filter((p) => p.existingId === null);
  const ids = await w.reserveIds('contacts', fresh.length);
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
      target.runId,
    ]);
    p.existingId = ids[i]!;
  }
  await w.insert('contacts', CONTACT_COLUMNS, contactValues);
  // A dry run's new contacts are rolled back, and their ids with them: it names them by row.
  if (!target.listChanges) {
    for (const { conflict, contact } of plan.conflictsWithNew) conflict.contactId = contact.existingId;
  }

  // Stored contacts' changes, each journaled with the values before so the import can be undone.
  const isFresh = new Set(fresh);
  const stored = planned.filter((p) => !isFresh.has(p));
  const journal = new BatchJournal();
  const updates: { id: number; changes: Updateable<ContactTable> }[] = [];
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
    if (Object.keys(changes).length > 0) updates.push({ id: p.existingId!, changes });
  }
  for (const part of w.keyParts(updates)) {
    const before = await trx
      .selectFrom('contacts')
      .select(['id', ...JOURNALED_CONTACT_COLUMNS])
      .where(
        w.oneOf(
          'id',
          part.map((u) => u.id),
          'bigint',
        ),
      )
      .execute();
    const beforeOf = new Map(before.map((row) => [row.id, row]));
    for (const { id, changes } of part) {
      const row = beforeOf.get(id)!;
      const was: Record<string, unknown> = { updated_at: row.updated_at };
      for (const column of Object.keys(changes) as (keyof typeof changes)[]) {
        was[column] = row[column as (typeof JOURNALED_CONTACT_COLUMNS)[number]];
      }
      journal.contactWas(id, was);
      await trx
        .updateTable('contacts')
        .set({ ...changes, updated_at: now })
        .where('id', '=', id)
        .execute();
    }
  }

  // Number links. A contact created here has no links anyone else could have written, so its
  // links need no conflict check.
  const freshLinks: unknown[][] = [];
  const linkValues: unknown[][] = [];
  for (const p of planned) {
    const contactId = p.existingId!;
    const was = isFresh.has(p) ? undefined : contacts.get(contactId)?.links;
    for (const link of p.links) {
      const numberId = numberIds[link.at]!;
      const before = was?.get(link.at);
      if (!isFresh.has(p)) {
        if (before) journal.add(contactId, 'links', { numberId, ...before });
        else journal.add(contactId, 'linksAdded', numberId);
      }
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
  await w.insert('contact_numbers', LINK_COLUMNS, freshLinks);
  await w.insert('contact_numbers', LINK_COLUMNS, linkValues, ['contact_id', 'number_id']);

  // Do-not-call marks from the file go on the workspace list too.
  const freshIds = new Set(fresh.map((p) => p.existingId!));
  const dncIds = planned
    .filter((p) => (isFresh.has(p) && p.draft.doNotCall) || p.markDoNotCall)
    .map((p) => p.existingId!);
  for (const part of w.keyParts(dncIds)) {
    const listed = new Set(
      (
        await trx
          .selectFrom('dnc_entries')
          .select('contact_id')
          .where('workspace_id', '=', ws)
          .where(w.oneOf('contact_id', part, 'bigint'))
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
    if (rows.length === 0) continue;
    const added = await trx.insertInto('dnc_entries').values(rows).returning(['id', 'contact_id']).execute();
    for (const { id, contact_id } of added) {
      if (contact_id !== null && !freshIds.has(contact_id)) journal.add(contact_id, 'dncEntries', id);
    }
  }

  // Enrollments: in the import's campaign, and in those each row names (an export's Campaigns).
  const enrollmentValues: unknown[][] = [];
  const enrolling = new Set<string>();
  const enroll = (campaignId: number, contactId: number, ownerId: number | null, state: EnrollmentState) => {
    const key = `${campaignId}:${contactId}`;
    if (enrolling.has(key)) return;
    enrolling.add(key);
    enrollmentValues.push([ws, campaignId, contactId, ownerId, state, now, now]);
  };
  for (const p of planned) {
    const contactId = p.existingId!;
    const dnc = p.draft.doNotCall || contacts.get(contactId)?.doNotCall;
    if (target.campaignId !== null) enroll(target.campaignId, contactId, target.ownerId, dnc ? 'dnc' : 'new');
    const owner = isFresh.has(p) ? p.ownerId : (contacts.get(contactId)?.ownerId ?? null);
    for (const e of p.draft.enrollments) {
      enroll(target.campaignIds.get(e.campaign)!, contactId, owner, dnc ? 'dnc' : stateOnImport(e.state));
    }
  }
  if (enrollmentValues.length > 0) {
    // Which stored contacts' enrollments are new, for the journal: those not there before.
    const storedIds = new Set(stored.map((p) => p.existingId!));
    const storedPairs = enrollmentValues.filter((v) => storedIds.has(v[2] as number));
    const pairKey = (campaignId: number, contactId: number) => `${campaignId}:${contactId}`;
    const campaignIds = [...new Set(storedPairs.map((v) => v[1] as number))];
    const before = new Set<string>();
    const enrolledIn = async (ids: number[]) => {
      const found: { id: number; campaign_id: number; contact_id: number }[] = [];
      if (campaignIds.length === 0) return found;
      for (const part of w.keyParts(ids)) {
        found.push(
          ...(await trx
            .selectFrom('enrollments')
            .select(['id', 'campaign_id', 'contact_id'])
            .where('campaign_id', 'in', campaignIds)
            .where(w.oneOf('contact_id', part, 'bigint'))
            .execute()),
        );
      }
      return found;
    };
    const contactsEnrolling = [...new Set(storedPairs.map((v) => v[2] as number))];
    for (const r of await enrolledIn(contactsEnrolling)) before.add(pairKey(r.campaign_id, r.contact_id));
    await w.insert('enrollments', ENROLLMENT_COLUMNS, enrollmentValues, ['campaign_id', 'contact_id']);
    const wanted = new Set(storedPairs.map((v) => pairKey(v[1] as number, v[2] as number)));
    for (const r of await enrolledIn(contactsEnrolling)) {
      const key = pairKey(r.campaign_id, r.contact_id);
      if (wanted.has(key) && !before.has(key)) journal.add(r.contact_id, 'enrollmentsAdded', r.id);
    }
  }

  // Numbers a row puts on the workspace's do-not-call list (an export's Do Not Call Numbers).
  const listedBy = new Map<string, number>();
  for (const p of planned)
    for (const e164 of p.draft.doNotCallNumbers) if (!listedBy.has(e164)) listedBy.set(e164, p.existingId!);
  for (const part of w.keyParts([...listedBy.keys()])) {
    const listed = new Set(
      (
        await trx
          .selectFrom('dnc_entries')
          .select('e164')
          .where('workspace_id', '=', ws)
          .where(w.oneOf('e164', part, 'text'))
          .execute()
      ).map((r) => r.e164),
    );
    const rows = part
      .filter((e164) => !listed.has(e164))
      .map((e164) => ({
        workspace_id: ws,
        contact_id: null,
        e164,
        reason: 'on the do-not-call list in an imported file',
        source: target.source,
        created_at: now,
      }));
    if (rows.length === 0) continue;
    const added = await trx.insertInto('dnc_entries').values(rows).returning(['id', 'e164']).execute();
    for (const { id, e164 } of added) journal.add(listedBy.get(e164!)!, 'dncEntries', id);
  }

  // A row marking a stored contact do-not-call ends every enrollment it has, in any campaign
  // (rule 13), as marking it by hand does (markContactDoNotCall).
  const dncStored = stored.filter((p) => p.draft.doNotCall).map((p) => p.existingId!);
  for (const part of w.keyParts(dncStored)) {
    await journalEnrollments(
      trx
        .selectFrom('enrollments')
        .where(w.oneOf('contact_id', part, 'bigint'))
        .where('state', '<>', 'dnc'),
      journal,
    );
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
      .where(w.oneOf('contact_id', part, 'bigint'))
      .where('state', '<>', 'dnc')
      .execute();
  }

  // Taking over hands stored contacts' enrollments to the new owner too, except an enrollment
  // its current owner has already dialled: that cadence, and the callbacks it is waiting on,
  // are theirs.
  const newOwner = target.ownerId;
  if (newOwner !== null && target.takeOver) {
    const storedIds = stored.map((p) => p.existingId!);
    for (const part of w.keyParts(storedIds)) {
      const handed = await journalEnrollments(
        trx
          .selectFrom('enrollments')
          .where(w.oneOf('contact_id', part, 'bigint'))
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
          ),
        journal,
      );
      for (const ids of w.keyParts(handed)) {
        await trx
          .updateTable('enrollments')
          .set({ owner_id: newOwner, updated_at: now })
          .where(w.oneOf('id', ids, 'bigint'))
          .execute();
      }
    }
  }

  await journal.write(trx, target.runId);

  return {
    created: plan.created,
    updated: plan.updated,
    unchanged: plan.unchanged,
    skipped: plan.skipped,
    conflicts: plan.conflicts,
    changes: plan.changes,
  };
}

/** Journals the enrollments a query selects, as they are, under their contacts; gives their ids. */
async function journalEnrollments(
  query: SelectQueryBuilder<Database, 'enrollments', object>,
  journal: BatchJournal,
): Promise<number[]> {
  const rows = await query.select(['contact_id', ...JOURNALED_ENROLLMENT_COLUMNS]).execute();
  for (const { contact_id, ...before } of rows) journal.add(contact_id, 'enrollments', before);
  return rows.map((r) => r.id);
}

/**
 * The stored contacts a batch could be, with what the plan compares: their fields, company,
 * whether the importing user may see them, and their links to the batch's numbers.
 */
async function loadCandidates(
  w: BulkWriter,
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
  for (const part of w.keyParts(ids)) {
    const rows = await w.trx
      .selectFrom('contacts as c')
      .leftJoin('companies as co', 'co.id', 'c.company_id')
      .select(MERGED_FIELDS.map((f) => `c.${COLUMN_OF[f]}` as const))
      .select(['c.id', 'c.email_key', 'c.owner_id', 'c.kind', 'c.do_not_call', 'co.name as company'])
      .select(sql<number>`case when ${visible} then 1 else 0 end`.as('in_scope'))
      .where(w.oneOf('c.id', part, 'bigint'))
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
      .where(w.oneOf('contact_id', part, 'bigint'))
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
export async function refreshImportStatistics(store: Pick<Store, 'db' | 'dialect'>): Promise<void> {
  // Only the columns the batch lookups filter and join on: the table sizes are updated all the
  // same, and the other columns' statistics (autovacuum's job) cost the most to gather, above
  // all contacts' many text columns.
  if (store.dialect === 'postgres')
    await sql`analyze contacts (id, workspace_id, email_key), numbers (workspace_id, e164),
      contact_numbers (contact_id, number_id, kind), companies (workspace_id, name_key)`.execute(store.db);
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
  store: Pick<Store, 'dialect'>,
): Promise<void> {
  if (store.dialect === 'postgres') await sql`set local synchronous_commit = off`.execute(trx);
}

async function ensureCompanies(
  w: BulkWriter,
  ws: number,
  pendings: readonly PlannedContact[],
  now: number,
): Promise<Map<string, number>> {
  // A company key is '' exactly when the name is only spaces.
  const byKey = new Map<string, string>();
  for (const p of pendings) if (p.companyKey !== '') byKey.set(p.companyKey, p.draft.company.trim());
  const keys = [...byKey.keys()];
  const ids = await w.reserveIds('companies', keys.length);
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
  w: BulkWriter,
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
  const inserted = new Set(await w.insertReturningIds(table, columns, values, ['workspace_id', keyColumn]));
  const idAt: (number | undefined)[] = ids.slice();
  const existingAt: number[] = [];
  for (let i = 0; i < keys.length; i++) if (!inserted.has(ids[i]!)) existingAt.push(i);
  if (existingAt.length === 0) return { ids: idAt, existingAt };
  const missing = existingAt.map((i) => keys[i]!);
  const found = await w.idsOf(table, keyColumn, ws, missing);
  for (let j = 0; j < existingAt.length; j++) idAt[existingAt[j]!] = found[j];
  return { ids: idAt, existingAt };
}

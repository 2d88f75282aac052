/**
 * Writes a batch of imported contacts: finds the contacts they are (by email, then by a
 * personal number), merges what changed, creates the rest, links numbers and enrolls.
 * Runs inside one write transaction per batch, so an interrupted import leaves whole batches
 * and running it again finds them instead of duplicating them.
 */
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { ContactDraft, DraftNumber } from '../core/import/draft.js';
import type { DialectName } from './dialect.js';
import type { ContactNumberTable, ContactTable, Database, NumberSource } from './schema.js';
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

/**
 * Numbers that belong to one person. A main line, an assistant's line or an "other" number is
 * often shared (reception, an assistant for several executives), so it never makes two rows
 * the same contact.
 */
const IDENTITY_KINDS = ['direct', 'mobile', 'home'] as const;
const identifies = (kind: string) => (IDENTITY_KINDS as readonly string[]).includes(kind);

export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

export function companyKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** A contact this batch will write: an existing one being merged into, or a new one. */
interface Pending {
  existingId: number | null;
  draft: ContactDraft;
  /** Values as stored now (existing) — to tell a change from a repeat. */
  stored:
    | (Fields & { company_id: number | null; owner_id: number | null; kind: string; do_not_call: number })
    | null;
  changed: boolean;
  /** Rows of this batch merged into an earlier one. */
  repeats: number;
  repeatsChanged: number;
}

const chunk = <T>(items: T[], size = 500): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

export async function applyContactBatch(
  trx: Kysely<Database>,
  dialect: DialectName,
  drafts: ContactDraft[],
  target: ImportTarget,
  now: number,
): Promise<BatchCounts> {
  const ws = target.workspaceId;
  if (drafts.length === 0) return { created: 0, updated: 0, unchanged: 0 };

  const allE164 = [...new Set(drafts.flatMap((d) => d.numbers.map((n) => n.e164)))];
  const allEmails = [...new Set(drafts.map((d) => emailKey(d.email)).filter((e) => e !== ''))];

  const numberIdByE164 = new Map<string, number>();
  for (const part of chunk(allE164)) {
    const rows = await trx
      .selectFrom('numbers')
      .select(['id', 'e164'])
      .where('workspace_id', '=', ws)
      .where('e164', 'in', part)
      .execute();
    for (const r of rows) numberIdByE164.set(r.e164, r.id);
  }

  const ownersByNumberId = new Map<number, number[]>();
  const knownNumberIds = [...numberIdByE164.values()];
  for (const part of chunk(knownNumberIds)) {
    const rows = await trx
      .selectFrom('contact_numbers')
      .select(['contact_id', 'number_id'])
      .where('number_id', 'in', part)
      .where('kind', 'in', IDENTITY_KINDS)
      .orderBy('contact_id')
      .execute();
    for (const r of rows) {
      const list = ownersByNumberId.get(r.number_id) ?? [];
      list.push(r.contact_id);
      ownersByNumberId.set(r.number_id, list);
    }
  }

  const contactIdByEmail = new Map<string, number>();
  for (const part of chunk(allEmails)) {
    const rows = await trx
      .selectFrom('contacts')
      .select(['id', 'email_key'])
      .where('workspace_id', '=', ws)
      .where('email_key', 'in', part)
      .orderBy('id')
      .execute();
    for (const r of rows) if (!contactIdByEmail.has(r.email_key)) contactIdByEmail.set(r.email_key, r.id);
  }

  // Match each draft: email first, then a personal number; the same within the batch.
  const pendings: Pending[] = [];
  const pendingByExisting = new Map<number, Pending>();
  const pendingByEmail = new Map<string, Pending>();
  const pendingByNumber = new Map<string, Pending>();
  const matchedIds = new Set<number>();
  const matchOf: { draft: ContactDraft; existingId: number | null; batchPending: Pending | null }[] = [];

  for (const d of drafts) {
    const ek = emailKey(d.email);
    let batchPending: Pending | null = (ek && pendingByEmail.get(ek)) || null;
    let existingId: number | null = batchPending ? null : (ek && contactIdByEmail.get(ek)) || null;
    if (!batchPending && existingId === null) {
      for (const n of d.numbers) {
        if (!identifies(n.kind)) continue;
        const p = pendingByNumber.get(n.e164);
        if (p && !emailsConflict(ek, emailKey(p.draft.email))) {
          batchPending = p;
          break;
        }
        const nid = numberIdByE164.get(n.e164);
        const owners = nid === undefined ? undefined : ownersByNumberId.get(nid);
        if (owners && owners.length > 0) {
          existingId = owners[0]!;
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
    if (!batchPending) {
      const p: Pending = {
        existingId,
        draft: d,
        stored: null,
        changed: false,
        repeats: 0,
        repeatsChanged: 0,
      };
      pendings.push(p);
      if (existingId !== null) pendingByExisting.set(existingId, p);
      batchPending = p;
    } else {
      batchPending.repeats++;
      const before = JSON.stringify(batchPending.draft);
      batchPending.draft = mergeDrafts(batchPending.draft, d);
      if (JSON.stringify(batchPending.draft) !== before) batchPending.repeatsChanged++;
    }
    const p = batchPending;
    if (ek) pendingByEmail.set(ek, p);
    for (const n of d.numbers) if (identifies(n.kind)) pendingByNumber.set(n.e164, p);
    matchOf.push({ draft: d, existingId, batchPending: p });
  }

  // Load what matched contacts hold now.
  const existingIds = [...matchedIds];
  const storedById = new Map<number, NonNullable<Pending['stored']>>();
  const linksByContact = new Map<number, Map<number, { kind: string; extension: string }>>();
  for (const part of chunk(existingIds)) {
    const rows = await trx
      .selectFrom('contacts')
      .select([...FIELD_NAMES, 'id', 'company_id', 'owner_id', 'kind', 'do_not_call'])
      .where('id', 'in', part)
      .execute();
    for (const r of rows) storedById.set(r.id, r);
    const links = await trx
      .selectFrom('contact_numbers')
      .select(['contact_id', 'number_id', 'kind', 'extension'])
      .where('contact_id', 'in', part)
      .execute();
    for (const l of links) {
      const m = linksByContact.get(l.contact_id) ?? new Map();
      m.set(l.number_id, { kind: l.kind, extension: l.extension });
      linksByContact.set(l.contact_id, m);
    }
  }
  for (const p of pendings) if (p.existingId !== null) p.stored = storedById.get(p.existingId) ?? null;

  // Companies, created once per name.
  const companyIdByKey = await ensureCompanies(
    trx,
    ws,
    pendings.map((p) => p.draft.company),
    now,
  );

  // Numbers, created once per E.164.
  const missingNumbers = new Map<string, DraftNumber>();
  for (const p of pendings)
    for (const n of p.draft.numbers) if (!numberIdByE164.has(n.e164)) missingNumbers.set(n.e164, n);
  if (missingNumbers.size > 0) {
    for (const part of chunk([...missingNumbers.values()])) {
      await trx
        .insertInto('numbers')
        .values(
          part.map((n) => ({
            workspace_id: ws,
            e164: n.e164,
            country: n.country,
            valid: 1,
            created_at: now,
          })),
        )
        .onConflict((oc) => oc.columns(['workspace_id', 'e164']).doNothing())
        .execute();
      const rows = await trx
        .selectFrom('numbers')
        .select(['id', 'e164'])
        .where('workspace_id', '=', ws)
        .where(
          'e164',
          'in',
          part.map((n) => n.e164),
        )
        .execute();
      for (const r of rows) numberIdByE164.set(r.e164, r.id);
    }
  }

  // New contacts.
  const fresh = pendings.filter((p) => p.existingId === null);
  const ids = await reserveIds(trx, dialect, 'contacts', fresh.length);
  const inserts: Insertable<ContactTable>[] = fresh.map((p, i) => {
    const d = p.draft;
    const fields = Object.fromEntries(FIELD_NAMES.map((f) => [f, FIELD_OF[f](d)])) as unknown as Fields;
    const row: Insertable<ContactTable> = {
      ...fields,
      id: ids[i]!,
      workspace_id: ws,
      company_id: d.company ? (companyIdByKey.get(companyKey(d.company)) ?? null) : null,
      owner_id: target.ownerId,
      kind: d.kind || 'business',
      do_not_call: d.doNotCall ? 1 : 0,
      created_at: now,
      updated_at: now,
    };
    p.existingId = ids[i]!;
    return row;
  });
  for (const part of chunk(inserts, 400)) await trx.insertInto('contacts').values(part).execute();

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

  // Number links: new ones, and kind or extension changes on existing ones.
  const newLinks: Insertable<ContactNumberTable>[] = [];
  for (const p of pendings) {
    const contactId = p.existingId!;
    const have = linksByContact.get(contactId);
    for (const n of p.draft.numbers) {
      const numberId = numberIdByE164.get(n.e164)!;
      const link = have?.get(numberId);
      if (!link) {
        newLinks.push({
          contact_id: contactId,
          number_id: numberId,
          kind: n.kind,
          extension: n.extension,
          source: target.source,
          created_at: now,
        });
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
  for (const part of chunk(newLinks, 1000)) {
    await trx
      .insertInto('contact_numbers')
      .values(part)
      .onConflict((oc) => oc.columns(['contact_id', 'number_id']).doNothing())
      .execute();
  }

  // Do-not-call marks from the file go on the workspace list too.
  const dncIds = pendings
    .filter((p) => p.draft.doNotCall && p.stored?.do_not_call !== 1)
    .map((p) => p.existingId!);
  for (const part of chunk(dncIds)) {
    const listed = new Set(
      (
        await trx
          .selectFrom('dnc_entries')
          .select('contact_id')
          .where('workspace_id', '=', ws)
          .where('contact_id', 'in', part)
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
    const campaignId = target.campaignId;
    for (const part of chunk(pendings, 400)) {
      await trx
        .insertInto('enrollments')
        .values(
          part.map((p) => ({
            workspace_id: ws,
            campaign_id: campaignId,
            contact_id: p.existingId!,
            owner_id: target.ownerId,
            state: p.draft.doNotCall ? ('dnc' as const) : ('new' as const),
            created_at: now,
            updated_at: now,
          })),
        )
        .onConflict((oc) => oc.columns(['campaign_id', 'contact_id']).doNothing())
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

function emailsConflict(a: string, b: string): boolean {
  return a !== '' && b !== '' && a !== b;
}

/** A later row of the same contact fills in and overrides what it gives. */
function mergeDrafts(base: ContactDraft, next: ContactDraft): ContactDraft {
  const merged: ContactDraft = { ...base, numbers: [...base.numbers] };
  for (const key of Object.keys(next) as (keyof ContactDraft)[]) {
    if (key === 'numbers' || key === 'row') continue;
    const v = next[key];
    if (v !== '' && v !== null) (merged as unknown as Record<string, unknown>)[key] = v;
  }
  for (const n of next.numbers) if (!merged.numbers.some((m) => m.e164 === n.e164)) merged.numbers.push(n);
  return merged;
}

async function ensureCompanies(
  trx: Kysely<Database>,
  ws: number,
  names: string[],
  now: number,
): Promise<Map<string, number>> {
  const byKey = new Map<string, string>();
  for (const n of names) if (n.trim()) byKey.set(companyKey(n), n.trim());
  const ids = new Map<string, number>();
  for (const part of chunk([...byKey.keys()])) {
    const found = await trx
      .selectFrom('companies')
      .select(['id', 'name_key'])
      .where('workspace_id', '=', ws)
      .where('name_key', 'in', part)
      .execute();
    for (const r of found) ids.set(r.name_key, r.id);
    const missing = part.filter((k) => !ids.has(k));
    if (missing.length === 0) continue;
    await trx
      .insertInto('companies')
      .values(missing.map((k) => ({ workspace_id: ws, name: byKey.get(k)!, name_key: k, created_at: now })))
      .onConflict((oc) => oc.columns(['workspace_id', 'name_key']).doNothing())
      .execute();
    const created = await trx
      .selectFrom('companies')
      .select(['id', 'name_key'])
      .where('workspace_id', '=', ws)
      .where('name_key', 'in', missing)
      .execute();
    for (const r of created) ids.set(r.name_key, r.id);
  }
  return ids;
}

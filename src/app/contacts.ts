/**
 * Contacts one at a time, for a signed-in user: create (with numbers), read, update, delete,
 * add and remove numbers. Every step is scoped (store/scope.ts): a contact the user may not
 * see is "not found", never "forbidden", so ids of others' contacts reveal nothing.
 */
import { type SqlBool, sql } from 'kysely';
import type { CountryCode } from 'libphonenumber-js';
import type { ContactCreate, ContactDetail, ContactUpdate } from '../contracts/contacts.js';
import type { NumberKind } from '../core/contact-fields.js';
import { emailKey } from '../core/import/draft-index.js';
import { normalizePhone } from '../core/phone/normalize.js';
import { addNumberToContact } from '../store/attempt-repo.js';
import {
  type ContactRecord,
  companyId,
  contactColumns,
  contactHasOthersWork,
  deleteContact,
  findContactInScope,
  insertContact,
  removeNumberFromContact,
  updateContact,
} from '../store/contact-repo.js';
import type { Store } from '../store/db.js';
import { numbersOf } from '../store/queue-repo.js';
import type { ContactUpdate as ContactRowUpdate, User } from '../store/schema.js';
import { type Actor, contactInScope, userInScope } from '../store/scope.js';
import { inWriteTransaction } from '../store/write-transaction.js';
import { invalid, notFound } from './errors.js';
import { emitWebhookEvent } from './webhook-events.js';

type Db = Store['db'];

async function defaultCountry(db: Db, workspaceId: number): Promise<CountryCode> {
  const ws = await db
    .selectFrom('workspaces')
    .select('default_country')
    .where('id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  return ws.default_country as CountryCode;
}

/** An owner must be someone the actor answers for (a rep: themselves). */
export async function checkOwner(
  db: Db,
  actor: Actor,
  ownerId: number | null | undefined,
  what: 'contacts' | 'enrollments' = 'contacts',
): Promise<void> {
  if (ownerId === null || ownerId === undefined) return;
  if (!(await answersFor(db, actor, ownerId)))
    throw invalid(`you cannot give ${what} to user ${ownerId}`, '/ownerId');
}

async function answersFor(db: Db, actor: Actor, userId: number): Promise<boolean> {
  const found = await db
    .selectFrom('users as u')
    .select('u.id')
    .where('u.id', '=', userId)
    .where(userInScope(actor, 'u'))
    .executeTakeFirst();
  return found !== undefined;
}

function rowChanges(input: ContactUpdate): ContactRowUpdate {
  const out: ContactRowUpdate = {};
  if (input.firstName !== undefined) out.first_name = input.firstName;
  if (input.lastName !== undefined) out.last_name = input.lastName;
  if (input.title !== undefined) out.title = input.title;
  if (input.email !== undefined) {
    out.email = input.email;
    out.email_key = emailKey(input.email);
  }
  if (input.timeZone !== undefined) out.time_zone = input.timeZone;
  if (input.kind !== undefined) out.kind = input.kind;
  if (input.interests !== undefined) out.interests = input.interests;
  if (input.notes !== undefined) out.notes = input.notes;
  if (input.city !== undefined) out.city = input.city;
  if (input.region !== undefined) out.region = input.region;
  if (input.country !== undefined) out.country = input.country.toUpperCase();
  if (input.ownerId !== undefined) out.owner_id = input.ownerId;
  return out;
}

export async function contactDetail(db: Db, actor: Actor, id: number): Promise<ContactDetail> {
  const row = await findContactInScope(db, actor, id);
  if (!row) throw notFound(`there is no contact ${id}`);
  return detailOf(db, row);
}

async function detailOf(db: Db, row: ContactRecord): Promise<ContactDetail> {
  const numbers = await numbersOf(db, row.workspace_id, [row.id]);
  const enrollments = await db
    .selectFrom('enrollments as e')
    .innerJoin('campaigns as k', 'k.id', 'e.campaign_id')
    .select(['e.id', 'e.campaign_id', 'k.name', 'e.state', 'e.owner_id', 'e.attempt_count', 'e.next_due_at'])
    .where('e.contact_id', '=', row.id)
    .orderBy('e.id')
    .execute();
  return {
    ...contactSummary(row),
    kind: row.kind,
    interests: row.interests,
    city: row.city,
    region: row.region,
    country: row.country,
    notes: row.notes,
    numbers: numbers.map((n) => ({
      id: n.numberId,
      e164: n.e164,
      kind: n.kind,
      extension: n.extension,
      valid: n.valid,
      doNotCall: n.doNotCall,
    })),
    enrollments: enrollments.map((e) => ({
      id: e.id,
      campaignId: e.campaign_id,
      campaign: e.name,
      state: e.state,
      ownerId: e.owner_id,
      attemptCount: e.attempt_count,
      nextDueAt: e.next_due_at === null ? null : new Date(e.next_due_at).toISOString(),
    })),
  };
}

export function contactSummary(
  r: Pick<
    ContactRecord,
    | 'id'
    | 'first_name'
    | 'last_name'
    | 'title'
    | 'company'
    | 'email'
    | 'time_zone'
    | 'owner_id'
    | 'do_not_call'
  >,
) {
  return {
    id: r.id,
    name: `${r.first_name} ${r.last_name}`.trim(),
    firstName: r.first_name,
    lastName: r.last_name,
    title: r.title,
    company: r.company,
    email: r.email,
    timeZone: r.time_zone,
    ownerId: r.owner_id,
    doNotCall: r.do_not_call === 1,
  };
}

async function parseNumber(db: Db, workspaceId: number, raw: string, field: string) {
  const parsed = normalizePhone(raw, await defaultCountry(db, workspaceId));
  if (!parsed.ok) throw invalid(`${raw}: ${parsed.reason}`, field);
  return parsed;
}

export async function createContact(
  store: Store,
  actor: User,
  input: ContactCreate,
  now: number,
): Promise<ContactDetail> {
  return inWriteTransaction(store, async (db) => {
    const ownerId = input.ownerId === undefined ? actor.id : input.ownerId;
    await checkOwner(db, actor, ownerId);
    // Every number is checked before anything is written.
    const numbers = [];
    for (const [i, n] of input.numbers.entries()) {
      numbers.push({
        parsed: await parseNumber(db, actor.workspace_id, n.number, `/numbers/${i}/number`),
        kind: n.kind,
      });
    }
    const id = await insertContact(db, {
      workspace_id: actor.workspace_id,
      company_id: await companyId(db, actor.workspace_id, input.company ?? null, now),
      ...rowChanges({ ...input, ownerId }),
      created_at: now,
      updated_at: now,
    });
    for (const { parsed, kind } of numbers) {
      await addNumberToContact(db, actor.workspace_id, id, parsed, kind, 'manual', now);
    }
    return savedContact(db, actor, id, 'contact.created', now);
  });
}

/** The contact as just saved, told to the webhooks (`contact.created` or `contact.updated`). */
async function savedContact(
  db: Db,
  actor: User,
  id: number,
  type: 'contact.created' | 'contact.updated',
  now: number,
): Promise<ContactDetail> {
  const detail = await contactDetail(db, actor, id);
  await emitWebhookEvent(db, actor.workspace_id, type, { contact: detail }, now);
  return detail;
}

export async function changeContact(
  store: Store,
  actor: User,
  id: number,
  input: ContactUpdate,
  now: number,
): Promise<ContactDetail> {
  return inWriteTransaction(store, async (db) => {
    const row = await findContactInScope(db, actor, id);
    if (!row) throw notFound(`there is no contact ${id}`);
    await checkOwner(db, actor, input.ownerId);
    // Seeing a colleague's contact (through an enrollment of one's own) is not owning it.
    if (
      input.ownerId !== undefined &&
      input.ownerId !== row.owner_id &&
      row.owner_id !== null &&
      !(await answersFor(db, actor, row.owner_id))
    ) {
      throw invalid(
        `contact ${id} belongs to another rep; only they, their manager or an admin can give it to someone else`,
        '/ownerId',
      );
    }
    const changes = rowChanges(input);
    if (input.company !== undefined)
      changes.company_id = await companyId(db, actor.workspace_id, input.company, now);
    await updateContact(db, id, { ...changes, updated_at: now });
    return savedContact(db, actor, id, 'contact.updated', now);
  });
}

export async function removeContact(store: Store, actor: User, id: number): Promise<void> {
  await inWriteTransaction(store, async (db) => {
    if (!(await findContactInScope(db, actor, id))) throw notFound(`there is no contact ${id}`);
    if (await contactHasOthersWork(db, actor, id)) {
      throw invalid(
        `contact ${id} has calls or campaigns of other reps; their manager or an admin can delete it`,
      );
    }
    await deleteContact(db, id);
  });
}

export async function addContactNumber(
  store: Store,
  actor: User,
  id: number,
  input: { number: string; kind: NumberKind },
  now: number,
): Promise<ContactDetail> {
  return inWriteTransaction(store, async (db) => {
    if (!(await findContactInScope(db, actor, id))) throw notFound(`there is no contact ${id}`);
    const parsed = await parseNumber(db, actor.workspace_id, input.number, '/number');
    await addNumberToContact(db, actor.workspace_id, id, parsed, input.kind, 'manual', now);
    await updateContact(db, id, { updated_at: now });
    return savedContact(db, actor, id, 'contact.updated', now);
  });
}

export async function removeContactNumber(
  store: Store,
  actor: User,
  id: number,
  numberId: number,
): Promise<void> {
  await inWriteTransaction(store, async (db) => {
    if (!(await findContactInScope(db, actor, id))) throw notFound(`there is no contact ${id}`);
    if (!(await removeNumberFromContact(db, id, numberId))) {
      throw notFound(`contact ${id} has no number ${numberId}`);
    }
  });
}

/** Escapes LIKE wildcards; the queries say `escape '\'`. */
const likePattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Contacts by name, company, or a number typed in any format; in id order from `after`. */
export async function searchContacts(
  db: Db,
  actor: Actor,
  options: { q?: string | undefined; limit: number; after?: number | undefined },
): Promise<ReturnType<typeof contactSummary>[]> {
  let query = contactColumns(db)
    .where(contactInScope(actor, 'c'))
    .where('c.id', '>', options.after ?? 0);
  const q = options.q?.trim();
  if (q) {
    const digits = q.replace(/\D/g, '').length;
    const phone = digits >= 3 ? normalizePhone(q, await defaultCountry(db, actor.workspace_id)) : null;
    const pattern = likePattern(q);
    query = query.where((eb) =>
      eb.or([
        sql<SqlBool>`lower(c.first_name || ' ' || c.last_name) like ${pattern} escape '\\'`,
        sql<SqlBool>`lower(co.name) like ${pattern} escape '\\'`,
        ...(phone?.ok
          ? [
              eb(
                'c.id',
                'in',
                eb
                  .selectFrom('contact_numbers as cn')
                  .innerJoin('numbers as n', 'n.id', 'cn.number_id')
                  .select('cn.contact_id')
                  .where('n.workspace_id', '=', actor.workspace_id)
                  .where('n.e164', '=', phone.e164),
              ),
            ]
          : []),
      ]),
    );
  }
  const rows = await query.orderBy('c.id').limit(options.limit).execute();
  return rows.map(contactSummary);
}

/**
 * What the queue and the cadence read and write: due and fresh enrollments (indexed by
 * owner/campaign, state and due time), their contacts, numbers and attempts, and leases.
 */
import type { Kysely } from 'kysely';
import type { CadenceAttempt, CadenceNumber } from '../core/cadence/types.js';
import type { Database } from './schema.js';

export interface CandidateRow {
  enrollment_id: number;
  contact_id: number;
  campaign_id: number;
  owner_id: number | null;
  state: Database['enrollments']['state'];
  due_kind: Database['enrollments']['due_kind'];
  next_due_at: number | null;
  priority: number;
  put_offs: number;
  flagged: number;
  experiment_arm: 'leave' | 'skip' | null;
  attempt_count: number;
  enrolled_at: number;
  first_name: string;
  last_name: string;
  title: string;
  company: string | null;
  kind: 'business' | 'consumer';
  time_zone: string;
  region: string;
  country: string;
  interests: string;
  notes: string;
  campaign_name: string;
  urgency: 'high' | 'normal' | 'low';
  policy: string;
  scripts: string;
  topic: string;
}

export interface CandidateQuery {
  workspaceId: number;
  /** The user the calls are for: their enrollments and unassigned ones. */
  userId: number | null;
  campaignId: number | null;
  now: number;
  /** Due up to this instant (appointments lead the queue before their time). */
  dueBy: number;
  limit: number;
}

/**
 * Whose enrollments one query reads: the user's own (their id), the unassigned ones (null), or
 * everyone's (undefined, when no user is given).
 */
type Owner = number | null | undefined;

function base(db: Kysely<Database>, q: CandidateQuery, owner: Owner) {
  let query = db
    .selectFrom('enrollments as e')
    .innerJoin('contacts as c', 'c.id', 'e.contact_id')
    .innerJoin('campaigns as k', 'k.id', 'e.campaign_id')
    .leftJoin('companies as co', 'co.id', 'c.company_id')
    .select([
      'e.id as enrollment_id',
      'e.contact_id',
      'e.campaign_id',
      'e.owner_id',
      'e.state',
      'e.due_kind',
      'e.next_due_at',
      'e.priority',
      'e.put_offs',
      'e.flagged',
      'e.experiment_arm',
      'e.attempt_count',
      'e.created_at as enrolled_at',
      'c.first_name',
      'c.last_name',
      'c.title',
      'co.name as company',
      'c.kind',
      'c.time_zone',
      'c.region',
      'c.country',
      'c.interests',
      'c.notes',
      'k.name as campaign_name',
      'k.urgency',
      'k.topic',
    ])
    .where('e.workspace_id', '=', q.workspaceId)
    .where('c.do_not_call', '=', 0)
    .where('k.archived_at', 'is', null);
  if (q.campaignId !== null) query = query.where('e.campaign_id', '=', q.campaignId);
  if (owner !== undefined) query = query.where('e.owner_id', owner === null ? 'is' : '=', owner);
  // Leased to someone else, directly or through another campaign of the same contact: not yours.
  const me = q.userId ?? -1;
  query = query
    .where((eb) =>
      eb.or([
        eb('e.lease_user_id', 'is', null),
        eb('e.lease_expires_at', '<=', q.now),
        eb('e.lease_user_id', '=', me),
      ]),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('enrollments as other')
            .select('other.id')
            .whereRef('other.contact_id', '=', 'e.contact_id')
            .where('other.lease_user_id', '!=', me)
            .where('other.lease_expires_at', '>', q.now),
        ),
      ),
    );
  return query;
}

/**
 * A user's candidates are their own enrollments and the unassigned ones. Each of the two is read
 * on its own, in index order up to the limit, and the two lists are merged: with an `or` over
 * the owner neither database can read in order, so both would sort the user's whole backlog
 * (thousands of rows, each joined) to return the first few hundred.
 */
async function perOwner(
  db: Kysely<Database>,
  q: CandidateQuery,
  read: (owner: Owner) => Promise<CampaignlessRow[]>,
  compare: (a: CampaignlessRow, b: CampaignlessRow) => number,
): Promise<CandidateRow[]> {
  let rows: CampaignlessRow[];
  if (q.userId === null) rows = await read(undefined);
  else {
    const mine = await read(q.userId);
    const unassigned = await read(null);
    rows = unassigned.length === 0 ? mine : [...mine, ...unassigned].sort(compare).slice(0, q.limit);
  }
  return withCampaignTexts(db, rows);
}

/** A candidate row as the big query returns it: without its campaign's policy and scripts. */
type CampaignlessRow = Omit<CandidateRow, 'policy' | 'scripts'>;

/**
 * Adds each row's campaign policy and scripts (JSON, a kilobyte or two) from one read of the
 * few campaigns involved, rather than repeating them on every one of hundreds of rows.
 */
async function withCampaignTexts(db: Kysely<Database>, rows: CampaignlessRow[]): Promise<CandidateRow[]> {
  if (rows.length === 0) return [];
  const campaigns = await db
    .selectFrom('campaigns')
    .select(['id', 'policy', 'scripts'])
    .where('id', 'in', [...new Set(rows.map((r) => r.campaign_id))])
    .execute();
  const byId = new Map(campaigns.map((c) => [c.id, c]));
  return rows.map((r) => {
    const k = byId.get(r.campaign_id)!;
    return { ...r, policy: k.policy, scripts: k.scripts };
  });
}

/** Due first (index enrollments_owner_next_due); the id settles ties, so the order is total. */
export async function dueCandidates(db: Kysely<Database>, q: CandidateQuery): Promise<CandidateRow[]> {
  return perOwner(
    db,
    q,
    async (owner) =>
      (await base(db, q, owner)
        .where('e.state', 'in', ['active', 'snoozed', 'appointment'])
        .where('e.next_due_at', '<=', q.dueBy)
        .orderBy('e.next_due_at')
        .orderBy('e.id')
        .limit(q.limit)
        .execute()) as CampaignlessRow[],
    (a, b) => a.next_due_at! - b.next_due_at! || a.enrollment_id - b.enrollment_id,
  );
}

/**
 * Appointments and requested callbacks due by `dueBy`, fetched on their own so a backlog of
 * overdue retries can never crowd them out of the candidates.
 */
export async function scheduledCandidates(db: Kysely<Database>, q: CandidateQuery): Promise<CandidateRow[]> {
  return perOwner(
    db,
    q,
    async (owner) =>
      (await base(db, q, owner)
        .where('e.state', 'in', ['active', 'snoozed', 'appointment'])
        .where('e.due_kind', 'in', ['appointment', 'callback'])
        .where('e.next_due_at', '<=', q.dueBy)
        .orderBy('e.next_due_at')
        .orderBy('e.id')
        .limit(q.limit)
        .execute()) as CampaignlessRow[],
    (a, b) => a.next_due_at! - b.next_due_at! || a.enrollment_id - b.enrollment_id,
  );
}

/** Oldest enrollment first (index enrollments_owner_state_id). */
export async function freshCandidates(db: Kysely<Database>, q: CandidateQuery): Promise<CandidateRow[]> {
  return perOwner(
    db,
    q,
    async (owner) =>
      (await base(db, q, owner)
        .where('e.state', '=', 'new')
        .orderBy('e.id')
        .limit(q.limit)
        .execute()) as CampaignlessRow[],
    (a, b) => a.enrollment_id - b.enrollment_id,
  );
}

export async function leaseEnrollments(
  db: Kysely<Database>,
  enrollmentIds: number[],
  userId: number,
  until: number,
  now: number,
): Promise<number[]> {
  if (enrollmentIds.length === 0) return [];
  await db
    .updateTable('enrollments')
    .set({ lease_user_id: userId, lease_expires_at: until })
    .where('id', 'in', enrollmentIds)
    .where((eb) =>
      eb.or([
        eb('lease_user_id', 'is', null),
        eb('lease_expires_at', '<=', now),
        eb('lease_user_id', '=', userId),
      ]),
    )
    .execute();
  const rows = await db
    .selectFrom('enrollments')
    .select('id')
    .where('id', 'in', enrollmentIds)
    .where('lease_user_id', '=', userId)
    .where('lease_expires_at', '=', until)
    .execute();
  return rows.map((r) => r.id);
}

export async function releaseLeases(db: Kysely<Database>, userId: number): Promise<void> {
  await db
    .updateTable('enrollments')
    .set({ lease_user_id: null, lease_expires_at: null })
    .where('lease_user_id', '=', userId)
    .execute();
}

export type NumberRow = CadenceNumber & { contactId: number; numberId: number; extension: string };

export async function numbersOf(
  db: Kysely<Database>,
  workspaceId: number,
  contactIds: number[],
): Promise<NumberRow[]> {
  if (contactIds.length === 0) return [];
  const rows = await db
    .selectFrom('contact_numbers as cn')
    .innerJoin('numbers as n', 'n.id', 'cn.number_id')
    .leftJoin('dnc_entries as d', (j) =>
      j.onRef('d.e164', '=', 'n.e164').on('d.workspace_id', '=', workspaceId),
    )
    .select([
      'cn.contact_id',
      'n.id as number_id',
      'n.e164',
      'cn.kind',
      'cn.extension',
      'n.valid',
      'd.id as dnc_id',
    ])
    .where('cn.contact_id', 'in', contactIds)
    .orderBy('cn.contact_id')
    .orderBy('cn.created_at')
    .execute();
  return rows.map((r) => ({
    contactId: r.contact_id,
    numberId: r.number_id,
    e164: r.e164,
    kind: r.kind,
    extension: r.extension,
    valid: r.valid === 1,
    doNotCall: r.dnc_id !== null,
  }));
}

export async function historyOf(
  db: Kysely<Database>,
  enrollmentIds: number[],
): Promise<Map<number, CadenceAttempt[]>> {
  const out = new Map<number, CadenceAttempt[]>();
  if (enrollmentIds.length === 0) return out;
  const rows = await db
    .selectFrom('attempts as a')
    .leftJoin('numbers as n', 'n.id', 'a.number_id')
    .select([
      'a.enrollment_id',
      'a.started_at',
      'a.outcome',
      'n.e164',
      'a.voicemail_left',
      'a.script',
      'a.scheduled_for',
    ])
    .where('a.enrollment_id', 'in', enrollmentIds)
    .orderBy('a.started_at')
    .orderBy('a.id')
    .execute();
  for (const r of rows) {
    const list = out.get(r.enrollment_id!) ?? [];
    list.push({
      at: r.started_at,
      outcome: r.outcome,
      number: r.e164,
      voicemailLeft: r.voicemail_left === 1,
      script: (r.script as CadenceAttempt['script']) ?? null,
      scheduledFor: r.scheduled_for,
    });
    out.set(r.enrollment_id!, list);
  }
  return out;
}

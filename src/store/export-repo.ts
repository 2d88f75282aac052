/**
 * Pages of contacts (with company, owner, numbers and their do-not-call flags, enrollments) and of attempts, in id order, for
 * export. Keyset paging keeps memory flat whatever the table size.
 */
import type { Kysely } from 'kysely';
import type { Database, EnrollmentState } from './schema.js';

export interface ContactForExport {
  id: number;
  first_name: string;
  last_name: string;
  title: string;
  company: string | null;
  email: string;
  kind: string;
  time_zone: string;
  interests: string;
  notes: string;
  street: string;
  city: string;
  region: string;
  postal_code: string;
  country: string;
  owner_email: string | null;
  do_not_call: number;
  numbers: { e164: string; kind: string; extension: string; doNotCall: boolean }[];
  enrollments: { campaign: string; state: EnrollmentState }[];
}

export async function contactsPage(
  db: Kysely<Database>,
  workspaceId: number,
  afterId: number,
  limit: number,
): Promise<ContactForExport[]> {
  const rows = await db
    .selectFrom('contacts as c')
    .leftJoin('companies as co', 'co.id', 'c.company_id')
    .leftJoin('users as u', 'u.id', 'c.owner_id')
    .select([
      'c.id',
      'c.first_name',
      'c.last_name',
      'c.title',
      'co.name as company',
      'c.email',
      'c.kind',
      'c.time_zone',
      'c.interests',
      'c.notes',
      'c.street',
      'c.city',
      'c.region',
      'c.postal_code',
      'c.country',
      'u.email as owner_email',
      'c.do_not_call',
    ])
    .where('c.workspace_id', '=', workspaceId)
    .where('c.id', '>', afterId)
    .orderBy('c.id')
    .limit(limit)
    .execute();
  if (rows.length === 0) return [];
  const links = await db
    .selectFrom('contact_numbers as cn')
    .innerJoin('numbers as n', 'n.id', 'cn.number_id')
    .select(['cn.contact_id', 'n.e164', 'cn.kind', 'cn.extension'])
    .where(
      'cn.contact_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('cn.contact_id')
    .orderBy('cn.created_at')
    .orderBy('n.e164')
    .execute();
  // Which of these numbers the workspace's own do-not-call list holds.
  const listed = new Set<string>();
  const e164s = [...new Set(links.map((l) => l.e164))];
  for (let i = 0; i < e164s.length; i += 1000) {
    const found = await db
      .selectFrom('dnc_entries')
      .select('e164')
      .where('workspace_id', '=', workspaceId)
      .where('e164', 'in', e164s.slice(i, i + 1000))
      .execute();
    for (const f of found) if (f.e164 !== null) listed.add(f.e164);
  }
  const byContact = new Map<number, ContactForExport['numbers']>();
  for (const l of links) {
    const list = byContact.get(l.contact_id) ?? [];
    list.push({ e164: l.e164, kind: l.kind, extension: l.extension, doNotCall: listed.has(l.e164) });
    byContact.set(l.contact_id, list);
  }
  const enrollments = await db
    .selectFrom('enrollments as e')
    .innerJoin('campaigns as k', 'k.id', 'e.campaign_id')
    .select(['e.contact_id', 'k.name as campaign', 'e.state'])
    .where(
      'e.contact_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('e.contact_id')
    .orderBy('e.id')
    .execute();
  const enrolled = new Map<number, ContactForExport['enrollments']>();
  for (const e of enrollments) {
    const list = enrolled.get(e.contact_id) ?? [];
    list.push({ campaign: e.campaign, state: e.state });
    enrolled.set(e.contact_id, list);
  }
  return rows.map((r) => ({
    ...r,
    numbers: byContact.get(r.id) ?? [],
    enrollments: enrolled.get(r.id) ?? [],
  }));
}

export interface AttemptForExport {
  id: number;
  started_at: number;
  ended_at: number | null;
  duration_s: number | null;
  outcome: string;
  voicemail_left: number;
  contact_id: number;
  contact_name: string;
  /** The contact's record of where it is, to place the call in its local time. */
  contact_time_zone: string;
  contact_region: string;
  contact_country: string;
  number: string | null;
  campaign: string | null;
  user_email: string | null;
  note: string;
  script: string | null;
  scheduled_for: number | null;
}

export async function attemptsPage(
  db: Kysely<Database>,
  workspaceId: number,
  afterId: number,
  limit: number,
): Promise<AttemptForExport[]> {
  const rows = await db
    .selectFrom('attempts as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .leftJoin('numbers as n', 'n.id', 'a.number_id')
    .leftJoin('campaigns as k', 'k.id', 'a.campaign_id')
    .leftJoin('users as u', 'u.id', 'a.user_id')
    .select([
      'a.id',
      'a.started_at',
      'a.ended_at',
      'a.duration_s',
      'a.outcome',
      'a.voicemail_left',
      'a.contact_id',
      'c.first_name',
      'c.last_name',
      'c.time_zone as contact_time_zone',
      'c.region as contact_region',
      'c.country as contact_country',
      'n.e164 as number',
      'k.name as campaign',
      'u.email as user_email',
      'a.note',
      'a.script',
      'a.scheduled_for',
    ])
    .where('a.workspace_id', '=', workspaceId)
    .where('a.id', '>', afterId)
    .orderBy('a.id')
    .limit(limit)
    .execute();
  return rows.map(({ first_name, last_name, ...r }) => ({
    ...r,
    contact_name: `${first_name} ${last_name}`.trim(),
  }));
}

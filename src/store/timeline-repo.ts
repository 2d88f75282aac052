/**
 * The reads behind a contact's timeline (core/timeline/page.ts): one query per kind, each
 * newest first, starting after the page cursor and reading at most `limit` rows through the
 * contact's index on that table. The caller has checked the contact is in the actor's scope,
 * so its rows are in the actor's workspace: filtering on the workspace again would only tempt
 * SQLite into the workspace-wide index.
 */
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Bound } from '../core/timeline/page.js';
import type { Database } from './schema.js';

export interface TimelineQuery {
  workspaceId: number;
  contactId: number;
  limit: number;
}

/** Rows strictly after the cursor on (time, id), for a table whose rank the bound already took into account. */
function after(bound: Bound | null, atColumn: string, idColumn: string): RawBuilder<SqlBool> {
  if (bound === null) return sql<SqlBool>`1 = 1`;
  const at = sql.ref(atColumn);
  if (bound.sameAtIdBelow === null) return sql<SqlBool>`${at} < ${bound.atBelow}`;
  if (bound.sameAtIdBelow === Number.POSITIVE_INFINITY) return sql<SqlBool>`${at} <= ${bound.atBelow}`;
  return sql<SqlBool>`(${at} < ${bound.atBelow} or (${at} = ${bound.atBelow} and ${sql.ref(idColumn)} < ${bound.sameAtIdBelow}))`;
}

export function attemptsOf(db: Kysely<Database>, q: TimelineQuery, bound: Bound | null) {
  return db
    .selectFrom('attempts as a')
    .leftJoin('users as u', 'u.id', 'a.user_id')
    .leftJoin('numbers as n', 'n.id', 'a.number_id')
    .leftJoin('campaigns as k', 'k.id', 'a.campaign_id')
    .select([
      'a.id',
      'a.started_at as at',
      'a.outcome',
      'a.note',
      'a.voicemail_left',
      'a.script',
      'a.duration_s',
      'a.scheduled_for',
      'u.name as user_name',
      'u.email as user_email',
      'n.e164',
      'k.name as campaign',
    ])
    .where('a.contact_id', '=', q.contactId)
    .where(after(bound, 'a.started_at', 'a.id'))
    .orderBy('a.started_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(q.limit)
    .execute();
}

export function inboundCallsOf(db: Kysely<Database>, q: TimelineQuery, bound: Bound | null) {
  return db
    .selectFrom('screening_decisions as d')
    .leftJoin('users as u', 'u.id', 'd.user_id')
    .leftJoin('attempts as ea', 'ea.id', 'd.attempt_id')
    .select([
      'd.id',
      'd.decided_at as at',
      'd.action',
      'd.reason',
      'd.caller_e164',
      'd.attempt_id',
      'ea.started_at as earned_at',
      'ea.voicemail_left as earned_by_voicemail',
      'u.name as user_name',
      'u.email as user_email',
    ])
    .where('d.contact_id', '=', q.contactId)
    .where(after(bound, 'd.decided_at', 'd.id'))
    .orderBy('d.decided_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(q.limit)
    .execute();
}

export function voicemailsReceivedBy(db: Kysely<Database>, q: TimelineQuery, bound: Bound | null) {
  return db
    .selectFrom('voicemails as v')
    .leftJoin('users as u', 'u.id', 'v.user_id')
    .select([
      'v.id',
      'v.received_at as at',
      'v.caller_e164',
      'v.recording_url',
      'v.duration_s',
      'v.transcription',
      'u.name as user_name',
      'u.email as user_email',
    ])
    .where('v.contact_id', '=', q.contactId)
    .where(after(bound, 'v.received_at', 'v.id'))
    .orderBy('v.received_at', 'desc')
    .orderBy('v.id', 'desc')
    .limit(q.limit)
    .execute();
}

export function appointmentsOf(db: Kysely<Database>, q: TimelineQuery, bound: Bound | null) {
  return db
    .selectFrom('appointments as p')
    .leftJoin('users as u', 'u.id', 'p.user_id')
    .select([
      'p.id',
      'p.starts_at as at',
      'p.duration_min',
      'p.title',
      'p.status',
      'u.name as user_name',
      'u.email as user_email',
    ])
    .where('p.contact_id', '=', q.contactId)
    .where(after(bound, 'p.starts_at', 'p.id'))
    .orderBy('p.starts_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(q.limit)
    .execute();
}

export function callbackEntriesOf(db: Kysely<Database>, q: TimelineQuery, bound: Bound | null) {
  return db
    .selectFrom('callback_entries as b')
    .leftJoin('users as u', 'u.id', 'b.user_id')
    .select([
      'b.id',
      'b.since_at as at',
      'b.reason',
      'b.expires_at',
      'b.cleared_at',
      'u.name as user_name',
      'u.email as user_email',
    ])
    .where('b.contact_id', '=', q.contactId)
    .where(after(bound, 'b.since_at', 'b.id'))
    .orderBy('b.since_at', 'desc')
    .orderBy('b.id', 'desc')
    .limit(q.limit)
    .execute();
}

/**
 * The contact's own do-not-call entry and those of its numbers: two indexed reads (an OR of the
 * two would read the workspace's whole list), merged newest first.
 */
export async function doNotCallOf(db: Kysely<Database>, q: TimelineQuery, bound: Bound | null) {
  const base = () =>
    db
      .selectFrom('dnc_entries as x')
      .leftJoin('users as u', 'u.id', 'x.created_by')
      .select([
        'x.id',
        'x.created_at as at',
        'x.e164',
        'x.contact_id',
        'x.reason',
        'x.source',
        'u.name as user_name',
        'u.email as user_email',
      ])
      .where('x.workspace_id', '=', q.workspaceId)
      .where(after(bound, 'x.created_at', 'x.id'))
      .orderBy('x.created_at', 'desc')
      .orderBy('x.id', 'desc')
      .limit(q.limit);
  const numbers = await db
    .selectFrom('contact_numbers as cn')
    .innerJoin('numbers as n', 'n.id', 'cn.number_id')
    .select('n.e164')
    .where('cn.contact_id', '=', q.contactId)
    .execute();
  const [own, ofNumbers] = await Promise.all([
    base().where('x.contact_id', '=', q.contactId).execute(),
    numbers.length === 0
      ? []
      : base()
          .where(
            'x.e164',
            'in',
            numbers.map((n) => n.e164),
          )
          .execute(),
  ]);
  return [...own, ...ofNumbers].sort((a, b) => b.at - a.at || b.id - a.id).slice(0, q.limit);
}

/**
 * Who may see and change what: the one place the rule lives. Every API query that reads or
 * writes contacts, enrollments, campaigns or appointments for a user adds one of these
 * conditions, so a route cannot forget a part of it.
 *
 *   db.selectFrom('contacts as c').selectAll('c').where(contactInScope(user, 'c'))
 *
 * - nobody sees another workspace;
 * - an admin sees the whole workspace;
 * - a manager sees what their team's members own (their own included), a rep what they own;
 * - a contact is someone's when they own it or own one of its enrollments; unassigned contacts
 *   (no owner) are the workspace's shared pool, as the queue offers unassigned enrollments to
 *   anyone;
 * - campaigns: those shared with the whole workspace (no team), with the user's team, or
 *   created by someone in the user's scope; an unassigned enrollment follows its campaign.
 */
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { User } from './schema.js';

export type Actor = Pick<User, 'id' | 'role' | 'workspace_id' | 'team_id'>;

const TRUE = sql<SqlBool>`1 = 1`;

/** The user ids an actor answers for, as a condition on `column`; always true for an admin. */
export function ownedInScope(actor: Actor, column: string): RawBuilder<SqlBool> {
  const ref = sql.ref(column);
  if (actor.role === 'admin') return TRUE;
  if (actor.role === 'manager' && actor.team_id !== null) {
    return sql<SqlBool>`${ref} in (select u.id from users u where u.team_id = ${actor.team_id} and u.workspace_id = ${actor.workspace_id})`;
  }
  return sql<SqlBool>`${ref} = ${actor.id}`;
}

export function campaignInScope(actor: Actor, alias: string): RawBuilder<SqlBool> {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  const workspace = sql<SqlBool>`${col('workspace_id')} = ${actor.workspace_id}`;
  if (actor.role === 'admin') return workspace;
  const team =
    actor.team_id === null ? sql<SqlBool>`1 = 0` : sql<SqlBool>`${col('team_id')} = ${actor.team_id}`;
  return sql<SqlBool>`(${workspace} and (${col('team_id')} is null or ${team} or ${ownedInScope(actor, `${alias}.created_by`)}))`;
}

export function contactInScope(actor: Actor, alias: string): RawBuilder<SqlBool> {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  const workspace = sql<SqlBool>`${col('workspace_id')} = ${actor.workspace_id}`;
  if (actor.role === 'admin') return workspace;
  return sql<SqlBool>`(${workspace} and (${col('owner_id')} is null or ${ownedInScope(actor, `${alias}.owner_id`)}
    or exists (select 1 from enrollments se where se.contact_id = ${col('id')} and ${ownedInScope(actor, 'se.owner_id')})))`;
}

export function enrollmentInScope(actor: Actor, alias: string): RawBuilder<SqlBool> {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  const workspace = sql<SqlBool>`${col('workspace_id')} = ${actor.workspace_id}`;
  if (actor.role === 'admin') return workspace;
  return sql<SqlBool>`(${workspace} and (${ownedInScope(actor, `${alias}.owner_id`)}
    or (${col('owner_id')} is null and exists (select 1 from campaigns sk where sk.id = ${col('campaign_id')} and ${campaignInScope(actor, 'sk')}))))`;
}

/** Appointments belong to the user they are with. */
export function appointmentInScope(actor: Actor, alias: string): RawBuilder<SqlBool> {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  return sql<SqlBool>`(${col('workspace_id')} = ${actor.workspace_id} and ${ownedInScope(actor, `${alias}.user_id`)})`;
}

/** Users whose things the actor may assign to (as owner): everyone in scope. */
export function userInScope(actor: Actor, alias: string): RawBuilder<SqlBool> {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  return sql<SqlBool>`(${col('workspace_id')} = ${actor.workspace_id} and ${ownedInScope(actor, `${alias}.id`)})`;
}

/**
 * Appointment reminders: which are due, and claiming them so one process sends each.
 */
import { type Kysely, sql } from 'kysely';
import { MAX_REMINDER_MINUTES } from '../contracts/workspace.js';
import type { Database } from './schema.js';

// The due query reads no further ahead than the longest lead a workspace may set.
export { MAX_REMINDER_MINUTES };

export interface DueReminder {
  id: number;
  workspace_id: number;
  user_id: number;
  contact_id: number;
  starts_at: number;
  title: string;
  first_name: string;
  last_name: string;
  company: string | null;
}

/**
 * Scheduled appointments not yet reminded that start after `now` and within their
 * workspace's reminder lead of it, soonest first.
 */
export async function dueReminders(db: Kysely<Database>, now: number, limit: number): Promise<DueReminder[]> {
  return db
    .selectFrom('appointments as a')
    .innerJoin('workspaces as w', 'w.id', 'a.workspace_id')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .leftJoin('companies as co', 'co.id', 'c.company_id')
    .select([
      'a.id',
      'a.workspace_id',
      'a.user_id',
      'a.contact_id',
      'a.starts_at',
      'a.title',
      'c.first_name',
      'c.last_name',
      'co.name as company',
    ])
    .where('a.status', 'in', ['scheduled', 'rescheduled'])
    .where('a.reminded_at', 'is', null)
    .where('a.starts_at', '>', now)
    .where('a.starts_at', '<=', now + MAX_REMINDER_MINUTES * 60_000)
    .where('w.reminder_minutes', '>', 0)
    .where(sql<boolean>`${sql.ref('a.starts_at')} - ${sql.ref('w.reminder_minutes')} * 60000 <= ${now}`)
    .orderBy('a.starts_at')
    .limit(limit)
    .execute();
}

/**
 * Marks these reminders sent and returns the ids this call claimed: an id another process
 * claimed first is left out, so each reminder is sent by exactly one.
 */
export async function claimReminders(db: Kysely<Database>, ids: number[], now: number): Promise<number[]> {
  if (ids.length === 0) return [];
  const claimed = await db
    .updateTable('appointments')
    .set({ reminded_at: now })
    .where('id', 'in', ids)
    .where('reminded_at', 'is', null)
    .returning('id')
    .execute();
  return claimed.map((r) => r.id);
}

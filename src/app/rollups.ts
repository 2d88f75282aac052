/**
 * Rebuilding the insights' roll-ups from the attempts (`ringback stats rebuild`, and the demo
 * after it writes its history in bulk): every attempt of the workspace counted again, in one
 * transaction, so a rebuild interrupted half-way leaves the old counts. Each attempt's row is
 * the one logging it would have written (core/insights/rollup.ts): attempt number and "fresh"
 * from the enrollment's earlier attempts, hour and weekday in the contact's zone as placed today.
 */
import type { Kysely } from 'kysely';
import { LIVE_OUTCOMES, type Outcome } from '../core/cadence/types.js';
import { mergeRollups, type RollupRow, rollupOf } from '../core/insights/rollup.js';
import type { Store } from '../store/db.js';
import { numbersOf } from '../store/queue-repo.js';
import { addRollups, attemptsForRollup, contactsForRollup, deleteRollups } from '../store/rollup-repo.js';
import type { Database } from '../store/schema.js';
import { findWorkspace } from '../store/workspace-repo.js';
import { inWriteTransaction } from '../store/write-transaction.js';
import { cadenceContact, workspaceRules } from './cadence-context.js';

const PAGE = 5_000;

/** Returns how many attempts were counted. */
export async function rebuildRollups(store: Store, workspaceId: number): Promise<number> {
  return inWriteTransaction(store, (db) => rebuildRollupsIn(db, workspaceId));
}

/** The same inside a write transaction the caller holds (the demo's). */
export async function rebuildRollupsIn(db: Kysely<Database>, workspaceId: number): Promise<number> {
  const workspace = await findWorkspace(db, workspaceId);
  if (!workspace) throw new Error(`there is no workspace ${workspaceId}`);
  const rules = workspaceRules(workspace);
  await deleteRollups(db, workspaceId);
  const zones = new Map<number, string>();
  let after: { enrollmentId: number; startedAt: number; id: number } | null = null;
  let enrollment = -1;
  let attempt = 0;
  let reached = false;
  let counted = 0;
  for (;;) {
    const page = await attemptsForRollup(db, workspaceId, after, PAGE);
    if (page.length === 0) break;
    const unplaced = [...new Set(page.map((a) => a.contact_id))].filter((id) => !zones.has(id));
    const [contacts, numbers] = await Promise.all([
      contactsForRollup(db, workspaceId, unplaced),
      numbersOf(db, workspaceId, unplaced),
    ]);
    for (const c of contacts) {
      const own = numbers.filter((n) => n.contactId === c.id);
      zones.set(c.id, cadenceContact(c, own, rules).zone);
    }
    const rows: RollupRow[] = [];
    for (const a of page) {
      const enrollmentId = a.enrollment_id ?? 0;
      if (enrollmentId !== enrollment || enrollmentId === 0) {
        enrollment = enrollmentId;
        attempt = 0;
        reached = false;
      }
      attempt++;
      const outcome = a.outcome as Outcome;
      rows.push(
        rollupOf({
          at: a.started_at,
          zone: zones.get(a.contact_id) ?? rules.zone,
          userId: a.user_id,
          campaignId: a.campaign_id,
          arm: a.experiment_arm,
          attempt,
          fresh: !reached,
          outcome,
          durationS: a.duration_s,
        }),
      );
      if (LIVE_OUTCOMES.has(outcome)) reached = true;
    }
    await addRollups(db, workspaceId, mergeRollups(rows));
    counted += page.length;
    const last = page[page.length - 1]!;
    after = { enrollmentId: last.enrollment_id ?? 0, startedAt: last.started_at, id: last.id };
  }
  return counted;
}

/**
 * The insights and timeline reads use the index meant for them on SQLite, whose planner has no
 * statistics to fall back on: a rep's stats read their own calls (not the workspace's period),
 * an admin's the workspace's, and a contact's timeline reads through the contact's indexes.
 * (PostgreSQL plans from statistics; the same indexes exist there.)
 */
import type { CompiledQuery, Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/store/db.js';
import * as stats from '../src/store/insights-repo.js';
import type { Database } from '../src/store/schema.js';
import type { Actor } from '../src/store/scope.js';
import * as timeline from '../src/store/timeline-repo.js';
import { createSqliteDatabase, openTestStore, type TestDatabase } from './support/stores.js';

const ADMIN: Actor = { id: 1, role: 'admin', workspace_id: 1, team_id: null };
const REP: Actor = { id: 2, role: 'rep', workspace_id: 1, team_id: 1 };
const MANAGER: Actor = { id: 3, role: 'manager', workspace_id: 1, team_id: 1 };
const PERIOD = { from: 0, to: 1e13 };

describe('insights query plans on SQLite', () => {
  let database: TestDatabase;
  let store: Store;
  let db: Kysely<Database>;
  let last: CompiledQuery | null = null;

  beforeAll(async () => {
    database = await createSqliteDatabase();
    store = await openTestStore(database);
    db = store.db.withPlugin({
      transformQuery(args) {
        last = store.db.getExecutor().compileQuery(args.node, args.queryId);
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  /** The plan of the last query `read` ran. */
  const planOf = async (read: () => Promise<unknown>): Promise<string> => {
    await read();
    const rows = store
      .sqlite!.prepare(`explain query plan ${last!.sql}`)
      .all(...(last!.parameters as unknown[]));
    return (rows as { detail: string }[]).map((r) => r.detail).join('\n');
  };

  it('reads a rep’s and a manager’s calls through the per-user indexes', async () => {
    for (const actor of [REP, MANAGER]) {
      expect(await planOf(() => stats.outcomeCounts(db, actor, PERIOD))).toMatch(/INDEX attempts_user_time/);
      expect(await planOf(() => stats.callbackCounts(db, actor, PERIOD))).toMatch(
        /INDEX screening_decisions_user_time/,
      );
      expect(await planOf(() => stats.blockSpans(db, actor, PERIOD, 1e13))).toMatch(
        /INDEX call_blocks_user_time/,
      );
    }
    expect(await planOf(() => stats.outcomeCounts(db, ADMIN, { ...PERIOD, userId: 2 }))).toMatch(
      /INDEX attempts_user_time/,
    );
  });

  it('reads an admin’s workspace through the workspace-and-time indexes', async () => {
    expect(await planOf(() => stats.outcomeCounts(db, ADMIN, PERIOD))).toMatch(
      /INDEX attempts_workspace_time/,
    );
    expect(await planOf(() => stats.callbackCounts(db, ADMIN, PERIOD))).toMatch(
      /INDEX screening_decisions_workspace_time/,
    );
    const arms = await planOf(() => stats.armCounts(db, ADMIN, PERIOD));
    expect(arms).toMatch(/INDEX attempts_workspace_time/);
    expect(arms).toMatch(/INDEX screening_decisions_contact_time/);
  });

  it('reads a contact’s timeline through the contact’s indexes', async () => {
    const q = { workspaceId: 1, contactId: 5, limit: 26 };
    const bound = { atBelow: 100, sameAtIdBelow: 3 };
    expect(await planOf(() => timeline.attemptsOf(db, q, bound))).toMatch(/INDEX attempts_contact_time/);
    expect(await planOf(() => timeline.inboundCallsOf(db, q, bound))).toMatch(
      /INDEX screening_decisions_contact_time/,
    );
    expect(await planOf(() => timeline.voicemailsReceivedBy(db, q, bound))).toMatch(
      /INDEX voicemails_contact_time/,
    );
    expect(await planOf(() => timeline.appointmentsOf(db, q, bound))).toMatch(/INDEX appointments_contact/);
    expect(await planOf(() => timeline.callbackEntriesOf(db, q, bound))).toMatch(
      /INDEX callback_entries_contact/,
    );
    expect(await planOf(() => timeline.doNotCallOf(db, q, bound))).toMatch(/INDEX dnc_entries_contact/);
  });
});

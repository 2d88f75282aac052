/**
 * The insights' roll-ups on real SQLite and PostgreSQL: a seeded demo workspace, plus outcomes
 * logged the ordinary way, gives the same heatmap, first-connect counts, advisor counts, cost
 * and callbacks as recomputing them from the raw attempts; a rebuild gives back exactly the
 * roll-ups logging wrote.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cadenceContact, workspaceRules } from '../src/app/cadence-context.js';
import { createDemo } from '../src/app/demo.js';
import { statsFor } from '../src/app/insights.js';
import { logAttempt } from '../src/app/log-attempt.js';
import { rebuildRollups } from '../src/app/rollups.js';
import { LIVE_OUTCOMES, type Outcome } from '../src/core/cadence/types.js';
import { adviseLimit } from '../src/core/insights/advisor.js';
import { creditCallbacks } from '../src/core/insights/callbacks.js';
import { ESTIMATED_SECONDS } from '../src/core/insights/cost.js';
import type { Store } from '../src/store/db.js';
import { numbersOf } from '../src/store/queue-repo.js';
import { findDefaultWorkspace } from '../src/store/workspace-repo.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';

const NOW = Date.UTC(2026, 2, 10, 15, 30);
const HOUR = 3_600_000;
const WHOLE = { from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' };
const LOGS: [Outcome, number | undefined][] = [
  ['no_answer', undefined],
  ['connected', 310],
  ['voicemail_left', 70],
  ['appointment_set', undefined],
  ['busy', 4],
];

/** The contact's local weekday (1 = Monday) and hour, read by Intl on its own. */
function localOf(at: number, zone: string): { weekday: number; hour: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    weekday: 'short',
    hour: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(at);
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(
    parts.find((p) => p.type === 'weekday')!.value,
  );
  return { weekday: weekday + 1, hour: Number(parts.find((p) => p.type === 'hour')!.value) };
}

async function rollupRows(store: Store) {
  const { rows } = await sql<Record<string, unknown>>`select * from attempt_rollups`.execute(store.db);
  return rows
    .map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)]))))
    .sort();
}

for (const { name, create } of DATABASES) {
  describe(`insights from roll-ups (${name})`, () => {
    let database: TestDatabase;
    let store: Store;
    let workspaceId: number;

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      await createDemo(store, { seed: 3, contacts: 150, now: NOW });
      workspaceId = (await findDefaultWorkspace(store.db))!.id;
      const active = await store.db
        .selectFrom('enrollments as e')
        .innerJoin('campaigns as k', 'k.id', 'e.campaign_id')
        .select(['e.contact_id', 'k.name'])
        .where('e.state', 'in', ['active', 'new'])
        .orderBy('e.id')
        .limit(LOGS.length * 3)
        .execute();
      for (const [i, e] of active.entries()) {
        const [outcome, durationSeconds] = LOGS[i % LOGS.length]!;
        await logAttempt(store, {
          user: null,
          contactId: e.contact_id,
          campaign: e.name,
          outcome,
          at: NOW + HOUR + i * 60_000,
          durationSeconds,
          when: outcome === 'appointment_set' ? 'in 3 days at 11am' : undefined,
        });
      }
    }, 120_000);

    afterAll(async () => {
      await store?.close();
      await database?.drop();
    });

    it('gives every roll-up figure the value recomputed from the raw attempts', async () => {
      const actor = { id: 0, role: 'admin' as const, workspace_id: workspaceId, team_id: null };
      const stats = await statsFor(store.db, actor, WHOLE, NOW + 2 * HOUR);
      const attempts = await store.db.selectFrom('attempts').selectAll().orderBy('id').execute();
      expect(attempts.length).toBeGreaterThan(200);
      expect(stats.totals.dials).toBe(attempts.length);

      const workspace = (await findDefaultWorkspace(store.db))!;
      const rules = workspaceRules(workspace);
      const contacts = await store.db.selectFrom('contacts').selectAll().execute();
      const numbers = await numbersOf(
        store.db,
        workspaceId,
        contacts.map((c) => c.id),
      );
      const zone = new Map(
        contacts.map((c) => [
          c.id,
          cadenceContact(
            c,
            numbers.filter((n) => n.contactId === c.id),
            rules,
          ).zone,
        ]),
      );

      // The heatmap, and its sums equal to the totals.
      const heat = new Map<string, { dials: number; conversations: number }>();
      for (const a of attempts) {
        const l = localOf(a.started_at, zone.get(a.contact_id)!);
        const key = `${l.weekday}|${l.hour}`;
        const cell = heat.get(key) ?? { dials: 0, conversations: 0 };
        cell.dials++;
        if (LIVE_OUTCOMES.has(a.outcome)) cell.conversations++;
        heat.set(key, cell);
      }
      expect(
        Object.fromEntries(
          stats.heatmap.map((h) => [
            `${h.weekday}|${h.hour}`,
            { dials: h.dials, conversations: h.conversations },
          ]),
        ),
      ).toEqual(Object.fromEntries(heat));
      expect(stats.heatmap.reduce((s, h) => s + h.dials, 0)).toBe(stats.totals.dials);
      expect(stats.heatmap.reduce((s, h) => s + h.conversations, 0)).toBe(stats.totals.conversations);

      // Attempts to first connect and the advisor: the k-th attempt of an enrollment nobody reached before it.
      const perCampaign = new Map<
        number,
        Map<number, { dials: number; conversations: number; appointments: number }>
      >();
      const byEnrollment = new Map<number, typeof attempts>();
      for (const a of attempts) {
        if (a.enrollment_id === null) continue;
        byEnrollment.set(a.enrollment_id, [...(byEnrollment.get(a.enrollment_id) ?? []), a]);
      }
      for (const list of byEnrollment.values()) {
        list.sort((x, y) => x.started_at - y.started_at || x.id - y.id);
        let reached = false;
        for (const [i, a] of list.entries()) {
          if (reached) break;
          const k = perCampaign.get(a.campaign_id!) ?? new Map();
          perCampaign.set(a.campaign_id!, k);
          const y = k.get(i + 1) ?? { dials: 0, conversations: 0, appointments: 0 };
          y.dials++;
          if (LIVE_OUTCOMES.has(a.outcome)) {
            y.conversations++;
            reached = true;
          }
          if (a.outcome === 'appointment_set') y.appointments++;
          k.set(i + 1, y);
        }
      }
      const expectedFirst = [...perCampaign.entries()].flatMap(([campaignId, k]) =>
        [...k.entries()].map(([attempt, y]) => ({
          campaignId,
          attempt,
          atRisk: y.dials,
          reached: y.conversations,
        })),
      );
      const sortKey = (p: { campaignId: number; attempt: number }) => p.campaignId * 1000 + p.attempt;
      expect(
        stats.firstConnect
          .map(({ campaignId, attempt, atRisk, reached }) => ({ campaignId, attempt, atRisk, reached }))
          .sort((a, b) => sortKey(a) - sortKey(b)),
      ).toEqual(expectedFirst.sort((a, b) => sortKey(a) - sortKey(b)));
      for (const a of stats.advisor) {
        const counts = [...perCampaign.get(a.campaignId)!.entries()]
          .map(([attempt, y]) => ({ attempt, ...y }))
          .sort((x, y) => x.attempt - y.attempt);
        expect(
          a.byAttempt.map(({ attempt, dials, conversations, appointments }) => ({
            attempt,
            dials,
            conversations,
            appointments,
          })),
        ).toEqual(counts);
        expect(a.recommendedLimit).toBe(adviseLimit(counts).recommendedLimit);
      }
      expect(stats.advisor.length).toBe(perCampaign.size);

      // Cost: timed seconds, else the outcome's estimate.
      const seconds = attempts.reduce((s, a) => s + (a.duration_s ?? ESTIMATED_SECONDS[a.outcome]), 0);
      expect(stats.cost.minutes).toBeCloseTo(seconds / 60, 9);
      expect(stats.cost.estimatedCalls).toBe(attempts.filter((a) => a.duration_s === null).length);
      expect(stats.cost.estimatedCalls).toBeLessThan(attempts.length);

      // Voicemails called back: distinct voicemails a screened call was credited to.
      const credited = await store.db
        .selectFrom('screening_decisions as d')
        .innerJoin('attempts as a', 'a.id', 'd.attempt_id')
        .select('a.id')
        .where('a.voicemail_left', '=', 1)
        .where('d.contact_id', 'is not', null)
        .distinct()
        .execute();
      expect(stats.totals.voicemailsCalledBack).toBe(credited.length);
      // The demo's callbacks, credited by the definition (before the next attempt or within 7
      // days) from the raw calls, agree with what screening credited; some voicemails got two.
      const calls = await store.db
        .selectFrom('screening_decisions')
        .select(['contact_id', 'decided_at'])
        .where('contact_id', 'is not', null)
        .execute();
      const byDefinition = creditCallbacks(
        attempts.map((a) => ({
          id: a.id,
          contactId: a.contact_id,
          at: a.started_at,
          voicemailLeft: a.voicemail_left === 1,
        })),
        calls.map((c) => ({ contactId: c.contact_id!, at: c.decided_at })),
      );
      expect(byDefinition.calledBack).toBe(stats.totals.voicemailsCalledBack);
      expect(stats.totals.voicemailsCalledBack).toBeGreaterThan(0);
      expect(stats.totals.callbacksFromVoicemail).toBeGreaterThan(stats.totals.voicemailsCalledBack);
      expect(stats.totals.callbackRate.count).toBe(stats.totals.voicemailsCalledBack);
      expect(stats.totals.voicemailsLeft).toBe(attempts.filter((a) => a.voicemail_left === 1).length);
    });

    it('rebuilds exactly the roll-ups that logging and the demo wrote', async () => {
      const before = await rollupRows(store);
      expect(before.length).toBeGreaterThan(50);
      const counted = await rebuildRollups(store, workspaceId);
      const { n } = await store.db
        .selectFrom('attempts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(counted).toBe(Number(n));
      expect(await rollupRows(store)).toEqual(before);
    });
  });
}

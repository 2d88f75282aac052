/**
 * `npm run bench -- stats`: the insights (`statsFor`, what GET /api/v1/stats runs) and a
 * contact's timeline on the queue benchmark's generated world (BENCH_STATS_CONTACTS contacts,
 * default 100,000, with 10 attempts each over the year before NOW and 200 users), on SQLite.
 * The world is written into a private temporary file (the shared bench/tmp cache is left alone)
 * and removed afterwards. The baseline, in the same run on the same file, is the least any
 * period aggregate must do: counting the period's attempts through the workspace-and-time index.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { statsFor } from '../src/app/insights.js';
import { contactTimeline } from '../src/app/timeline.js';
import { mulberry32 } from '../src/core/random.js';
import { migrateToLatest, openStore } from '../src/store/db.js';
import type { User } from '../src/store/schema.js';
import { loadSqlite, NOW, planWorld } from './queue-data.js';
import { writeResult } from './support.js';

const CONTACTS = Number(process.env.BENCH_STATS_CONTACTS ?? 100_000);
const SAMPLES = Number(process.env.BENCH_STATS_SAMPLES ?? 20);
const TIMELINE_SAMPLES = 200;
const DAY = 86_400_000;

const log = (s: string) => process.stderr.write(`${s}\n`);

interface Latency {
  samples: number;
  p50Ms: number;
  p95Ms: number;
}

async function measure(samples: number, f: (i: number) => Promise<unknown>): Promise<Latency> {
  for (let i = 0; i < 3; i++) await f(i);
  const ms: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await f(i);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)]! * 100) / 100;
  return { samples, p50Ms: at(0.5), p95Ms: at(0.95) };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ringback-bench-stats-'));
  const store = openStore({ sqlitePath: join(dir, 'stats.db') });
  try {
    await migrateToLatest(store);
    log(`stats: generating ${CONTACTS.toLocaleString('en-US')} contacts…`);
    const t0 = performance.now();
    const world = planWorld(CONTACTS);
    loadSqlite(store.sqlite!, world, log);
    await sql`analyze`.execute(store.db);
    const generationSeconds = Math.round((performance.now() - t0) / 100) / 10;
    const users = await store.db.selectFrom('users').selectAll().orderBy('id').execute();
    const admin = users.find((u) => u.role === 'admin')! as User;
    const rep = users.find((u) => u.role === 'rep')! as User;
    const period = (days: number) => ({
      from: new Date(NOW - days * DAY).toISOString(),
      to: new Date(NOW).toISOString(),
    });

    const attemptsIn = async (days: number) =>
      Number(
        (
          await store.db
            .selectFrom('attempts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('workspace_id', '=', 1)
            .where('started_at', '>=', NOW - days * DAY)
            .where('started_at', '<', NOW)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const scenarios: Record<string, { attempts: number; baseline: Latency; stats: Latency }> = {};
    for (const [name, actor, days] of [
      ['admin, 30 days', admin, 30],
      ['admin, 365 days', admin, 365],
      ['rep, 30 days', rep, 30],
    ] as const) {
      log(`  ${name}…`);
      const baseline = await measure(SAMPLES, () => attemptsIn(days));
      const stats = await measure(SAMPLES, () => statsFor(store.db, actor, period(days), NOW));
      scenarios[name] = { attempts: await attemptsIn(days), baseline, stats };
    }
    log('  timelines…');
    const next = mulberry32(7);
    const timeline = await measure(TIMELINE_SAMPLES, () =>
      contactTimeline(store.db, admin, 1 + Math.floor(next() * CONTACTS), { limit: 50 }),
    );
    const path = writeResult('stats', {
      note: 'SQLite; one workspace, 200 users, 10 campaigns; attempts over the year before NOW',
      contacts: CONTACTS,
      attempts: world.attempts,
      generationSeconds,
      scenarios,
      timeline50: timeline,
    });
    for (const [name, s] of Object.entries(scenarios)) {
      log(
        `stats ${name} (${s.attempts.toLocaleString('en-US')} attempts): p50 ${s.stats.p50Ms} ms, p95 ${s.stats.p95Ms} ms; baseline count p50 ${s.baseline.p50Ms} ms → ${(s.stats.p50Ms / Math.max(0.01, s.baseline.p50Ms)).toFixed(1)}×`,
      );
    }
    log(`timeline (50 entries): p50 ${timeline.p50Ms} ms, p95 ${timeline.p95Ms} ms`);
    log(`results: ${path}`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

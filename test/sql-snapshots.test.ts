/**
 * The hot queries' SQL, per database, kept in test/sql/ as files a reviewer reads: a change in a
 * query shows up in the diff as SQL, not only as a change to the code that builds it. Each is
 * the statement compiled once per shape (store/queue-repo.ts compiledOnce) by a real working
 * day: the demo, the queue with and without a lease, a logged call, an inbound call, a block.
 * After a deliberate change, `npx vitest run test/sql-snapshots.test.ts -u` rewrites the files.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startBlock, stopBlock } from '../src/app/blocks.js';
import { createDemo } from '../src/app/demo.js';
import { logAttempt } from '../src/app/log-attempt.js';
import { buildQueue } from '../src/app/queue.js';
import { screenInbound } from '../src/app/screen.js';
import { compiledShapes } from '../src/store/queue-repo.js';
import { DATABASES, openTestStore } from './support/stores.js';

/** Tuesday 10 March 2026, 15:30 UTC: a weekday afternoon in every US zone. */
const NOW = Date.UTC(2026, 2, 10, 15, 30);
const DIR = join(import.meta.dirname, 'sql');
/** The shape as a file name; a long one (an insert's column list) is cut and told apart by a hash. */
function fileName(shape: string): string {
  const slug = shape
    .trim()
    .replace(/[^a-z0-9]+/gi, '-')
    .toLowerCase();
  if (slug.length <= 60) return `${slug}.sql`;
  return `${slug.slice(0, 48)}-${createHash('sha256').update(shape).digest('hex').slice(0, 8)}.sql`;
}

for (const { name, create } of DATABASES) {
  describe(`the hot queries on ${name}`, async () => {
    const database = await create();
    const store = await openTestStore(database);
    afterAll(async () => {
      await store.close();
      await database.drop();
    });

    it('compile to the SQL checked in under test/sql/', async () => {
      await createDemo(store, { seed: 3, contacts: 60, now: NOW });
      const rep = await store.db
        .selectFrom('users')
        .selectAll()
        .where('role', '=', 'rep')
        .orderBy('id')
        .executeTakeFirstOrThrow();
      await buildQueue(store, { user: null, campaignId: null, now: NOW, limit: 5, leaseUntil: null });
      const started = await startBlock(store, rep, 60, NOW);
      expect(started.block.id).toBeGreaterThan(0);
      const queue = await buildQueue(store, {
        user: rep,
        campaignId: null,
        now: NOW,
        limit: 3,
        leaseUntil: NOW + 15 * 60_000,
      });
      expect(queue.length).toBeGreaterThan(0);
      await logAttempt(store, {
        user: rep,
        contactId: queue[0]!.contact.id,
        campaign: queue[0]!.campaign,
        outcome: 'no_answer',
        at: NOW + 60_000,
      });
      await screenInbound(store, {
        user: rep,
        callerId: '+14155550100',
        at: NOW + 120_000,
        callSid: 'CA-snapshot',
      });
      await stopBlock(store, rep, NOW + 30 * 60_000);

      const shapes = compiledShapes(name);
      expect(shapes.length).toBeGreaterThan(5);
      for (const { shape, sql } of shapes) {
        await expect(`-- ${shape}\n${sql}\n`).toMatchFileSnapshot(join(DIR, name, fileName(shape)));
      }
      // A file whose query is gone goes too.
      expect(readdirSync(join(DIR, name)).sort()).toEqual(shapes.map((s) => fileName(s.shape)).sort());
    });
  });
}

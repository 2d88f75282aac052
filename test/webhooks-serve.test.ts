/**
 * Webhooks delivered by `ringback serve` processes, on both databases: an outcome logged by
 * the CLI while no server ran goes out when one starts; a server killed with SIGKILL in the
 * middle of a burst loses nothing once another starts; on PostgreSQL two servers at once
 * deliver each event exactly once. The receiver is a process of its own that verifies every
 * signature with the standardwebhooks library. Needs `npm run build`.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { emitWebhookEvent } from '../src/app/webhook-events.js';
import { addWebhook, type WebhookActor } from '../src/app/webhooks.js';
import type { Store } from '../src/store/db.js';
import { inWriteTransaction } from '../src/store/write-transaction.js';
import { seedWorld, serveProcess, type World } from './server/support.js';
import { runCli } from './support/cli.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';
import { type Receiver, startReceiver } from './support/webhook-receiver.js';

const SERVE_ENV = { RINGBACK_WEBHOOK_POLL_MS: '50', RINGBACK_WEBHOOK_TIMEOUT_MS: '1000' };

async function killed(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

/** `count` events of one type in one workspace, written in transactions of 100 as changes write them. */
async function burst(store: Store, workspaceId: number, count: number, tag: string): Promise<void> {
  for (let from = 0; from < count; from += 100) {
    await inWriteTransaction(store, async (db) => {
      for (let i = from; i < Math.min(count, from + 100); i++) {
        await emitWebhookEvent(db, workspaceId, 'contact.updated', { tag, i }, Date.now());
      }
    });
  }
}

for (const { name, create } of DATABASES) {
  describe(`webhooks delivered by ringback serve on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let world: World;
    let actor: WebhookActor;
    let receiver: Receiver;
    const servers: ChildProcess[] = [];

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      world = await seedWorld(store, 5);
      actor = { workspaceId: world.admin.workspace_id, userId: world.admin.id };
      receiver = await startReceiver();
    });
    afterEach(async () => {
      for (const child of servers.splice(0)) await killed(child, 'SIGKILL');
      await store.db.deleteFrom('webhook_endpoints').execute();
      await store.db.deleteFrom('webhook_events').execute();
    });
    afterAll(async () => {
      await receiver?.close();
      await store?.close();
      await database?.drop();
    });

    async function serve() {
      const server = await serveProcess({ ...database.env, ...SERVE_ENV });
      servers.push(server.child);
      return server;
    }
    async function subscribe(path: string) {
      const added = await addWebhook(
        store,
        actor,
        { url: `${receiver.url}${path}`, events: ['contact.updated'], allowPrivate: true },
        Date.now(),
      );
      receiver.set(path, { secret: added.secret, mode: 'ok' });
      return added;
    }
    async function eventIds(): Promise<string[]> {
      const rows = await store.db.selectFrom('webhook_events').select('id').orderBy('id').execute();
      return rows.map((r) => `evt_${r.id}`);
    }

    it('delivers an outcome the CLI logged while no server ran, once a server starts', async () => {
      const add = await runCli(
        [
          'webhooks',
          'add',
          `${receiver.url}/cli`,
          '--events',
          'attempt.logged',
          '--allow-private',
          '--user',
          'ada@ex.test',
          '--json',
        ],
        database.env,
      );
      expect(add.stderr).toBe('');
      const added = JSON.parse(add.stdout) as { id: number; url: string; events: string[]; secret: string };
      expect(Object.keys(added)).toEqual(['id', 'url', 'events', 'secret']);
      expect(added.events).toEqual(['attempt.logged']);
      receiver.set('/cli', { secret: added.secret, mode: 'ok' });

      const contactId = world.contacts.get('0')!;
      const log = await runCli(
        [
          'log',
          String(contactId),
          'no_answer',
          '--user',
          'rex@ex.test',
          '--at',
          '2026-11-23T15:00:00Z',
          '--json',
        ],
        database.env,
      );
      expect(log.code, log.stderr).toBe(0);
      await new Promise((r) => setTimeout(r, 300));
      expect(receiver.received().filter((r) => r.path === '/cli')).toEqual([]);

      await serve();
      const got = await receiver.waitFor((r) => r.some((x) => x.path === '/cli'));
      const event = got.find((x) => x.path === '/cli')!;
      expect(event).toMatchObject({ verified: true, type: 'attempt.logged', status: 200 });
      expect(event.data).toMatchObject({ contactId, outcome: 'no_answer', at: '2026-11-23T15:00:00.000Z' });

      let shown: { state: string; webhookId: string }[] = [];
      for (let i = 0; i < 100; i++) {
        const list = await runCli(
          ['webhooks', 'deliveries', String(added.id), '--user', 'ada@ex.test', '--json'],
          database.env,
        );
        shown = JSON.parse(list.stdout);
        if (shown[0]?.state === 'delivered') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(shown).toMatchObject([{ state: 'delivered', webhookId: event.id }]);
    });

    it('loses no event when the server is killed with SIGKILL in the middle of a burst', async () => {
      await subscribe('/burst');
      const total = 3000;
      await burst(store, actor.workspaceId, total, 'burst');
      const first = await serve();
      await receiver.waitFor((r) => r.filter((x) => x.path === '/burst').length >= 200);
      await killed(first.child, 'SIGKILL');
      const atKill = new Set(
        receiver
          .received()
          .filter((x) => x.path === '/burst')
          .map((x) => x.id),
      );
      // The kill came in the middle: some, not all, had gone out.
      expect(atKill.size).toBeLessThan(total);

      await serve();
      const ids = await eventIds();
      expect(ids).toHaveLength(total);
      const got = await receiver.waitFor((r) => {
        const seen = new Set(r.filter((x) => x.path === '/burst').map((x) => x.id));
        return ids.every((id) => seen.has(id));
      }, 45_000);
      expect(got.filter((x) => x.path === '/burst').every((x) => x.verified)).toBe(true);
      const states = await store.db
        .selectFrom('webhook_deliveries')
        .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('state')
        .execute();
      expect(states.map((s) => [s.state, Number(s.n)])).toEqual([['delivered', total]]);
    }, 90_000);

    if (name === 'postgres') {
      it('two server processes deliver each event exactly once', async () => {
        const paths = ['/twin/0', '/twin/1', '/twin/2', '/twin/3'];
        for (const path of paths) await subscribe(path);
        await Promise.all([serve(), serve()]);
        const total = 500;
        await burst(store, actor.workspaceId, total, 'twin');
        const ids = await eventIds();
        const expected = paths.length * ids.length;
        const twin = (r: { path: string }) => r.path.startsWith('/twin/');
        await receiver.waitFor((r) => r.filter(twin).length >= expected, 45_000);
        // Time for a second delivery to show, were there one.
        await new Promise((r) => setTimeout(r, 1000));
        const received = receiver.received().filter(twin);
        expect(received.every((x) => x.verified && x.status === 200)).toBe(true);
        const keys = received.map((x) => `${x.path} ${x.id}`);
        expect(new Set(keys).size).toBe(expected);
        expect(keys).toHaveLength(expected);
        for (const path of paths) {
          // Each endpoint got its events in the order they were written.
          const order = received.filter((x) => x.path === path).map((x) => Number(x.id.slice(4)));
          expect(order).toEqual([...order].sort((a, b) => a - b));
        }
      }, 90_000);
    }
  });
}

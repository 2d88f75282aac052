/**
 * `ringback webhooks add|list|remove|deliveries|replay`: the workspace's outgoing webhooks.
 * `add` prints the signing secret once; keep it where the receiver verifies signatures.
 *
 *   ringback webhooks add https://n8n.example.com/webhook/ringback --events attempt.logged,appointment.set --json
 */
import type { Command } from 'commander';
import {
  addWebhook,
  listDeliveries,
  listWebhooks,
  removeWebhook,
  replayWebhook,
  type WebhookActor,
} from '../../app/webhooks.js';
import type { WebhookDelivery, WebhookEndpoint } from '../../contracts/webhooks.js';
import { WEBHOOK_EVENTS } from '../../core/webhooks/events.js';
import type { Store } from '../../store/db.js';
import { workspaceOf } from '../actor.js';
import { clockNow, positiveInt, printJson, printTable, withStore } from '../context.js';

async function actorOf(store: Store, email: string | undefined): Promise<WebhookActor> {
  const { id, user } = await workspaceOf(store, email, clockNow());
  return { workspaceId: id, userId: user?.id ?? null };
}

const when = (iso: string | null) => (iso === null ? '' : iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z'));

function printEndpoints(endpoints: WebhookEndpoint[]): void {
  printTable(
    endpoints.map((e) => ({
      id: e.id,
      url: e.url,
      events: e.events.length === WEBHOOK_EVENTS.length ? '(all)' : e.events.join(','),
      state: e.disabledAt ? `disabled ${when(e.disabledAt)}` : 'enabled',
      pending: e.pending,
      delivered: e.delivered,
      failed: e.failed,
      'last error': e.lastError ? `${when(e.lastErrorAt)} ${e.lastError}` : '',
    })),
  );
}

function printDeliveries(deliveries: WebhookDelivery[]): void {
  printTable(
    deliveries.map((d) => ({
      id: d.id,
      endpoint: d.endpointId,
      'webhook-id': d.webhookId,
      type: d.type,
      state: d.state,
      attempts: d.attempts,
      status: d.lastStatus ?? '',
      when:
        d.state === 'delivered'
          ? when(d.deliveredAt)
          : d.state === 'pending'
            ? `next ${when(d.nextAttemptAt)}`
            : when(d.lastAttemptAt),
      error: d.lastError ?? '',
    })),
  );
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerWebhooks(program: Command): void {
  const webhooks = program
    .command('webhooks')
    .description('signed outgoing webhooks: tell n8n, Zapier or any HTTP receiver what happens here');
  webhooks
    .command('add <url>')
    .description('subscribe a URL to events; prints its signing secret (whsec_…) once')
    .option(
      '--events <names>',
      `comma-separated events (default: all): ${WEBHOOK_EVENTS.join(', ')}`,
      collect,
    )
    .option(
      '--allow-private',
      'allow loopback, private and link-local addresses (a receiver on your own network)',
    )
    .option('--user <email>', "whose workspace (default: the default workspace's)")
    .option('--json', 'print {"id","url","events","secret"} as JSON')
    .action(
      async (
        url: string,
        flags: { events?: string[]; allowPrivate?: boolean; user?: string; json?: boolean },
      ) => {
        const added = await withStore(async (store) =>
          addWebhook(
            store,
            await actorOf(store, flags.user),
            { url, events: flags.events, allowPrivate: flags.allowPrivate === true },
            clockNow(),
          ),
        );
        if (flags.json) {
          printJson(added);
          return;
        }
        process.stdout.write(
          `Webhook ${added.id}: ${added.url}\nevents  ${added.events.join(', ')}\nsecret  ${added.secret}\n` +
            'The secret is shown only now: the receiver verifies signatures with it.\n',
        );
      },
    );
  webhooks
    .command('list')
    .description('the endpoints, whether each is enabled, and their deliveries and latest error')
    .option('--user <email>', "whose workspace (default: the default workspace's)")
    .option('--json', 'print as JSON')
    .action(async (flags: { user?: string; json?: boolean }) => {
      const endpoints = await withStore(async (store) =>
        listWebhooks(store, await actorOf(store, flags.user)),
      );
      if (flags.json) printJson(endpoints);
      else printEndpoints(endpoints);
    });
  webhooks
    .command('remove <id>')
    .description('delete an endpoint and its undelivered events')
    .option('--user <email>', "whose workspace (default: the default workspace's)")
    .action(async (id: string, flags: { user?: string }) => {
      const n = positiveInt('id', id);
      await withStore(async (store) => removeWebhook(store, await actorOf(store, flags.user), n));
      process.stdout.write(`Removed webhook ${n}.\n`);
    });
  webhooks
    .command('deliveries [id]')
    .description('the latest deliveries, newest first (of one endpoint when its id is given)')
    .option('--limit <n>', 'how many (default 100)')
    .option('--user <email>', "whose workspace (default: the default workspace's)")
    .option('--json', 'print as JSON')
    .action(async (id: string | undefined, flags: { limit?: string; user?: string; json?: boolean }) => {
      const endpointId = id === undefined ? undefined : positiveInt('id', id);
      const limit = flags.limit === undefined ? 100 : positiveInt('--limit', flags.limit);
      const deliveries = await withStore(async (store) =>
        listDeliveries(store, await actorOf(store, flags.user), endpointId, limit),
      );
      if (flags.json) printJson(deliveries);
      else printDeliveries(deliveries);
    });
  webhooks
    .command('replay <id>')
    .description('enable an endpoint and send its failed deliveries again')
    .option('--user <email>', "whose workspace (default: the default workspace's)")
    .option('--json', 'print the endpoint as JSON')
    .action(async (id: string, flags: { user?: string; json?: boolean }) => {
      const n = positiveInt('id', id);
      const { replayed, endpoint } = await withStore(async (store) =>
        replayWebhook(store, await actorOf(store, flags.user), n, clockNow()),
      );
      if (flags.json) printJson({ replayed, endpoint });
      else
        process.stdout.write(
          `Webhook ${n} is enabled; ${replayed} failed ${replayed === 1 ? 'delivery goes' : 'deliveries go'} out again.\n`,
        );
    });
}

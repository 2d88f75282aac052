/**
 * `ringback contacts [QUERY]` — find contacts by name, company or a number typed in any
 * format; `ringback contacts show ID` — one contact with its numbers and enrollments.
 * Locally the whole workspace is searched; through a server (`--server`), what the token's
 * user may see.
 */
import type { Command } from 'commander';
import type { ContactDetail, ContactSummary } from '../../contracts/contacts.js';
import { printJson, printTable, UsageError } from '../context.js';

export interface ContactsBackend {
  search(q: string | undefined, limit: number): Promise<ContactSummary[]>;
  show(id: number): Promise<ContactDetail>;
}

export function printContacts(contacts: ContactSummary[], json: boolean | undefined): void {
  if (json) {
    printJson(contacts);
    return;
  }
  printTable(
    contacts.map((c) => ({
      id: c.id,
      name: c.name,
      company: c.company ?? '',
      title: c.title,
      email: c.email,
      dnc: c.doNotCall ? 'yes' : '',
    })),
  );
}

export function printContact(c: ContactDetail, json: boolean | undefined): void {
  if (json) {
    printJson(c);
    return;
  }
  const lines = [
    `${c.name} (${c.id})${c.title ? `, ${c.title}` : ''}${c.company ? ` — ${c.company}` : ''}`,
    ...(c.email ? [`email: ${c.email}`] : []),
    `time zone: ${c.timeZone || '(from the number)'}${c.doNotCall ? ' · do not call' : ''}`,
    ...c.numbers.map(
      (n) =>
        `  ${n.e164}${n.extension ? ` x${n.extension}` : ''} ${n.kind}${n.valid ? '' : ' (dead)'}${n.doNotCall ? ' (do not call)' : ''}`,
    ),
    ...c.enrollments.map(
      (e) =>
        `  in "${e.campaign}": ${e.state}, ${e.attemptCount} attempts${e.nextDueAt ? `, next ${e.nextDueAt}` : ''}`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`${name} ${value}: expected a positive whole number`);
  return n;
}

/**
 * The command; `backend` answers it (the store here, the API in remote.ts). `local` adds
 * `--user EMAIL`: through a server the token already says who you are.
 */
export function registerContacts(
  program: Command,
  backend: (user: string | undefined) => Promise<ContactsBackend>,
  local = false,
): void {
  const withUser = (command: Command) =>
    local
      ? command.option(
          '--user <email>',
          'as this user sees them, in their workspace (default: all of the first workspace)',
        )
      : command;
  const contacts = withUser(
    program
      .command('contacts')
      .description('find contacts by name, company or a number typed in any format')
      .argument('[query]', 'a name, a company, or a number ("(415) 555-0123")')
      .option('--limit <n>', 'how many', '50')
      .option('--json', 'print as JSON'),
  ).action(async (query: string | undefined, flags: { limit: string; json?: boolean; user?: string }) => {
    const limit = Math.min(positiveInt('--limit', flags.limit), 200);
    printContacts(await (await backend(flags.user)).search(query, limit), flags.json);
  });
  withUser(
    contacts
      .command('show')
      .description('one contact with its numbers and campaigns')
      .argument('<id>')
      .option('--json', 'print as JSON'),
  ).action(async (id: string, _flags: unknown, command: Command) => {
    // `contacts` has the same options and takes them wherever they stand: read both levels.
    const flags = command.optsWithGlobals<{ json?: boolean; user?: string }>();
    printContact(await (await backend(flags.user)).show(positiveInt('contact id', id)), flags.json);
  });
}

/** The store backend: as `--user` sees it, else the whole default workspace. */
export function registerLocalContacts(program: Command): void {
  registerContacts(
    program,
    async (email) => {
      const [{ withStore }, { contactDetail, searchContacts }, { resolveUser }, { ensureDefaultWorkspace }] =
        await Promise.all([
          import('../context.js'),
          import('../../app/contacts.js'),
          import('../actor.js'),
          import('../../store/workspace-repo.js'),
        ]);
      const run = <T>(work: (store: Parameters<Parameters<typeof withStore>[0]>[0]) => Promise<T>) =>
        withStore(work);
      // Without --user the command line answers for the whole default workspace, as an admin would.
      const actorOf = async (store: Parameters<Parameters<typeof withStore>[0]>[0]) => {
        if (email) return (await resolveUser(store, email, Date.now()))!;
        const ws = await ensureDefaultWorkspace(store.db, Date.now());
        return { id: 0, role: 'admin' as const, workspace_id: ws.id, team_id: null };
      };
      return {
        search: (q, limit) =>
          run(async (store) => searchContacts(store.db, await actorOf(store), { q, limit })),
        show: (id) => run(async (store) => contactDetail(store.db, await actorOf(store), id)),
      };
    },
    true,
  );
}

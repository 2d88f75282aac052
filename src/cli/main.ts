#!/usr/bin/env node
/**
 * The `ringback` command. Each command lives in commands/ and calls app/; none holds
 * product logic of its own.
 *
 * Only the module of the command being run is loaded (all of them for --help), so a command
 * starts without importing the whole program. With `--server URL --token T` (or
 * RINGBACK_SERVER / RINGBACK_TOKEN) the calling commands run through a Ringback server
 * instead (remote.ts).
 */
import { Command, CommanderError } from 'commander';
import { AppError } from '../app/errors.js';
import { storeErrorKind } from '../store/errors.js';
import { CommandError, exitCodeOf, UsageError } from './context.js';

type Register = (program: Command) => void;

/** Which module registers each command. */
const LOCAL: Record<string, () => Promise<Register>> = {
  demo: async () => (await import('./commands/demo.js')).registerDemo,
  import: async () => (await import('./commands/import.js')).registerImport,
  queue: async () => (await import('./commands/calls.js')).registerCalls,
  log: async () => (await import('./commands/calls.js')).registerCalls,
  snooze: async () => (await import('./commands/calls.js')).registerCalls,
  dnc: async () => (await import('./commands/calls.js')).registerCalls,
  export: async () => (await import('./commands/export.js')).registerExport,
  holidays: async () => (await import('./commands/holidays.js')).registerHolidays,
  contacts: async () => (await import('./commands/contacts.js')).registerLocalContacts,
  users: async () => (await import('./commands/users.js')).registerUsers,
  workspace: async () => (await import('./commands/workspace.js')).registerWorkspace,
  migrate: async () => (await import('./commands/maintenance.js')).registerMaintenance,
  backup: async () => (await import('./commands/maintenance.js')).registerMaintenance,
  serve: async () => (await import('./commands/serve.js')).registerServe,
  start: async () => (await import('./commands/serve.js')).registerServe,
  screen: async () => (await import('./commands/screen.js')).registerScreen,
  callbacks: async () => (await import('./commands/callbacks.js')).registerCallbacks,
  circle: async () => (await import('./commands/callbacks.js')).registerCallbacks,
  block: async () => (await import('./commands/block.js')).registerBlock,
  telephony: async () => (await import('./commands/telephony.js')).registerTelephony,
  stats: async () => (await import('./commands/stats.js')).registerStats,
  simulate: async () => (await import('./commands/simulate.js')).registerSimulate,
  campaigns: async () => (await import('./commands/campaigns.js')).registerCampaigns,
  tokens: async () => (await import('./commands/tokens.js')).registerTokens,
  webhooks: async () => (await import('./commands/webhooks.js')).registerWebhooks,
  appointments: async () => (await import('./commands/appointments.js')).registerAppointments,
};

const GLOBAL_WITH_VALUE = new Set(['--server', '--token']);

/** The command named on the command line (the first word that is not a global option). */
export function commandName(argv: string[]): string | undefined {
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i]!;
    if (GLOBAL_WITH_VALUE.has(arg)) {
      i++;
      continue;
    }
    if (arg.startsWith('-')) continue;
    return arg;
  }
  return undefined;
}

/** `--server` / `--token` from argv (either spelling) or the environment. */
function remoteSettings(argv: string[]): { server?: string | undefined; token?: string | undefined } {
  // The last one given wins, as for every other option.
  const value = (name: string) => {
    let found: string | undefined;
    for (let i = 2; i < argv.length; i++) {
      if (argv[i] === name) found = argv[i + 1];
      else if (argv[i]!.startsWith(`${name}=`)) found = argv[i]!.slice(name.length + 1);
    }
    return found;
  };
  return {
    server: value('--server') ?? (process.env.RINGBACK_SERVER || undefined),
    token: value('--token') ?? (process.env.RINGBACK_TOKEN || undefined),
  };
}

export async function buildProgram(argv: string[] = process.argv): Promise<Command> {
  const program = new Command('ringback')
    .description(
      'Ringback: call blocks, a callback list and cadence-driven follow-ups for people who prospect by phone.\n' +
        'Data lives in ./ringback.db (RINGBACK_DB=path to change) or PostgreSQL (DATABASE_URL=postgres://…).\n' +
        'With --server and --token, every command but demo, migrate, backup, serve and telephony runs through a Ringback server.',
    )
    .version('0.1.0')
    .option('--server <url>', 'run through this Ringback server (env RINGBACK_SERVER)')
    .option('--token <token>', 'your personal API token for the server (env RINGBACK_TOKEN)')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  const name = commandName(argv);
  const remote = remoteSettings(argv);
  if (remote.server !== undefined || remote.token !== undefined) {
    const { LOCAL_ONLY, REMOTE_COMMANDS, registerRemoteCommands } = await import('./remote.js');
    if (name !== undefined && LOCAL[name] && !(REMOTE_COMMANDS as readonly string[]).includes(name)) {
      throw new UsageError(LOCAL_ONLY[name] ?? `${name} runs on the database itself, not through --server`);
    }
    const { ApiClient } = await import('./remote-client.js');
    registerRemoteCommands(program, () => {
      if (!remote.server) throw new UsageError('--token needs --server URL');
      if (!remote.token) throw new UsageError('--server needs --token (create one with POST /api/v1/tokens)');
      return new ApiClient(remote.server, remote.token);
    });
  } else {
    const versionOnly = name === undefined && (argv.includes('--version') || argv.includes('-V'));
    const loaders =
      name !== undefined && LOCAL[name] ? [LOCAL[name]] : versionOnly ? [] : Object.values(LOCAL);
    const registered = new Set<Register>();
    for (const load of loaders) {
      const register = await load();
      if (registered.has(register)) continue;
      registered.add(register);
      register(program);
    }
  }
  for (const command of program.commands) configureTree(command);
  return program;
}

function configureTree(command: Command): void {
  command.exitOverride();
  command.showHelpAfterError('(run with --help for usage)');
  for (const sub of command.commands) configureTree(sub);
}

/** The reader of our output went away (`ringback export contacts | head`): nothing is left to say. */
const isClosedPipe = (e: unknown) => (e as NodeJS.ErrnoException | null)?.code === 'EPIPE';

export async function main(argv: string[]): Promise<number> {
  process.stdout.on('error', (e) => {
    if (!isClosedPipe(e)) throw e;
    process.exit(0);
  });
  try {
    const program = await buildProgram(argv);
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (isClosedPipe(e)) return 0;
    if (e instanceof CommanderError) {
      // Help and version are exits with code 0; everything else commander rejects is a usage error.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`ringback: ${e.message}\n`);
      return 2;
    }
    if (e instanceof CommandError) {
      process.stderr.write(`ringback: ${e.message}\n`);
      return 1;
    }
    if (e instanceof AppError) {
      process.stderr.write(`ringback: ${e.message}\n`);
      return exitCodeOf(e.failure);
    }
    if (storeErrorKind(e) === 'unavailable') {
      const why = e instanceof Error ? e.message : String(e);
      process.stderr.write(`ringback: the database is not answering (${why}); try again shortly\n`);
      return 1;
    }
    process.stderr.write(`ringback: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

const code = await main(process.argv);
process.exitCode = code;

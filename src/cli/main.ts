#!/usr/bin/env node
/**
 * The `ringback` command. Each command lives in commands/ and calls app/; none holds
 * product logic of its own.
 */
import { Command, CommanderError } from 'commander';
import { registerBlock } from './commands/block.js';
import { registerCallbacks } from './commands/callbacks.js';
import { registerCalls } from './commands/calls.js';
import { registerDemo } from './commands/demo.js';
import { registerExport } from './commands/export.js';
import { registerImport } from './commands/import.js';
import { registerMaintenance } from './commands/maintenance.js';
import { registerScreen } from './commands/screen.js';
import { registerServe } from './commands/serve.js';
import { registerUsers } from './commands/users.js';
import { registerWorkspace } from './commands/workspace.js';
import { CommandError, UsageError } from './context.js';

export function buildProgram(): Command {
  const program = new Command('ringback')
    .description(
      'Ringback: call blocks, a callback list and cadence-driven follow-ups for people who prospect by phone.\n' +
        'Data lives in ./ringback.db (RINGBACK_DB=path to change) or PostgreSQL (DATABASE_URL=postgres://…).',
    )
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  registerDemo(program);
  registerImport(program);
  registerCalls(program);
  registerExport(program);
  registerUsers(program);
  registerWorkspace(program);
  registerMaintenance(program);
  registerServe(program);
  registerScreen(program);
  registerCallbacks(program);
  registerBlock(program);
  for (const command of program.commands) configureTree(command);
  return program;
}

function configureTree(command: Command): void {
  command.exitOverride();
  command.showHelpAfterError('(run with --help for usage)');
  for (const sub of command.commands) configureTree(sub);
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
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
    process.stderr.write(`ringback: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

const code = await main(process.argv);
process.exitCode = code;

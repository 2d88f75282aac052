/**
 * `ringback migrate` and `ringback backup FILE`.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { configFromEnv, migrateToLatest, openStore } from '../../store/db.js';
import { CommandError, printJson } from '../context.js';

export function registerMaintenance(program: Command): void {
  program
    .command('migrate')
    .description('bring the database schema up to date (every command also does this)')
    .option('--json', 'print the migrations applied as JSON')
    .action(async (flags: { json?: boolean }) => {
      const store = openStore(configFromEnv());
      try {
        const applied = await migrateToLatest(store);
        if (flags.json) printJson({ database: store.ops.name, location: store.location, applied });
        else
          process.stdout.write(
            applied.length === 0
              ? `${store.location}: schema is up to date\n`
              : `${store.location}: applied ${applied.join(', ')}\n`,
          );
      } finally {
        await store.close();
      }
    });

  program
    .command('backup')
    .description('copy the SQLite database to FILE while Ringback keeps running')
    .argument('<file>', 'where to write the copy')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, flags: { json?: boolean }) => {
      const config = configFromEnv();
      if (config.databaseUrl) {
        throw new CommandError(
          'backup copies the embedded SQLite database; on PostgreSQL use pg_dump (e.g. pg_dump -Fc "$DATABASE_URL" > ringback.dump)',
        );
      }
      if (existsSync(file)) throw new CommandError(`${file} already exists; choose a new file name`);
      const store = openStore(config);
      try {
        await migrateToLatest(store);
        // SQLite's online backup API: a consistent copy even while other processes write.
        const { pages } = await store.ops.backup(file);
        if (flags.json) printJson({ from: store.location, to: file, pages });
        else process.stdout.write(`backed up ${store.location} to ${file} (${pages} pages)\n`);
      } finally {
        await store.close();
      }
    });
}

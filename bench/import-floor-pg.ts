/**
 * The PostgreSQL floor for the import benchmark: how long PostgreSQL itself takes to load the
 * rows an import stored, by COPY (its fastest way in), into an empty database migrated like ours,
 * every constraint, index and foreign key in place. No import can write the same rows faster on
 * the same server, so the import's time over this one says how much the import itself costs.
 *
 * The rows are first read out of the imported database into files, untimed; only the load into
 * the fresh database is timed, in one transaction, parents before children. Workspaces, teams
 * and users (what the loaded rows refer to) are copied untimed before it.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { migrateToLatest, openStore } from '../src/store/db.js';

/** What the loaded rows refer to: copied untimed. */
const PARENT_TABLES = ['workspaces', 'teams', 'users'] as const;
/** What an import writes, in an order that satisfies the foreign keys. */
const IMPORT_TABLES = ['companies', 'numbers', 'contacts', 'contact_numbers', 'enrollments'] as const;

/**
 * Loads the import's tables of `sourceDbName` (on the server of `pgAdminUrl`, a URL of any
 * database there, used to create and drop the scratch one) into a fresh migrated database by
 * COPY. `rows` is the number of contacts loaded, for comparing with the import's rows/s;
 * `seconds` covers every table's rows.
 */
export async function pgFloor(
  pgAdminUrl: string,
  sourceDbName: string,
): Promise<{ seconds: number; rows: number }> {
  const urlOf = (name: string) => {
    const url = new URL(pgAdminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const floorDb = `${sourceDbName}_floor`;
  const dir = mkdtempSync(join(tmpdir(), 'ringback-pg-floor-'));
  const admin = new pg.Client({ connectionString: pgAdminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${floorDb}"`);
    await admin.query(`create database "${floorDb}"`);
    const store = openStore({ databaseUrl: urlOf(floorDb), poolSize: 1 });
    try {
      await migrateToLatest(store);
    } finally {
      await store.close();
    }

    const source = new pg.Client({ connectionString: urlOf(sourceDbName) });
    const target = new pg.Client({ connectionString: urlOf(floorDb) });
    await source.connect();
    await target.connect();
    try {
      const tables = [...PARENT_TABLES, ...IMPORT_TABLES];
      for (const table of tables) {
        // Rows in the order the import gave them ids, as it wrote them.
        const out = source.query(copyTo(`copy (select * from ${table} order by 1, 2) to stdout`));
        await pipeline(out, createWriteStream(join(dir, table)));
      }
      const load = async (table: string) => {
        const into = target.query(copyFrom(`copy ${table} from stdin`));
        await pipeline(createReadStream(join(dir, table)), into);
        return into.rowCount;
      };
      await target.query('begin');
      for (const table of PARENT_TABLES) await load(table);
      await target.query('commit');

      const started = process.hrtime.bigint();
      await target.query('begin');
      let contacts = 0;
      for (const table of IMPORT_TABLES) {
        const copied = await load(table);
        if (table === 'contacts') contacts = copied;
      }
      await target.query('commit');
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      return { seconds, rows: contacts };
    } finally {
      await source.end();
      await target.end();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await admin.query(`drop database if exists "${floorDb}"`).catch(() => {});
    await admin.end();
  }
}

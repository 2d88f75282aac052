/**
 * `npm run bench -- import`: imports a generated 1,000,000-row CSV into SQLite and
 * PostgreSQL, next to Debian's sqlite3 `.import` of the same file in the same run.
 * Set BENCH_IMPORT_ROWS to try a smaller file.
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import pg from 'pg';
import { writeImportCsv } from './import-data.js';
import { CLI, TMP, timeCommand, writeResult } from './support.js';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const PG_ADMIN = process.env.RINGBACK_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function pgDatabase(name: string): Promise<string> {
  const c = new pg.Client({ connectionString: PG_ADMIN });
  await c.connect();
  await c.query(`drop database if exists ${name} with (force)`);
  await c.query(`create database ${name}`);
  await c.end();
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function run(): Promise<void> {
  mkdirSync(TMP, { recursive: true });
  const csv = `${TMP}/import-${ROWS}.csv`;
  if (!existsSync(csv)) {
    process.stderr.write(`generating ${csv}…\n`);
    await writeImportCsv(csv, ROWS);
  }
  const sizeMb = statSync(csv).size / 2 ** 20;

  // The machine is shared: its load, before and after, says how far to trust the seconds.
  const loadBefore = loadavg()[0]!;
  const baselineDb = `${TMP}/baseline.db`;
  rmSync(baselineDb, { force: true });
  const baseline = await timeCommand('sqlite3', [baselineDb, '.import --csv ' + csv + ' contacts']);
  if (baseline.code !== 0) throw new Error(`sqlite3 .import failed: ${baseline.stderr}`);

  const sqliteDb = `${TMP}/ringback-bench.db`;
  for (const f of [sqliteDb, `${sqliteDb}-wal`, `${sqliteDb}-shm`]) rmSync(f, { force: true });
  const onSqlite = await timeCommand(process.execPath, [CLI, 'import', 'contacts', csv, '--json'], {
    RINGBACK_DB: sqliteDb,
    DATABASE_URL: '',
  });
  if (onSqlite.code !== 0) throw new Error(`ringback import on SQLite failed: ${onSqlite.stderr}`);

  const pgUrl = await pgDatabase('ringback_bench_import');
  const onPg = await timeCommand(process.execPath, [CLI, 'import', 'contacts', csv, '--json'], {
    DATABASE_URL: pgUrl,
  });
  if (onPg.code !== 0) throw new Error(`ringback import on PostgreSQL failed: ${onPg.stderr}`);

  const summary = (t: { stdout: string }) => {
    const s = JSON.parse(t.stdout);
    return {
      read: s.read,
      created: s.created,
      updated: s.updated,
      unchanged: s.unchanged,
      rejected: s.rejected,
    };
  };
  const result = {
    rows: ROWS,
    fileMb: Math.round(sizeMb),
    loadAverage: { before: loadBefore, after: loadavg()[0]! },
    baselineSqlite3Import: { seconds: baseline.seconds, rowsPerSecond: Math.round(ROWS / baseline.seconds) },
    sqlite: {
      seconds: onSqlite.seconds,
      rowsPerSecond: Math.round(ROWS / onSqlite.seconds),
      peakMemoryMb: onSqlite.maxRssMb,
      timesBaseline: onSqlite.seconds / baseline.seconds,
      summary: summary(onSqlite),
    },
    postgres: {
      seconds: onPg.seconds,
      rowsPerSecond: Math.round(ROWS / onPg.seconds),
      peakMemoryMb: onPg.maxRssMb,
      timesBaseline: onPg.seconds / baseline.seconds,
      summary: summary(onPg),
    },
    targets: {
      sqliteRowsPerSecond: 100_000,
      peakMemoryMb: 400,
      timesBaseline: 4,
      postgresRowsPerSecond: 50_000,
    },
  };
  const path = writeResult(`import-${ROWS}`, result);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\nwritten to ${path}\n`);
}

/**
 * `npm run bench -- import`: imports a generated 1,000,000-row CSV into SQLite and
 * PostgreSQL, next to Debian's sqlite3 `.import` of the same file in the same run.
 *
 * After the SQLite import it also measures a floor: the sqlite3 command line storing the very
 * rows the import stored (companies, numbers, contacts, contact_numbers) into a freshly
 * migrated database, with the same indexes, foreign keys and page cache, in one transaction and
 * no Ringback code. That is what SQLite alone needs for this data model on this machine, so it
 * says how far any import can go here.
 *
 * After the PostgreSQL import, the same kind of floor there: PostgreSQL loading the rows the
 * import stored by COPY (its fastest way in) into a freshly migrated database with every
 * constraint (bench/import-floor-pg.ts).
 *
 * BENCH_IMPORT_ROWS: a smaller file. BENCH_IMPORT_STORES: sqlite, postgres or both (the default).
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import pg from 'pg';
import { writeImportCsv } from './import-data.js';
import { pgFloor } from './import-floor-pg.js';
import { CLI, type Timed, TMP, timeCommand, writeResult } from './support.js';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
/** This run's databases: bench/tmp is shared (by the worktrees of a machine), the CSV is reused. */
const RUN_DIR = `${TMP}/import-run-${process.pid}`;
const PG_ADMIN = process.env.RINGBACK_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const STORES = (process.env.BENCH_IMPORT_STORES ?? 'sqlite,postgres').split(',').map((s) => s.trim());
for (const s of STORES) {
  if (s !== 'sqlite' && s !== 'postgres') throw new Error(`BENCH_IMPORT_STORES: unknown store ${s}`);
}

/** The tables an import fills, in an order their foreign keys allow, each in its stored order. */
const FLOOR_TABLES = [
  ['companies', 'order by id'],
  ['numbers', 'order by id'],
  ['contacts', 'order by id'],
  ['contact_numbers', 'order by contact_id, number_id'],
] as const;

/** The import's page cache (withBulkWrites, in KiB), so the floor's B-trees get the same memory. */
const IMPORT_CACHE_KIB = 32 * 1024;

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

async function dropPgDatabase(name: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_ADMIN });
  await c.connect();
  await c.query(`drop database if exists ${name} with (force)`);
  await c.end();
}

function removeSqlite(path: string): void {
  for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
}

/**
 * The floor: sqlite3 copies the imported rows into an empty, migrated database.
 *
 * `insert … select` from the imported file attached, rather than a CSV dump and `.import`:
 * `.import` reads an empty cell as '' and never as NULL, so contacts without a company or an
 * owner and numbers without a region would be stored differently (and fill the partial
 * company and owner indexes). Foreign keys are on, as in the import, which also keeps SQLite
 * from copying pages wholesale instead of inserting row by row.
 */
async function measureFloor(imported: string) {
  const floorDb = `${RUN_DIR}/floor.db`;
  removeSqlite(floorDb);
  const migrated = await timeCommand(process.execPath, [CLI, 'migrate', '--json'], {
    RINGBACK_DB: floorDb,
    DATABASE_URL: '',
  });
  if (migrated.code !== 0) throw new Error(`ringback migrate failed: ${migrated.stderr}`);
  const script = [
    'PRAGMA foreign_keys = ON;',
    `PRAGMA cache_size = -${IMPORT_CACHE_KIB};`,
    `ATTACH '${imported.replaceAll("'", "''")}' AS imported;`,
    'BEGIN IMMEDIATE;',
    'INSERT INTO main.workspaces SELECT * FROM imported.workspaces;',
    '.timer on',
    ...FLOOR_TABLES.flatMap(([table, order]) => [
      `.print table ${table}`,
      `INSERT INTO main.${table} SELECT * FROM imported.${table} ${order};`,
    ]),
    '.print table commit',
    'COMMIT;',
  ].join('\n');
  const run = await timeCommand('sqlite3', [floorDb], {}, script);
  if (run.code !== 0 || run.stderr.trim() !== '') throw new Error(`sqlite3 floor failed: ${run.stderr}`);
  // Each labelled statement is followed by its "Run Time: real …" line.
  const secondsOf: Record<string, number> = {};
  let label: string | null = null;
  for (const line of run.stdout.split('\n')) {
    const table = /^table (\w+)$/.exec(line);
    if (table) label = table[1]!;
    const time = /^Run Time: real ([\d.]+)/.exec(line);
    if (time && label) {
      secondsOf[label] = Number(time[1]);
      label = null;
    }
  }
  const counts = await timeCommand('sqlite3', [
    floorDb,
    FLOOR_TABLES.map(([t]) => `select count(*) from ${t};`).join(' '),
  ]);
  const rowCounts = counts.stdout.trim().split('\n').map(Number);
  removeSqlite(floorDb);
  return {
    method:
      'sqlite3 CLI: insert … select of the rows the SQLite import stored into a freshly migrated database (same indexes, foreign keys on, same page cache), one transaction; seconds include the checkpoint when sqlite3 closes',
    seconds: run.seconds,
    rowsPerSecond: Math.round(ROWS / run.seconds),
    tables: Object.fromEntries(
      FLOOR_TABLES.map(([t], i) => [t, { rows: rowCounts[i] ?? null, seconds: secondsOf[t] ?? null }]),
    ),
    commitSeconds: secondsOf.commit ?? null,
  };
}

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

const figures = (t: Timed, baseline: Timed) => ({
  seconds: t.seconds,
  rowsPerSecond: Math.round(ROWS / t.seconds),
  peakMemoryMb: t.maxRssMb,
  timesBaseline: t.seconds / baseline.seconds,
  summary: summary(t),
});

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
  rmSync(RUN_DIR, { recursive: true, force: true });
  mkdirSync(RUN_DIR, { recursive: true });
  const baselineDb = `${RUN_DIR}/baseline.db`;
  const baseline = await timeCommand('sqlite3', [baselineDb, `.import --csv ${csv} contacts`]);
  if (baseline.code !== 0) throw new Error(`sqlite3 .import failed: ${baseline.stderr}`);

  let sqlite: (ReturnType<typeof figures> & { timesFloor: number }) | undefined;
  let floor: Awaited<ReturnType<typeof measureFloor>> | undefined;
  if (STORES.includes('sqlite')) {
    const sqliteDb = `${RUN_DIR}/ringback.db`;
    const onSqlite = await timeCommand(process.execPath, [CLI, 'import', 'contacts', csv, '--json'], {
      RINGBACK_DB: sqliteDb,
      DATABASE_URL: '',
    });
    if (onSqlite.code !== 0) throw new Error(`ringback import on SQLite failed: ${onSqlite.stderr}`);
    floor = await measureFloor(sqliteDb);
    sqlite = { ...figures(onSqlite, baseline), timesFloor: onSqlite.seconds / floor.seconds };
  }

  let postgres: (ReturnType<typeof figures> & { timesFloor: number }) | undefined;
  let pgFloorFigures:
    | { method: string; seconds: number; rowsPerSecond: number; contacts: number }
    | undefined;
  if (STORES.includes('postgres')) {
    // Named for this run, as its SQLite files are: another worktree may be benchmarking too.
    const pgName = `ringback_bench_import_${process.pid}`;
    const pgUrl = await pgDatabase(pgName);
    try {
      const onPg = await timeCommand(process.execPath, [CLI, 'import', 'contacts', csv, '--json'], {
        DATABASE_URL: pgUrl,
      });
      if (onPg.code !== 0) throw new Error(`ringback import on PostgreSQL failed: ${onPg.stderr}`);
      const loaded = await pgFloor(PG_ADMIN, pgName);
      pgFloorFigures = {
        method:
          'PostgreSQL COPY of the rows the PostgreSQL import stored (companies, numbers, contacts, contact_numbers, enrollments) into a freshly migrated database with every constraint, one transaction',
        seconds: loaded.seconds,
        rowsPerSecond: Math.round(ROWS / loaded.seconds),
        contacts: loaded.rows,
      };
      postgres = { ...figures(onPg, baseline), timesFloor: onPg.seconds / loaded.seconds };
    } finally {
      await dropPgDatabase(pgName);
    }
  }

  rmSync(RUN_DIR, { recursive: true, force: true });

  const result = {
    rows: ROWS,
    fileMb: Math.round(sizeMb),
    stores: STORES,
    loadAverage: { before: loadBefore, after: loadavg()[0]! },
    baselineSqlite3Import: { seconds: baseline.seconds, rowsPerSecond: Math.round(ROWS / baseline.seconds) },
    sqlite,
    floorSqlite3: floor,
    postgres,
    floorPostgres: pgFloorFigures,
    targets: {
      sqliteRowsPerSecond: 100_000,
      peakMemoryMb: 400,
      timesBaseline: 4,
      postgresRowsPerSecond: 50_000,
    },
  };
  const name = STORES.length === 1 ? `import-${ROWS}-${STORES[0]}` : `import-${ROWS}`;
  const path = writeResult(name, result);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\nwritten to ${path}\n`);
}

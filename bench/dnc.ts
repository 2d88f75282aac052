/**
 * `npm run bench -- dnc`: a registry do-not-call file of 1,000,000 generated US numbers (area
 * code and number per line, as the National Registry delivers them, in random order) loaded
 * with `ringback dnc import` on SQLite into a workspace holding 100,000 contact numbers, which
 * the load scrubs (how many are listed). Next to it, in the same run, SQLite's own bulk insert
 * of the same file: the sqlite3 shell's `.import --csv` into a plain table, and into a table
 * keyed like ours (WITHOUT ROWID, primary key on the number). Ratios are ours over each.
 * BENCH_DNC_NUMBERS sets the size.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { migrateToLatest, openStore } from '../src/store/db.js';
import { ensureDefaultWorkspace } from '../src/store/workspace-repo.js';
import { CLI, TMP, timeCommand, writeResult } from './support.js';

const NUMBERS = Number(process.env.BENCH_DNC_NUMBERS ?? 1_000_000);
const STORED = 100_000;
const RUN_DIR = `${TMP}/dnc-run-${process.pid}`;

/** A reproducible stream of numbers in [0, 1). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** NUMBERS distinct numbers over 100 area codes, shuffled; the first STORED/2 also become contacts' numbers. */
function generate(): { lines: string[]; stored: string[] } {
  const random = prng(42);
  const perArea = Math.ceil(NUMBERS / 100);
  const lines: string[] = [];
  for (let i = 0; i < NUMBERS; i++) {
    const area = 201 + Math.floor(i / perArea) * 7;
    const number = 2_000_000 + (i % perArea) * 7;
    lines.push(`${area},${number}`);
  }
  for (let i = lines.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  }
  const stored: string[] = [];
  for (let i = 0; i < STORED / 2; i++) stored.push(`+1${lines[i]!.replace(',', '')}`);
  for (let i = 0; i < STORED / 2; i++) stored.push(`+1999${String(2_000_000 + i)}`);
  return { lines, stored };
}

export async function run(): Promise<void> {
  rmSync(RUN_DIR, { recursive: true, force: true });
  mkdirSync(RUN_DIR, { recursive: true });
  try {
    const { lines, stored } = generate();
    const file = `${RUN_DIR}/us-${NUMBERS}.txt`;
    writeFileSync(file, `${lines.join('\n')}\n`);

    const dbPath = `${RUN_DIR}/ringback.db`;
    const store = openStore({ sqlitePath: dbPath });
    await migrateToLatest(store);
    const workspace = await ensureDefaultWorkspace(store.db, Date.now());
    for (let i = 0; i < stored.length; i += 5000) {
      await store.db
        .insertInto('numbers')
        .values(
          stored
            .slice(i, i + 5000)
            .map((e164) => ({ workspace_id: workspace.id, e164, country: 'US', valid: 1, created_at: 0 })),
        )
        .execute();
    }
    await store.close();

    const load = await timeCommand(
      process.execPath,
      [CLI, 'dnc', 'import', file, '--source', 'us-national', '--json'],
      { RINGBACK_DB: dbPath, DATABASE_URL: '' },
    );
    if (load.code !== 0) throw new Error(`dnc import failed: ${load.stderr}`);
    const result = JSON.parse(load.stdout) as { numbers: number; listedNumbers: number };
    if (result.numbers !== NUMBERS || result.listedNumbers !== STORED / 2) {
      throw new Error(`unexpected result: ${load.stdout}`);
    }

    const plainDb = `${RUN_DIR}/plain.db`;
    const plain = await timeCommand('sqlite3', [
      plainDb,
      'create table dnc (area integer, number integer)',
      `.import --csv ${file} dnc`,
    ]);
    if (plain.code !== 0) throw new Error(`sqlite3 .import failed: ${plain.stderr}`);
    const keyedDb = `${RUN_DIR}/keyed.db`;
    const keyed = await timeCommand('sqlite3', [
      keyedDb,
      'create table dnc (area integer, number integer, primary key (area, number)) without rowid',
      `.import --csv ${file} dnc`,
    ]);
    if (keyed.code !== 0) throw new Error(`sqlite3 .import failed: ${keyed.stderr}`);

    const rate = (seconds: number) => Math.round(NUMBERS / seconds);
    const out = {
      numbers: NUMBERS,
      storedNumbersScrubbed: STORED,
      loadAverageAtStart: loadavg()[0],
      ringback: {
        what: 'ringback dnc import (process start, read, parse, sort, one transaction, scrub of the stored numbers)',
        seconds: load.seconds,
        numbersPerSecond: rate(load.seconds),
        maxRssMb: load.maxRssMb,
      },
      sqlitePlainImport: {
        what: "sqlite3 .import --csv into a plain table (no key): SQLite's own bulk insert",
        seconds: plain.seconds,
        numbersPerSecond: rate(plain.seconds),
      },
      sqliteKeyedImport: {
        what: 'sqlite3 .import --csv into a WITHOUT ROWID table keyed on (area, number), like ours, in file order',
        seconds: keyed.seconds,
        numbersPerSecond: rate(keyed.seconds),
      },
      ratioOursOverPlain: Number((load.seconds / plain.seconds).toFixed(2)),
      ratioOursOverKeyed: Number((load.seconds / keyed.seconds).toFixed(2)),
    };
    const path = writeResult(`dnc-${NUMBERS}`, out);
    process.stdout.write(`${JSON.stringify(out, null, 2)}\nwritten to ${path}\n`);
  } finally {
    rmSync(RUN_DIR, { recursive: true, force: true });
  }
}

/**
 * An import reads and checks its file in a worker thread (parse-worker.ts) while the calling
 * thread writes. These tests run the built worker, as the CLI does, next to the same code in
 * the calling thread, and hold them to the same batches, errors and stored contacts.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { writeImportCsv } from '../bench/import-data.js';
import { readCsvBatches } from '../src/app/import/csv-records.js';
import {
  type DraftEvent,
  type DraftSourceOptions,
  readDraftBatches,
} from '../src/app/import/draft-batches.js';
import { detectEncoding } from '../src/app/import/file-encoding.js';
import { importContacts } from '../src/app/import/import-contacts.js';
import { readDraftBatchesInWorker } from '../src/app/import/worker-source.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';

/** The worker as built (scripts/test.sh builds before testing). */
const WORKER = new URL('../dist/app/import/parse-worker.js', import.meta.url);
const FIXTURES = fileURLToPath(new URL('./fixtures/import/', import.meta.url));
const NOW = Date.UTC(2026, 10, 23, 15, 0, 0);

const dir = mkdtempSync(join(tmpdir(), 'ringback-worker-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

async function sourceFor(path: string, extra: Partial<DraftSourceOptions> = {}): Promise<DraftSourceOptions> {
  const vcard = extname(path) === '.vcf';
  return {
    file: path,
    format: vcard ? 'vcard' : 'csv',
    encoding: await detectEncoding(path),
    country: 'US',
    batchSize: 700,
    ...extra,
  };
}

async function collect(
  events: AsyncGenerator<DraftEvent>,
): Promise<{ events: DraftEvent[]; error: unknown }> {
  const out: DraftEvent[] = [];
  try {
    for await (const e of events) out.push(e);
    return { events: out, error: null };
  } catch (error) {
    return { events: out, error };
  }
}

describe('parsing in a worker thread', () => {
  it('yields the same batches as parsing in the calling thread, for every fixture and a generated file', async () => {
    const big = join(dir, 'big.csv');
    await writeImportCsv(big, 3000, 7);
    const odd = file(
      'odd.csv',
      'Name,Phone,Notes\n' +
        'Dana Lee,415 555 0123,"two\nlines"\n' +
        'Sam Ortiz,212 555 0100,a NUL \u0000 inside\n' + // not packable: goes by structured clone
        'Bad Quote,"415 555 0199,\n' +
        'Kim Wu,12345,\n',
    );
    const files = [big, odd, ...readdirSync(FIXTURES).map((f) => join(FIXTURES, f))];
    for (const path of files) {
      const source = await sourceFor(path);
      const here = await collect(readDraftBatches(source));
      const there = await collect(readDraftBatchesInWorker(source, WORKER));
      expect(there, path).toEqual(here);
      expect(here.events.length, path).toBeGreaterThan(0);
    }
    const batches = (await collect(readDraftBatchesInWorker(await sourceFor(big), WORKER))).events;
    expect(batches.filter((e) => e.kind === 'batch').length).toBeGreaterThan(3);
  });

  it('reports an unusable header, an empty file and a file without cards as the errors the command maps to exit codes', async () => {
    const badMap = await collect(
      readDraftBatchesInWorker(
        await sourceFor(file('map.csv', 'Name,Phone\nDana,415 555 0123\n'), { map: { Name: 'shoe_size' } }),
        WORKER,
      ),
    );
    expect(badMap.error).toMatchObject({ failure: { code: 'invalid' } });
    const empty = await collect(readDraftBatchesInWorker(await sourceFor(file('empty.csv', '\n\n')), WORKER));
    expect(empty.error).toMatchObject({ failure: { code: 'unreadable_file' } });
    expect((empty.error as Error).message).toMatch(/empty/);
    const noCards = await collect(
      readDraftBatchesInWorker(await sourceFor(file('none.vcf', 'hello\n')), WORKER),
    );
    expect(noCards.error).toMatchObject({ failure: { code: 'unreadable_file' } });
    expect(noCards.events.map((e) => e.kind)).toEqual(['batch']);
  });

  // Dropped at the end: a PostgreSQL database dropped right after its pool closes may still
  // terminate a connection that is shutting down.
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const d of databases) await d.drop();
  });

  for (const { name, create } of DATABASES) {
    it(`stores the same contacts on ${name} whichever thread parses`, async () => {
      const path = join(dir, `same-${name}.csv`);
      await writeImportCsv(path, 2500, 11);
      const results = [];
      for (const worker of [WORKER, false] as const) {
        const database = await create();
        databases.push(database);
        const store = await openTestStore(database);
        try {
          const summary = await importContacts(store, { file: path, now: NOW, worker });
          const contacts = await store.db
            .selectFrom('contacts')
            .select(['first_name', 'last_name', 'email', 'title'])
            .orderBy('email')
            .execute();
          const links = await store.db
            .selectFrom('contact_numbers as cn')
            .innerJoin('numbers as n', 'n.id', 'cn.number_id')
            .innerJoin('contacts as c', 'c.id', 'cn.contact_id')
            .select(['c.email', 'n.e164', 'cn.kind'])
            .orderBy('c.email')
            .orderBy('n.e164')
            .execute();
          results.push({ summary: { ...summary, importRunId: null }, contacts, links });
        } finally {
          await store.close();
        }
      }
      expect(results[0]).toEqual(results[1]);
      expect(results[0]!.summary.created).toBeGreaterThan(2000);
    });
  }
});

describe('CSV records', () => {
  const cell = fc.stringMatching(/^[a-z é\t;"]{0,6}$/);
  const line = fc.array(cell, { minLength: 1, maxLength: 6 }).map((cells) => cells.join(','));
  /** Lines whose quotes pair up on the line itself: each is one record or one unreadable row. */
  const evenLine = line.filter((l) => l.trim() !== '' && (l.match(/"/g) ?? []).length % 2 === 0);

  it('reads each line as csv-parse reads it alone, quoted or not, in batches of any size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(evenLine, { maxLength: 40 }),
        fc.integer({ min: 1, max: 9 }),
        async (lines, size) => {
          const header = ['a', 'b', 'c', 'd', 'e', 'f'];
          async function* text() {
            yield `${header.join(',')}\n${lines.join('\n')}\n`;
          }
          const records: { row: number; cells: string[] }[] = [];
          const errors: number[] = [];
          for await (const b of readCsvBatches(text(), { batchSize: size })) {
            records.push(...b.records);
            errors.push(...b.errors.map((e) => e.row));
          }
          const expected: { row: number; cells: string[] }[] = [];
          const expectedErrors: number[] = [];
          lines.forEach((l, i) => {
            try {
              const out = parse(l, { relax_column_count: true, relax_quotes: true }) as string[][];
              if (out.length === 1) expected.push({ row: i + 2, cells: out[0]! });
              else expectedErrors.push(i + 2);
            } catch {
              expectedErrors.push(i + 2);
            }
          });
          expect(records).toEqual(expected);
          expect(errors.sort((x, y) => x - y)).toEqual(expectedErrors);
        },
      ),
      { numRuns: 300 },
    );
  });
});

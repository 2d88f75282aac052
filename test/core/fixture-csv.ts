/** Reads a CSV fixture of test/fixtures/import whole, decoding Outlook's Windows-1252. */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';

export const FIXTURES = new URL('../fixtures/import/', import.meta.url);

export function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(name, FIXTURES));
}

export function fixtureText(name: string, encoding: 'utf-8' | 'windows-1252' = 'utf-8'): string {
  return iconv.decode(fixtureBytes(name), encoding);
}

export function readCsvFixture(name: string, encoding: 'utf-8' | 'windows-1252' = 'utf-8') {
  const [header, ...rows] = parse(fixtureText(name, encoding)) as string[][];
  // Row numbers as a spreadsheet shows them: the header is row 1.
  return { header: header!, rows: rows.map((cells, i) => ({ row: i + 2, cells })) };
}

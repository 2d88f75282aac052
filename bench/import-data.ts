/**
 * The import benchmark's file: a deterministic CSV shaped like a CRM export, with several
 * phone columns in the formats people type, a company main line shared by colleagues, and
 * about 1.5 % bad or duplicate rows.
 */
import { createWriteStream } from 'node:fs';
import { mulberry32 } from '../src/core/random.js';

const FIRST = [
  'Dana',
  'Sam',
  'Ana',
  'Ravi',
  'Kim',
  'Luis',
  'Maya',
  'Omar',
  'Jo',
  'Priya',
  'Tom',
  'Zoë',
  'René',
  'Chen',
  'Ada',
];
const LAST = [
  'Lee',
  'Ortiz',
  'Silva',
  'Patel',
  'Wu',
  'García',
  'Cohen',
  'Nguyen',
  'Smith',
  'Okafor',
  'Brandt',
  'Rossi',
];
const AREAS = [
  '212',
  '646',
  '718',
  '312',
  '773',
  '303',
  '602',
  '415',
  '213',
  '310',
  '617',
  '206',
  '512',
  '305',
  '404',
  '214',
];

function usNumber(i: number, salt: number): [string, string, string] {
  const area = AREAS[(i + salt) % AREAS.length]!;
  const n = (i * 7919 + salt * 104729) % 7_000_000;
  let exchange = 200 + Math.floor(n / 10_000);
  if (exchange % 100 === 11) exchange += 1;
  const line = String(n % 10_000).padStart(4, '0');
  return [area, String(exchange), line];
}

function format(parts: [string, string, string], style: number): string {
  const [a, e, l] = parts;
  switch (style % 5) {
    case 0:
      return `(${a}) ${e}-${l}`;
    case 1:
      return `${a}.${e}.${l}`;
    case 2:
      return `+1 ${a} ${e} ${l}`;
    case 3:
      return `${a}${e}${l}`;
    default:
      return `${a}-${e}-${l}`;
  }
}

export async function writeImportCsv(
  path: string,
  rows: number,
  seed = 42,
): Promise<{ bad: number; duplicates: number }> {
  const random = mulberry32(seed);
  const out = createWriteStream(path);
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));
  await write('First Name,Last Name,Company,Email,Phone,Mobile Phone,Company Main Phone,Job Title\n');
  let bad = 0;
  let duplicates = 0;
  let buffer = '';
  for (let i = 0; i < rows; i++) {
    const r = random();
    let line: string;
    if (r < 0.005) {
      bad++;
      line = `${FIRST[i % FIRST.length]},Invalid,Acme ${i % 5000},,12345,,,Buyer`;
    } else if (r < 0.01) {
      bad++;
      line = ',,,,,,,';
    } else if (r < 0.015 && i > 10) {
      duplicates++;
      const j = Math.floor(random() * i);
      line = rowFor(j);
    } else {
      line = rowFor(i);
    }
    buffer += `${line}\n`;
    if (buffer.length > 1 << 16) {
      await write(buffer);
      buffer = '';
    }
  }
  await write(buffer);
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
  return { bad, duplicates };

  function rowFor(i: number): string {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
    const company = Math.floor(i / 20);
    const direct = format(usNumber(i, 1), i);
    const mobile = i % 3 === 0 ? '' : format(usNumber(i, 2), i + 1);
    const main = format(usNumber(company, 3), company);
    return `${first},${last},Company ${company},${first.toLowerCase()}.${i}@example.com,${direct},${mobile},${main},Head of Ops`;
  }
}

/**
 * Rules of the layout that the type checker cannot see (DESIGN.md, Architecture).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** Ways to tell which database runs: its name as a value, its drivers, its raw handles. */
const DATABASE_WORDS =
  /\bdialect\b|\bDialect[A-Z]|better-sqlite3|\bpg\b|store\.sqlite|isPostgres|copyFrom|['"](postgres|sqlite)['"]/;

/**
 * The import (src/app/import/) is being redesigned under its own issue, which moves its bulk
 * settings behind the store; until it lands, it still passes the store's database name on.
 */
const NOT_YET = new Set(['src/app/import/import-contacts.ts']);

describe('the layout', () => {
  it('the database words are caught where they appear', () => {
    for (const line of [
      "if (store.dialect === 'postgres')",
      "import pg from 'pg';",
      'store.sqlite!.backup(file)',
      'isPostgres(db)',
      'store.copyFrom?.(trx, s, d)',
      "import type { DialectName } from '../store/dialect.js';",
    ])
      expect(line).toMatch(DATABASE_WORDS);
    expect('PostgreSQL LISTEN/NOTIFY through the store').not.toMatch(DATABASE_WORDS);
  });

  it('nothing outside src/store can tell which database it runs on', () => {
    const leaks = [...sourceFiles('src'), ...sourceFiles('web/src')]
      .filter((file) => !file.startsWith('src/store/') && !NOT_YET.has(file))
      .flatMap((file) =>
        readFileSync(join(ROOT, file), 'utf8')
          .split('\n')
          .flatMap((line, i) => (DATABASE_WORDS.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(leaks).toEqual([]);
  });

  it('use cases refuse with the one error vocabulary, not classes of their own', () => {
    // A new refusal is a code in src/app/errors.ts, which the server and the CLI map exhaustively.
    const classes = sourceFiles('src/app')
      .filter((file) => file !== 'src/app/errors.ts')
      .flatMap((file) =>
        readFileSync(join(ROOT, file), 'utf8')
          .split('\n')
          .flatMap((line, i) =>
            /export class \w+ extends \w*Error\b/.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [],
          ),
      );
    expect(classes).toEqual([]);
  });
});

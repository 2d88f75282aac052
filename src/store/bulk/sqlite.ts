/**
 * SQLite's bulk writer: statements prepared once per connection and text, run synchronously on
 * the connection that holds the transaction (Kysely's own, which the batch has to itself).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import { PERSONAL_KINDS } from '../../core/import/draft-index.js';
import type { Database } from '../schema.js';
import { reserveIds } from '../write-transaction.js';
import { type BulkWriter, heldFor, type KeyColumn, type KeyedTable } from './writer.js';

/**
 * Rows per multi-row statement and keys per `in (…)` list. Statements of a few fixed sizes
 * repeat their SQL text, so their prepared statements are reused.
 */
const ROWS_PER_STATEMENT = 128;

/**
 * Rows per insert statement on SQLite. It counts an insert of several rows as a multi-row
 * write, and for those it looks up, for each row, every table that refers to the one written
 * (enrollments, attempts, … for contacts); one row per statement skips that, and run straight
 * on the connection it costs little. Tables nothing refers to get many rows per statement.
 */
function rowsPerStatement(table: keyof Database): number {
  return table === 'contact_numbers' ? ROWS_PER_STATEMENT : 1;
}

/** The stored contacts a number is a personal number of, by id. */
const OWNERS_SQL = `select cn.contact_id from contact_numbers cn
  where cn.number_id = ? and cn.kind in (${PERSONAL_KINDS.map((k) => `'${k}'`).join(', ')})
  order by cn.contact_id`;

export class SqliteBulkWriter implements BulkWriter {
  constructor(
    readonly trx: Kysely<Database>,
    /** The connection `trx` runs on, for statements run row by row without Kysely. */
    private readonly sqlite: BetterSqlite3.Database,
  ) {}

  reserveIds(table: keyof Database, count: number): Promise<number[]> {
    return reserveIds(this.trx, 'sqlite', table, count);
  }

  async insert(
    table: keyof Database,
    columns: readonly string[],
    values: readonly unknown[][],
    conflict?: readonly string[],
  ): Promise<number> {
    return this.write(table, columns, values, conflict, null);
  }

  async insertReturningIds(
    table: keyof Database,
    columns: readonly string[],
    values: readonly unknown[][],
    conflict?: readonly string[],
  ): Promise<number[]> {
    const ids: number[] = [];
    this.write(table, columns, values, conflict, ids);
    return ids;
  }

  /**
   * One probe of the key's index each, on a statement prepared once. Through Kysely, building
   * and compiling the `in (…)` lookups cost the main thread more than SQLite spent answering them.
   */
  async idsOf(
    table: KeyedTable,
    keyColumn: KeyColumn,
    ws: number,
    keys: readonly string[],
  ): Promise<(number | undefined)[]> {
    if (keys.length === 0) return [];
    const statement = this.statement(
      `select id from ${table} where workspace_id = ? and ${keyColumn} = ? order by id limit 1`,
    ).pluck();
    return keys.map((key) => statement.get(ws, key) as number | undefined);
  }

  async personalOwners(numberIds: readonly number[]): Promise<Map<number, number[]>> {
    const owners = this.statement(OWNERS_SQL).pluck();
    const out = new Map<number, number[]>();
    for (const id of numberIds) {
      const found = owners.all(id) as number[];
      if (found.length > 0) out.set(id, found);
    }
    return out;
  }

  *keyParts<T>(keys: readonly T[]): Generator<T[]> {
    for (let i = 0; i < keys.length; i += ROWS_PER_STATEMENT) yield keys.slice(i, i + ROWS_PER_STATEMENT);
  }

  /** Padded to ROWS_PER_STATEMENT with the last key, which does not change what `in (…)` matches. */
  oneOf(column: string, keys: readonly unknown[]): RawBuilder<SqlBool> {
    const list = keys.slice();
    while (list.length < ROWS_PER_STATEMENT) list.push(keys[keys.length - 1]);
    return sql<SqlBool>`${sql.ref(column)} in (${sql.join(list)})`;
  }

  /**
   * Statements hold rowsPerStatement() rows, the rest in powers of two, so only a few distinct
   * texts exist. A row that went in has the id it was given, so nothing needs returning.
   */
  private write(
    table: keyof Database,
    columns: readonly string[],
    values: readonly unknown[][],
    conflict: readonly string[] | undefined,
    ids: number[] | null,
  ): number {
    const total = values.length;
    let count = 0;
    const idColumn = columns.indexOf('id');
    if (ids && idColumn < 0) throw new Error(`insert into ${table}: no id column to return`);
    const most = rowsPerStatement(table);
    let done = 0;
    while (done < total) {
      const left = total - done;
      const rows = left >= most ? most : 2 ** Math.floor(Math.log2(left));
      const statement = this.statement(this.insertSql(table, columns, rows, conflict));
      if (rows === 1) {
        const end = most === 1 ? total : done + 1;
        for (; done < end; done++) {
          const row = values[done]!;
          const changes = statement.run(row).changes;
          if (ids && changes > 0) ids.push(Number(row[idColumn]));
          count += changes;
        }
        continue;
      }
      if (ids) throw new Error(`insert into ${table}: several rows per statement cannot tell which went in`);
      const params: unknown[] = [];
      for (let i = done; i < done + rows; i++) for (const v of values[i]!) params.push(v);
      count += statement.run(params).changes;
      done += rows;
    }
    return count;
  }

  private statement(text: string): BetterSqlite3.Statement {
    const statements = heldFor(
      sqliteStatements,
      this.sqlite,
      () => new Map<string, BetterSqlite3.Statement>(),
    );
    let statement = statements.get(text);
    if (!statement) {
      statement = this.sqlite.prepare(text);
      statements.set(text, statement);
    }
    return statement;
  }

  private insertSql(
    table: keyof Database,
    columns: readonly string[],
    rows: number,
    conflict: readonly string[] | undefined,
  ): string {
    return insertSql(this.trx, table, columns, rows, conflict);
  }
}

/** Statements run without Kysely, prepared once per connection and text. */
const sqliteStatements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

/**
 * SQL of an SQLite insert of `rows` rows, built by Kysely once per shape. Compiling a query
 * builder costs about as much as SQLite spends inserting the rows, so bulk writes reuse the
 * text with fresh parameters: Kysely numbers them row by row, column by column, which the
 * check below holds it to.
 */
const insertTemplates = new Map<string, string>();

function insertSql(
  trx: Kysely<Database>,
  table: keyof Database,
  columns: readonly string[],
  rows: number,
  conflict: readonly string[] | undefined,
): string {
  const key = `${table}|${columns.join(',')}|${rows}|${conflict?.join(',') ?? ''}`;
  const cached = insertTemplates.get(key);
  if (cached !== undefined) return cached;
  let n = 0;
  const sample = Array.from({ length: rows }, () => Object.fromEntries(columns.map((c) => [c, n++])));
  const query = trx.insertInto(table).values(sample as never);
  const compiled = (
    conflict ? query.onConflict((oc) => oc.columns(conflict as never).doNothing()) : query
  ).compile();
  if (compiled.parameters.length !== n || compiled.parameters.some((p, i) => p !== i)) {
    throw new Error(`insert into ${table}: Kysely did not number the parameters row by row`);
  }
  insertTemplates.set(key, compiled.sql);
  return compiled.sql;
}

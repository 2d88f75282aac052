/**
 * PostgreSQL's bulk writer: COPY where no conflict can arise, COPY into a staging table where
 * one can, and lookups of any number of keys as one array parameter (one round trip each).
 */
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import { PERSONAL_KINDS } from '../../core/import/draft-index.js';
import type { Store } from '../db.js';
import type { Database } from '../schema.js';
import { reserveIds } from '../write-transaction.js';
import { type BulkWriter, heldFor, type KeyColumn, type KeyedTable } from './writer.js';

/** Rows per insert statement on PostgreSQL, which takes them as one array per column. */
const PG_ROWS_PER_STATEMENT = 10_000;

/** PostgreSQL types of the columns written here; the rest are text. */
const PG_TYPES: Record<string, string> = {
  id: 'bigint',
  workspace_id: 'bigint',
  company_id: 'bigint',
  owner_id: 'bigint',
  contact_id: 'bigint',
  number_id: 'bigint',
  campaign_id: 'bigint',
  created_at: 'bigint',
  updated_at: 'bigint',
  valid: 'integer',
  do_not_call: 'integer',
};

export class PostgresBulkWriter implements BulkWriter {
  constructor(
    readonly trx: Kysely<Database>,
    /** COPY into the transaction (Store.copyFrom), for inserts that need no conflict check. */
    private readonly copyFrom: Store['copyFrom'],
  ) {}

  reserveIds(table: keyof Database, count: number): Promise<number[]> {
    return reserveIds(this.trx, 'postgres', table, count);
  }

  async insert(
    table: keyof Database,
    columns: readonly string[],
    values: readonly unknown[][],
    conflict?: readonly string[],
  ): Promise<number> {
    return (await this.write(table, columns, values, conflict, false)).count;
  }

  async insertReturningIds(
    table: keyof Database,
    columns: readonly string[],
    values: readonly unknown[][],
    conflict?: readonly string[],
  ): Promise<number[]> {
    return (await this.write(table, columns, values, conflict, true)).ids;
  }

  async idsOf(
    table: KeyedTable,
    keyColumn: KeyColumn,
    ws: number,
    keys: readonly string[],
  ): Promise<(number | undefined)[]> {
    const idByKey = new Map<string, number>();
    for (const part of this.keyParts(keys)) {
      const rows = await this.trx
        .selectFrom(table)
        .select(['id', keyColumn] as never)
        .where('workspace_id', '=', ws)
        .where(this.oneOf(keyColumn, part, 'text'))
        .orderBy('id')
        .execute();
      for (const r of rows as unknown as Record<string, unknown>[]) {
        const key = r[keyColumn] as string;
        if (!idByKey.has(key)) idByKey.set(key, r.id as number);
      }
    }
    return keys.map((k) => idByKey.get(k));
  }

  async personalOwners(numberIds: readonly number[]): Promise<Map<number, number[]>> {
    const out = new Map<number, number[]>();
    for (const part of this.keyParts(numberIds)) {
      const rows = await this.trx
        .selectFrom('contact_numbers as cn')
        .select(['cn.contact_id', 'cn.number_id'])
        .where(this.oneOf('cn.number_id', part, 'bigint'))
        .where('cn.kind', 'in', PERSONAL_KINDS)
        .orderBy('cn.contact_id')
        .execute();
      for (const r of rows) {
        const list = out.get(r.number_id) ?? [];
        list.push(r.contact_id);
        out.set(r.number_id, list);
      }
    }
    return out;
  }

  /** All at once: one array parameter, so one round trip per lookup. */
  *keyParts<T>(keys: readonly T[]): Generator<T[]> {
    if (keys.length > 0) yield keys.slice();
  }

  oneOf(column: string, keys: readonly unknown[], type: 'bigint' | 'text'): RawBuilder<SqlBool> {
    return sql<SqlBool>`${sql.ref(column)} = any(${keys}::${sql.raw(type)}[])`;
  }

  private async write(
    table: keyof Database,
    columns: readonly string[],
    values: readonly unknown[][],
    conflict: readonly string[] | undefined,
    returning: boolean,
  ): Promise<{ count: number; ids: number[] }> {
    const total = values.length;
    const ids: number[] = [];
    let count = 0;
    if (this.copyFrom && total > 0) {
      if (!conflict && !returning) {
        const copied = await this.copyFrom(this.trx, copyStatement(table, columns), copyText(values));
        return { count: copied, ids };
      }
      const result = await this.stagedInsert(table, columns, values, conflict, returning);
      if (returning) for (const r of result.rows) ids.push(Number(r.id));
      return { count: returning ? ids.length : Number(result.numAffectedRows ?? 0n), ids };
    }
    for (let done = 0; done < total; done += PG_ROWS_PER_STATEMENT) {
      const part = values.slice(done, done + PG_ROWS_PER_STATEMENT);
      const result = await pgInsert(this.trx, table, columns, part, conflict, returning);
      if (returning) for (const r of result.rows) ids.push(Number(r.id));
      else count += Number(result.numAffectedRows ?? 0n);
    }
    return { count: returning ? ids.length : count, ids };
  }

  /**
   * A PostgreSQL insert that needs `on conflict` (or `returning`), which COPY lacks: the rows are
   * copied into a temporary table of the columns written, then moved in one statement that empties
   * it. Temporary tables are written without WAL, so the copy costs the server little.
   */
  private async stagedInsert(
    table: keyof Database,
    columns: readonly string[],
    rows: readonly unknown[][],
    conflict: readonly string[] | undefined,
    returning: boolean,
  ) {
    const stage = `import_stage_${table}`;
    const stages = heldFor(stagesOfTransaction, this.trx, () => new Set<string>());
    if (!stages.has(stage)) {
      // Just the columns written (each table is written with one set), without defaults: a
      // serial default would draw ids from the table's sequence.
      await sql`create temporary table if not exists ${sql.raw(stage)} on commit delete rows as
        select ${sql.join(columns.map((c) => sql.ref(c)))} from ${sql.table(table)} with no data`.execute(
        this.trx,
      );
      stages.add(stage);
    }
    await this.copyFrom!(this.trx, copyStatement(stage, columns), copyText(rows));
    const list = sql.join(columns.map((c) => sql.ref(c)));
    return sql<{ id: number }>`with staged as (delete from ${sql.raw(stage)} returning ${list})
      insert into ${sql.table(table)} (${list}) select ${list} from staged${
        conflict ? sql` on conflict (${sql.join(conflict.map((c) => sql.ref(c)))}) do nothing` : sql``
      }${returning ? sql` returning id` : sql``}`.execute(this.trx);
  }
}

/**
 * A PostgreSQL insert of any number of rows: one array parameter per column, unnested. The
 * server plans one short statement instead of thousands of parameters, and the text repeats.
 */
function pgInsert(
  trx: Kysely<Database>,
  table: keyof Database,
  columns: readonly string[],
  rows: readonly unknown[][],
  conflict: readonly string[] | undefined,
  returning: boolean,
) {
  const arrays = columns.map((c, j) => {
    const column = rows.map((row) => row[j]);
    return sql`${column}::${sql.raw(PG_TYPES[c] ?? 'text')}[]`;
  });
  return sql<{ id: number }>`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
    select * from unnest(${sql.join(arrays)})${
      conflict ? sql` on conflict (${sql.join(conflict.map((c) => sql.ref(c)))}) do nothing` : sql``
    }${returning ? sql` returning id` : sql``}`.execute(trx);
}

/**
 * COPY is PostgreSQL's bulk path: the rows go as one stream of text that the server parses far
 * more cheaply than array parameters (and the client builds more cheaply than pg serializes
 * them), and the server writes them a page at a time instead of row by row. It has no
 * `on conflict`, so it serves the inserts that cannot conflict: new contacts under reserved ids
 * and their links.
 */
function copyStatement(table: string, columns: readonly string[]): string {
  return `copy ${table} (${columns.join(', ')}) from stdin`;
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIALS = /[\\\t\n\r]/g;
const COPY_ESCAPE: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** Rows in COPY's text format: tab between values, a line per row, `\N` for null, backslash escapes. */
function copyText(rows: readonly unknown[][]): string {
  let out = '';
  for (const row of rows) {
    for (let j = 0; j < row.length; j++) {
      const v = row[j];
      const text =
        v === null || v === undefined
          ? '\\N'
          : typeof v === 'string'
            ? COPY_SPECIAL.test(v)
              ? v.replace(COPY_SPECIALS, (c) => COPY_ESCAPE[c]!)
              : v
            : String(v);
      out += j === 0 ? text : `\t${text}`;
    }
    out += '\n';
  }
  return out;
}

/** Staging tables each transaction has made sure of (they outlive it, empty, on its connection). */
const stagesOfTransaction = new WeakMap<Kysely<Database>, Set<string>>();

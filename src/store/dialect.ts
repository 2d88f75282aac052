/**
 * The one place where SQLite and PostgreSQL differ in DDL. Queries stay portable; only
 * column types of identities and big integers are spelled per database.
 */
import type { ColumnDefinitionBuilder, CreateTableBuilder } from 'kysely';
import { sql } from 'kysely';

export const DATABASE_NAMES = ['sqlite', 'postgres'] as const;
export type DialectName = (typeof DATABASE_NAMES)[number];

/** Adds an auto-assigned integer primary key named `id`. */
export function withId<T extends string>(table: CreateTableBuilder<T, never>, dialect: DialectName) {
  return dialect === 'postgres'
    ? table.addColumn('id', 'bigserial', (c) => c.primaryKey())
    : // `integer primary key`, so SQLite uses it as the rowid; AUTOINCREMENT, so a deleted row's id
      // is never handed out again (see migration 2026-12-08-300-ids-never-reused).
      table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** Epoch milliseconds and foreign keys: 64-bit on PostgreSQL, INTEGER affinity on SQLite. */
export const bigint = sql`bigint`;

export function refersTo(table: string, onDelete: 'cascade' | 'set null' | 'restrict' = 'restrict') {
  return (c: ColumnDefinitionBuilder) => c.references(`${table}.id`).onDelete(onDelete);
}

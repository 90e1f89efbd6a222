/**
 * Many-row writes in one statement per chunk, the rows travelling as ONE JSON parameter unpacked by
 * `jsonb_to_recordset` (spec 08 §Performance: a 10,000-row upload in ≤ 3 s on PostgreSQL, ≤ 6 s on
 * PGlite). Building multi-row VALUES lists through the query builder cost more than the database
 * did (≈ 2.5 s for 10,000 requests, mostly drizzle's SQL assembly and GC); one JSON text is cheap
 * for both drivers and for PGlite's WASM boundary. Column names and types come from the drizzle
 * schema, so the statements follow it. Raw SQL stays in db/repos (STYLE.md).
 */
import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import type { Queryable } from '../client.ts';

const CHUNK = 5000;

/** Rows of `db.execute` for both drivers (PGlite answers `{ rows }`, postgres-js an array). */
export function resultRows<T>(r: unknown): T[] {
  return ((r as { rows?: T[] }).rows ?? (r as T[]));
}

/** bytea hex input (`\x…`) for a JSON string. */
function hexBytea(v: Uint8Array): string {
  return `\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
}

interface Col {
  readonly prop: string;
  readonly column: PgColumn;
}

/** The table's columns that some row gives a value (identity columns only when `withIdentity`). */
function usedColumns(table: PgTable, rows: readonly Readonly<Record<string, unknown>>[], withIdentity = false): Col[] {
  const given = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (r[k] !== undefined) given.add(k);
  return Object.entries(getTableColumns(table))
    .filter(([prop, c]) => given.has(prop) && (withIdentity || !(c as { generatedIdentity?: unknown }).generatedIdentity))
    .map(([prop, column]) => ({ prop, column: column as PgColumn }));
}

/**
 * `jsonb_to_recordset(<rows as JSON>) as x(c0 type, c1 type, …)`. The JSON is kept small — short
 * keys, null values left out (a missing key reads as null), bytes as bytea hex input — because its
 * length is what the drivers pay for: PGlite measures and copies the parameter string in JS several
 * times (≈ 0.1 s per 10 MB), then PostgreSQL parses it. jsonb rather than json: jsonb columns
 * (outbox data, audit details) are taken over without a second parse.
 */
function recordset(cols: readonly Col[], rows: readonly Readonly<Record<string, unknown>>[]): SQL {
  const keys = cols.map((_, i) => `c${i.toString(36)}`);
  const compact = rows.map((r) => {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < cols.length; i++) {
      const v = r[cols[i]!.prop];
      if (v !== null && v !== undefined) o[keys[i]!] = v instanceof Uint8Array ? hexBytea(v) : v;
    }
    return o;
  });
  const defs = cols.map((c, i) => `${keys[i]} ${c.column.getSQLType()}`).join(', ');
  return sql`jsonb_to_recordset(${JSON.stringify(compact)}::jsonb) as x(${sql.raw(defs)})`;
}

export interface BulkInsertOptions {
  /** Raw SQL over the table's columns; its rows are returned, all chunks in order. */
  readonly returning?: string;
  /** The rows carry ids of the identity column, reserved with `reserveIds`. */
  readonly overridingIdentity?: boolean;
  /**
   * Check the rows' foreign keys with one set-based query after the insert instead of one trigger
   * call per row and key (needs `overridingIdentity`; for PGlite, see `checkReferencesOnce`).
   */
  readonly referencesOnce?: boolean;
}

/**
 * `insert into table (cols) select cols from jsonb_to_recordset(…)`, chunked. A column that some rows
 * leave undefined is null in those rows (not its default); columns no row gives keep their defaults.
 */
export async function bulkInsert<T extends PgTable, R = Record<string, unknown>>(db: Queryable, table: T, rows: readonly (T['$inferInsert'] & { id?: number })[], opts: BulkInsertOptions = {}): Promise<R[]> {
  if (rows.length === 0) return [];
  const cols = usedColumns(table, rows as readonly Record<string, unknown>[], opts.overridingIdentity);
  const target = sql.raw(`"${getTableName(table)}" (${cols.map((c) => `"${c.column.name}"`).join(', ')})${opts.overridingIdentity ? ' overriding system value' : ''}`);
  const select = sql.raw(cols.map((_, i) => `x.c${i.toString(36)}`).join(', '));
  const insert = async (): Promise<R[]> => {
    // Every chunk is sent without waiting for the one before (the driver queues them on the
    // connection in order); Promise.all keeps their answers in order and leaves no rejection unhandled.
    const sent: Promise<unknown>[] = [];
    for (let i = 0; i < rows.length; i += CHUNK) {
      const part = rows.slice(i, i + CHUNK) as readonly Record<string, unknown>[];
      sent.push(db.execute(sql`insert into ${target} select ${select} from ${recordset(cols, part)}${opts.returning ? sql.raw(` returning ${opts.returning}`) : sql``}`).then((r) => r));
    }
    return (await Promise.all(sent)).flatMap((r) => resultRows<R>(r));
  };
  if (!opts.referencesOnce || !opts.overridingIdentity) return insert();
  return checkReferencesOnce(db, table, rows.map((r) => r.id!), insert);
}

/**
 * PGlite only: runs `insert` with the per-row foreign-key triggers switched off for this transaction
 * (`session_replication_role = replica`, superuser only — PGlite's user is), switches them back on,
 * then checks every foreign key of the rows `ids` in ONE anti-join per key and throws like
 * PostgreSQL would (23503) when one points nowhere. Same guarantee, one query instead of 50,000
 * trigger calls: in PGlite's WASM engine each costs ≈ 15 µs and writes a row-lock WAL record,
 * ≈ 0.8 s of a 10,000-row upload (spec 08 §Performance). PostgreSQL keeps its triggers (its
 * application role is usually no superuser, and its checks are cheap and run beside Node's work).
 */
export async function checkReferencesOnce<R>(db: Queryable, table: PgTable, ids: readonly number[], insert: () => Promise<R>): Promise<R> {
  await db.execute(sql`set local session_replication_role = replica`);
  let out: R;
  try {
    out = await insert();
  } finally {
    await db.execute(sql`set local session_replication_role = origin`);
  }
  const name = getTableName(table);
  for (const fk of getTableConfig(table).foreignKeys) {
    const ref = fk.reference();
    const col = ref.columns[0]!.name;
    const q = sql`select count(*)::int as n from ${sql.raw(`"${name}"`)} t where t.id in (select (jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))::bigint)
      and t.${sql.raw(`"${col}"`)} is not null and not exists (select 1 from ${sql.raw(`"${getTableName(ref.foreignTable)}" f where f."${ref.foreignColumns[0]!.name}" = t."${col}"`)})`;
    const [row] = resultRows<{ n: number }>(await db.execute(q));
    if (Number(row?.n ?? 0) > 0) {
      throw Object.assign(new Error(`insert or update on table "${name}" violates foreign key constraint "${fk.getName()}"`), { code: '23503' });
    }
  }
  return out;
}

/**
 * `update table as t set col = x.col, … from jsonb_to_recordset(…) as x where t.key = x.key`,
 * chunked: per-row values for many rows in one statement. `extra` adds assignments common to all rows.
 */
export async function bulkUpdate<T extends PgTable>(db: Queryable, table: T, key: keyof T['$inferSelect'] & string, rows: readonly Partial<T['$inferSelect']>[], extra?: SQL): Promise<void> {
  if (rows.length === 0) return;
  const cols = Object.entries(getTableColumns(table))
    .filter(([prop]) => prop === key || (rows[0] as Record<string, unknown>)[prop] !== undefined)
    .map(([prop, column]) => ({ prop, column: column as PgColumn }));
  const keyCol = cols.find((c) => c.prop === key)!.column.name;
  const sets = sql.raw(cols.flatMap((c, i) => (c.prop === key ? [] : [`"${c.column.name}" = x.c${i.toString(36)}`])).join(', '));
  const keyAlias = `c${cols.findIndex((c) => c.prop === key).toString(36)}`;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK) as readonly Record<string, unknown>[];
    await db.execute(sql`update ${sql.raw(`"${getTableName(table)}"`)} as t set ${sets}${extra ? sql`, ${extra}` : sql``} from ${recordset(cols, part)} where ${sql.raw(`t."${keyCol}" = x.${keyAlias}`)}`);
  }
}

/** `n` values of an identity column's sequence, reserved before the rows are written (ids needed up front). */
export async function reserveIds(db: Queryable, table: PgTable, column: string, n: number): Promise<number[]> {
  if (n === 0) return [];
  // One row with every id, not n rows: the drivers parse rows one by one.
  const r = await db.execute(sql`select string_agg(nextval(pg_get_serial_sequence(${getTableName(table)}, ${column}))::text, ',') as ids from generate_series(1, ${n})`);
  return resultRows<{ ids: string }>(r)[0]!.ids.split(',').map(Number);
}

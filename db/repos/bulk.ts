/**
 * Many-row writes in one statement per chunk, the rows travelling as ONE JSON parameter unpacked by
 * `json(b)_to_recordset` (spec 08 §Performance: a 10,000-row upload in ≤ 3 s on PostgreSQL, ≤ 6 s on
 * PGlite). Building multi-row VALUES lists through the query builder cost more than the database
 * did (≈ 2.5 s for 10,000 requests, mostly drizzle's SQL assembly and GC); one JSON text is cheap
 * for both drivers and for PGlite's WASM boundary. Column names and types come from the drizzle
 * schema, so the statements follow it. Raw SQL stays in db/repos (STYLE.md).
 */
import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import { setTimeout as nextLoopTurn } from 'node:timers/promises';
import type { Queryable } from '../client.ts';

/**
 * Rows per statement. `jsonb_to_recordset` materialises its rows in a tuplestore that spills to a
 * temporary file beyond work_mem (4 MB by default): 2,000 outbox notices (≈ 1.5 MB) stay in memory,
 * 5,000 did not (≈ 17 MB of temp-file writes and reads per 10,000-row upload, slow in PGlite).
 */
const CHUNK = 2000;

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

/**
 * The table's columns that some row gives a value (identity columns only when `withIdentity`).
 * Per column the rows are scanned only until one has it — the first row, for rows built alike.
 */
function usedColumns(table: PgTable, rows: readonly Readonly<Record<string, unknown>>[], withIdentity = false): Col[] {
  return Object.entries(getTableColumns(table))
    .filter(([prop, c]) => (withIdentity || !(c as { generatedIdentity?: unknown }).generatedIdentity) && rows.some((r) => r[prop] !== undefined))
    .map(([prop, column]) => ({ prop, column: column as PgColumn }));
}

/** The value every row gives `prop`, when they all give the same string, number or time (or none). */
function sharedValue(rows: readonly Readonly<Record<string, unknown>>[], prop: string): { value: string | number | null } | null {
  const first = rows[0]![prop] ?? null;
  if (first !== null && typeof first !== 'string' && typeof first !== 'number' && !(first instanceof Date)) return null;
  const key = first instanceof Date ? first.getTime() : first;
  for (const r of rows) {
    const v = r[prop] ?? null;
    if ((v instanceof Date ? v.getTime() : v) !== key) return null;
  }
  return { value: first instanceof Date ? first.toISOString() : (first as string | number | null) };
}

/**
 * `select <values> from json(b)_to_recordset(<rows as JSON>) as x(c0 type, …)` for one chunk. The
 * JSON is kept small because its length is what the drivers pay for (PGlite measures and copies the
 * parameter string in JS several times, ≈ 0.1 s per 10 MB; then PostgreSQL parses it): a value all
 * rows share travels once as a parameter (institution, upload, times, states …), keys are short,
 * nulls are left out (a missing key reads as null), bytes are bytea hex input. With jsonb columns
 * (outbox data, audit details) the rows come as jsonb, so those values are taken over without a
 * second parse; otherwise as json, whose plain scan is cheaper than building jsonb.
 */
function selectRows(cols: readonly Col[], rows: readonly Readonly<Record<string, unknown>>[]): SQL {
  const shared: ({ value: string | number | null } | null)[] = cols.map((c) => (rows.length > 1 ? sharedValue(rows, c.prop) : null));
  if (!shared.includes(null)) shared[0] = null; // the recordset needs a column
  const varying = cols.flatMap((c, i) => (shared[i] === null ? [{ c, key: `c${i.toString(36)}` }] : []));
  const compact = rows.map((r) => {
    const o: Record<string, unknown> = {};
    for (const { c, key } of varying) {
      const v = r[c.prop];
      if (v !== null && v !== undefined) o[key] = v instanceof Uint8Array ? hexBytea(v) : v;
    }
    return o;
  });
  const values = sql.join(cols.map((c, i) => (shared[i] !== null ? sql`${shared[i]!.value}::${sql.raw(c.column.getSQLType())}` : sql.raw(`x.c${i.toString(36)}`))), sql`, `);
  const defs = sql.raw(varying.map(({ c, key }) => `${key} ${c.column.getSQLType()}`).join(', '));
  return varying.some(({ c }) => c.column.getSQLType() === 'jsonb')
    ? sql`select ${values} from jsonb_to_recordset(${JSON.stringify(compact)}::jsonb) as x(${defs})`
    : sql`select ${values} from json_to_recordset(${JSON.stringify(compact)}::json) as x(${defs})`;
}

export interface BulkInsertOptions {
  /** Raw SQL over the table's columns; its rows are returned, all chunks in order. */
  readonly returning?: string;
  /** The rows carry ids of the identity column, reserved with `reserveIds`. */
  readonly overridingIdentity?: boolean;
  /**
   * Check the rows' foreign keys once for the whole insert instead of one trigger call per row and
   * key (PGlite only: see `checkReferencesOnce`).
   */
  readonly referencesOnce?: boolean;
}

/**
 * `insert into table (cols) select … from json(b)_to_recordset(…)` (`selectRows`), chunked. A column that some rows
 * leave undefined is null in those rows (not its default); columns no row gives keep their defaults.
 */
export async function bulkInsert<T extends PgTable, R = Record<string, unknown>>(db: Queryable, table: T, rows: readonly (T['$inferInsert'] & { id?: number })[], opts: BulkInsertOptions = {}): Promise<R[]> {
  if (rows.length === 0) return [];
  const insert = async () => (await sendInsert<T, R>(db, table, rows, opts)).done;
  return opts.referencesOnce ? checkReferencesOnce(db, table, rows as readonly Record<string, unknown>[], insert) : insert();
}

/**
 * `bulkInsert` in two steps: resolves once every chunk is on its way to the server, with `done` for
 * the answers — so that a caller can let PostgreSQL insert while Node does other work. Each chunk is
 * sent without waiting for the answer to the one before (the driver queues them on the connection in
 * order) and before the next chunk's JSON is built; postgres.js writes small messages from a
 * setImmediate and sends a new statement's Bind only after the server described it, so the loop
 * gets a full turn (timers, I/O, immediates) after each chunk. `done` rejects when any chunk failed.
 */
export async function sendInsert<T extends PgTable, R = Record<string, unknown>>(db: Queryable, table: T, rows: readonly (T['$inferInsert'] & { id?: number })[], opts: Omit<BulkInsertOptions, 'referencesOnce'> = {}): Promise<{ done: Promise<R[]> }> {
  if (rows.length === 0) return { done: Promise.resolve([]) };
  const cols = usedColumns(table, rows as readonly Record<string, unknown>[], opts.overridingIdentity);
  const target = sql.raw(`"${getTableName(table)}" (${cols.map((c) => `"${c.column.name}"`).join(', ')})${opts.overridingIdentity ? ' overriding system value' : ''}`);
  const sent: Promise<unknown>[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK) as readonly Record<string, unknown>[];
    const p = db.execute(sql`insert into ${target} ${selectRows(cols, part)}${opts.returning ? sql.raw(` returning ${opts.returning}`) : sql``}`).then((r) => r);
    p.catch(() => {}); // observed through `done`
    sent.push(p);
    await nextLoopTurn(0);
  }
  const done = Promise.all(sent).then((answers) => answers.flatMap((r) => resultRows<R>(r)));
  done.catch(() => {}); // the caller awaits `done`; this only keeps an early failure from going unhandled
  return { done };
}

/**
 * PGlite only: runs `insert` with the per-row foreign-key triggers switched off for this transaction
 * (`session_replication_role = replica`, superuser only — PGlite's user is), switches them back on,
 * then checks that every value the rows give a foreign-key column exists in the referenced table —
 * one query per key over the distinct values — and throws as PostgreSQL would (23503) when one does
 * not. The same guarantee as the triggers for these rows, at a fraction of the cost: in PGlite's WASM
 * engine each trigger call costs ≈ 15 µs and writes a row-lock WAL record, 60,000 of them in a
 * 10,000-row upload (spec 08 §Performance). PostgreSQL keeps its triggers: its application role is
 * usually no superuser, and there the checks are cheap and run beside Node's work. The switch holds
 * for the session: no other caller's statement may run in the same transaction meanwhile.
 */
export async function checkReferencesOnce<R>(db: Queryable, table: PgTable, rows: readonly Readonly<Record<string, unknown>>[], insert: () => Promise<R>): Promise<R> {
  const props = new Map(Object.entries(getTableColumns(table)).map(([prop, c]) => [(c as PgColumn).name, prop]));
  const checks = getTableConfig(table).foreignKeys.map((fk) => {
    const ref = fk.reference();
    const col = ref.columns[0]!;
    const values = [...new Set(rows.map((r) => r[props.get(col.name)!]).filter((v) => v !== null && v !== undefined))];
    return { name: fk.getName(), col, foreign: `"${getTableName(ref.foreignTable)}"`, foreignCol: `"${ref.foreignColumns[0]!.name}"`, values };
  }).filter((c) => c.values.length > 0);
  await db.execute(sql`set local session_replication_role = replica`);
  let out: R;
  try {
    out = await insert();
  } finally {
    await db.execute(sql`set local session_replication_role = origin`);
  }
  for (const c of checks) {
    // FOR KEY SHARE, as the triggers do: the referenced rows cannot be deleted before this commits.
    const q = sql`select count(*)::int as n from (select 1 from ${sql.raw(`${c.foreign} f`)}
      where ${sql.raw(`f.${c.foreignCol}`)} in (select (jsonb_array_elements_text(${JSON.stringify(c.values)}::jsonb))::${sql.raw(c.col.getSQLType())}) for key share) as found`;
    const [row] = resultRows<{ n: number }>(await db.execute(q));
    if (Number(row?.n ?? 0) !== c.values.length) {
      throw Object.assign(new Error(`insert or update on table "${getTableName(table)}" violates foreign key constraint "${c.name}"`), { code: '23503' });
    }
  }
  return out;
}

/**
 * `update table as t set col = v.col, … from (select … from json(b)_to_recordset(…)) as v where t.key = v.key`,
 * chunked: per-row values for many rows in one statement. `extra` adds assignments common to all rows.
 */
export async function bulkUpdate<T extends PgTable>(db: Queryable, table: T, key: keyof T['$inferSelect'] & string, rows: readonly Partial<T['$inferSelect']>[], extra?: SQL): Promise<void> {
  if (rows.length === 0) return;
  const cols = Object.entries(getTableColumns(table))
    .filter(([prop]) => prop === key || (rows[0] as Record<string, unknown>)[prop] !== undefined)
    .map(([prop, column]) => ({ prop, column: column as PgColumn }));
  const keyCol = cols.find((c) => c.prop === key)!.column.name;
  const sets = sql.raw(cols.filter((c) => c.prop !== key).map((c) => `"${c.column.name}" = v."${c.column.name}"`).join(', '));
  const names = sql.raw(cols.map((c) => `"${c.column.name}"`).join(', '));
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK) as readonly Record<string, unknown>[];
    await db.execute(sql`update ${sql.raw(`"${getTableName(table)}"`)} as t set ${sets}${extra ? sql`, ${extra}` : sql``} from (${selectRows(cols, part)}) as v(${names}) where ${sql.raw(`t."${keyCol}" = v."${keyCol}"`)}`);
  }
}

/** `n` values of an identity column's sequence, reserved before the rows are written (ids needed up front). */
export async function reserveIds(db: Queryable, table: PgTable, column: string, n: number): Promise<number[]> {
  if (n === 0) return [];
  // One row with every id, not n rows: the drivers parse rows one by one.
  const r = await db.execute(sql`select string_agg(nextval(pg_get_serial_sequence(${getTableName(table)}, ${column}))::text, ',') as ids from generate_series(1, ${n})`);
  return resultRows<{ ids: string }>(r)[0]!.ids.split(',').map(Number);
}

/**
 * One client factory for both databases (spec README §Process): embedded PGlite under the data
 * directory by default, PostgreSQL when DATABASE_URL is set. Versioned migrations run on open.
 */
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** The drizzle database both drivers produce; transactions have the same shape. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything that can run queries: the database or an open transaction. */
export type Queryable = Db | Tx;

export interface Database {
  readonly db: Db;
  readonly kind: 'pglite' | 'postgres';
  /** LISTEN on a channel (cross-process wake-ups on PostgreSQL; in-process on PGlite). */
  listen(channel: string, onMessage: () => void): Promise<void>;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = path.join(import.meta.dirname, 'migrations');

export interface OpenOptions {
  /** PostgreSQL URL; null for PGlite. */
  readonly databaseUrl: string | null;
  /** Data directory for PGlite (the database lives in `<dataDir>/pglite`). */
  readonly dataDir: string;
  /** Pool size for PostgreSQL (default 10). */
  readonly poolSize?: number;
  /** Skip migrations (tests that migrate a template once). */
  readonly migrate?: boolean;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const database = opts.databaseUrl ? await openPostgres(opts.databaseUrl, opts.poolSize ?? 10) : await openPglite(opts.dataDir);
  if (opts.migrate !== false) await migrateDatabase(database, opts.databaseUrl);
  return database;
}

async function openPglite(dataDir: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { drizzle } = await import('drizzle-orm/pglite');
  const dir = path.join(dataDir, 'pglite');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // wal_init_zero=off: PGlite has no WAL writer, so a new 16 MB WAL segment was first written full
  // of zeros through the emulated file system (≈ 50 MB of the ≈ 150 MB a 10,000-row upload wrote);
  // PostgreSQL documents the setting as safe, zero-filling only pre-allocates space.
  // pg_trgm: the officer's certificate search (migration 0001).
  const client = await PGlite.create(dir, { extensions: { pg_trgm }, startParams: [...PGlite.defaultStartParams, '-c', 'wal_init_zero=off'] });
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    listen: async (channel, onMessage) => {
      await client.listen(channel, () => onMessage());
    },
    close: () => client.close(),
  };
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  // Reconnect delay after failed connections: postgres.js's default grows as 3^n / 100 s with the
  // pool's shared failure count, up to 20 s, so after a PostgreSQL restart a process could wait that
  // long before trying again (and each request waited for it). Capped at 2 s (with jitter): a refused
  // connection costs nothing, and the API is back within seconds (tests/faults/postgres-restart.test.ts).
  const client = postgres(url, { max, onnotice: () => {}, connect_timeout: 10, backoff: (n: number) => (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** n, 2) });
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    listen: async (channel, onMessage) => {
      await client.listen(channel, () => onMessage());
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * Applies pending migrations. On PostgreSQL several processes may start at once: a session-level
 * advisory lock on a dedicated connection serialises them.
 */
export async function migrateDatabase(database: Database, databaseUrl: string | null): Promise<void> {
  if (database.kind === 'pglite') {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(database.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const lockClient = postgres(databaseUrl!, { max: 1, onnotice: () => {} });
  try {
    const db = drizzle(lockClient);
    await db.execute(sql`select pg_advisory_lock(7351024)`);
    try {
      await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await db.execute(sql`select pg_advisory_unlock(7351024)`);
    }
  } finally {
    await lockClient.end({ timeout: 5 });
  }
}

/**
 * Database backends for tests (STYLE.md: repositories on real PGlite and PostgreSQL, never mocked).
 * PGlite: a temporary data directory. PostgreSQL: a database created for this run and dropped after
 * (HAKKO_TEST_DATABASE_URL, default the local `test` database as the admin connection). When no
 * PostgreSQL answers, the PostgreSQL cases fail under HAKKO_TEST_REQUIRE_PG=1 (CI) and are left out
 * of the backend list otherwise, with a notice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type Database } from '../../db/client.ts';

export interface TestDatabase {
  readonly database: Database;
  /** For the server/CLI: null on PGlite. */
  readonly url: string | null;
  readonly dataDir: string;
  dispose(): Promise<void>;
}

export interface Backend {
  readonly name: 'pglite' | 'postgres';
  /** A fresh, migrated database (and data dir). */
  create(): Promise<TestDatabase>;
  /** A fresh, empty database URL (for a server process to migrate itself), with its disposer. */
  createUrl?(): Promise<{ url: string; dispose(): Promise<void> }>;
}

export const ADMIN_URL = process.env.HAKKO_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function tempDir(prefix = 'hakko-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Whether the PostgreSQL server at `adminUrl` answers (the bench asks too). */
export async function postgresReachable(adminUrl = ADMIN_URL): Promise<boolean> {
  const sql = postgres(adminUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** Creates an empty database on the PostgreSQL server; returns its URL and a disposer that drops it. */
export async function createPgDatabase(adminUrl = ADMIN_URL): Promise<{ url: string; dispose(): Promise<void> }> {
  const name = `hakko_t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = '/' + name;
  return {
    url: u.toString(),
    async dispose() {
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export const pglite: Backend = {
  name: 'pglite',
  async create() {
    const dataDir = tempDir();
    const database = await openDatabase({ databaseUrl: null, dataDir });
    return {
      database,
      url: null,
      dataDir,
      async dispose() {
        await database.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
};

/** PostgreSQL databases created (and dropped) through `adminUrl`. */
export function postgresBackend(adminUrl = ADMIN_URL): Backend {
  return {
    name: 'postgres',
    async create() {
      const created = await createPgDatabase(adminUrl);
      const dataDir = tempDir();
      const database = await openDatabase({ databaseUrl: created.url, dataDir, poolSize: 4 });
      return {
        database,
        url: created.url,
        dataDir,
        async dispose() {
          await database.close();
          await created.dispose();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
    createUrl: () => createPgDatabase(adminUrl),
  };
}

const pg = postgresBackend();

/** The backends every DB test runs on. */
export async function backends(): Promise<Backend[]> {
  if (await postgresReachable()) return [pglite, pg];
  if (process.env.HAKKO_TEST_REQUIRE_PG === '1') throw new Error(`PostgreSQL is required (HAKKO_TEST_REQUIRE_PG=1) but ${ADMIN_URL} does not answer`);
  console.warn(`notice: PostgreSQL at ${ADMIN_URL} does not answer; DB tests run on PGlite only`);
  return [pglite];
}

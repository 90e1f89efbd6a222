/**
 * Child process for the crash tests (tests/integration/upload-crash.test.ts, spec 08 §Reliability):
 * a large upload that the parent kills half-way. It reports on stdout, one line each, what the
 * transaction did — `TX BEGIN`, `DONE <table>` after each bulk insert into requests / outbox /
 * audit_log, `TX COMMIT` when the callback returned — so that the parent can kill it at a known
 * point without sleeping. The reports only observe: the workflow and its transaction are the real ones.
 *
 *   CHILD_MODE=workflow  DATABASE_URL=… | HAKKO_DATA_DIR=…  OFFICER=<AuthenticatedOfficer JSON>  ROWS=10000
 *       runs `uploadTsv` (abort mode) on the database, prints `RESULT <registered>`.
 *   CHILD_MODE=server    (the server's environment)
 *       starts the server like `api/main.ts` (SIGTERM → stop → exit 0), prints `READY`, and runs
 *       the upload in-process when it reads `UPLOAD <officer JSON>` on stdin.
 */
import { createInterface } from 'node:readline';
import { loadConfig } from '../../api/config.ts';
import { silentLogger } from '../../api/log.ts';
import type { Services } from '../../api/services.ts';
import type { AuthenticatedOfficer } from '../../api/domain/officer.ts';
import { uploadTsv } from '../../api/workflows/upload-tsv.ts';
import { openDatabase, type Db } from '../../db/client.ts';
import { issuanceFile, uploadServices } from '../../bench/upload.ts';

const say = (line: string) => process.stdout.write(line + '\n');

/** The statement's table, for the reports: `insert into "requests" …` → requests. */
function insertedTable(tx: unknown, query: unknown): string | null {
  try {
    const text = (tx as { dialect: { sqlToQuery(q: unknown): { sql: string } } }).dialect.sqlToQuery(query).sql;
    return /^insert into "([a-z_]+)"/.exec(text)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** The database with reports around transactions and bulk inserts (a Proxy; every query still runs as is). */
function reporting(db: Db): Db {
  const wrapTx = (tx: object) =>
    new Proxy(tx, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (prop !== 'execute' || typeof v !== 'function') return v;
        return (query: unknown) => {
          const table = insertedTable(target, query);
          return (v as (q: unknown) => Promise<unknown>).call(target, query).then((r) => {
            if (table) say(`DONE ${table}`);
            return r;
          });
        };
      },
    });
  return new Proxy(db, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (prop !== 'transaction') return v;
      return (cb: (tx: unknown) => Promise<unknown>, config?: unknown) =>
        (v as (cb: (tx: unknown) => Promise<unknown>, c?: unknown) => Promise<unknown>).call(target, async (tx: unknown) => {
          say('TX BEGIN');
          const out = await cb(wrapTx(tx as object));
          say('TX COMMIT');
          return out;
        }, config);
    },
  });
}

async function upload(s: Services, officer: AuthenticatedOfficer, rows: number): Promise<void> {
  const ans = await uploadTsv(s, officer, { file: { name: 'crash.tsv', bytes: issuanceFile(rows, 'CRASH') }, kind: 'issue', mode: 'abort', lang: 'ja' });
  say(`RESULT ${ans.registered}`);
}

async function workflowMode(): Promise<void> {
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL ?? null, dataDir: process.env.HAKKO_DATA_DIR!, poolSize: 2 });
  const s = uploadServices(database, { now: () => new Date() });
  (s as { db: Db }).db = reporting(s.db);
  await upload(s, JSON.parse(process.env.OFFICER!) as AuthenticatedOfficer, Number(process.env.ROWS ?? 10_000));
  await database.close();
}

async function serverMode(): Promise<void> {
  const { startServer } = await import('../../api/main.ts');
  const server = await startServer(loadConfig(process.env), silentLogger, { webRoot: null });
  (server.services as { db: Db }).db = reporting(server.services.db);
  // As api/main.ts does: SIGTERM → stop (listeners, worker, database) → exit 0.
  process.once('SIGTERM', () => {
    say('STOPPING');
    server.stop().then(() => {
      say('STOPPED');
      process.exit(0);
    }, (e: Error) => {
      say(`STOP FAILED ${e.message}`);
      process.exit(1);
    });
  });
  say('READY');
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.startsWith('UPLOAD ')) {
      upload(server.services, JSON.parse(line.slice(7)) as AuthenticatedOfficer, Number(process.env.ROWS ?? 10_000)).catch((e: Error) => say(`UPLOAD FAILED ${e.message.split('\n')[0]}`));
    }
  }
}

await (process.env.CHILD_MODE === 'server' ? serverMode() : workflowMode());

/**
 * A private PostgreSQL cluster for the fault suite: Debian's PostgreSQL binaries (initdb, pg_ctl) in a
 * temporary directory on a free loopback port, trust authentication, run as the test's own user. The
 * suite stops and starts it at will — never the shared server on 5432, which other tests use.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from './db.ts';
import { freePort } from './server.ts';

const exec = promisify(execFile);

/** PostgreSQL refuses to run as root: as root (CI containers), the binaries run as the `postgres` user. */
const asRoot = process.getuid?.() === 0;
function run(file: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  return asRoot ? exec('runuser', ['-u', 'postgres', '--', file, ...args], { env }) : exec(file, args, { env });
}
function owned(p: string): void {
  if (!asRoot) return;
  const ids = /^postgres:[^:]*:(\d+):(\d+):/m.exec(require_passwd());
  if (!ids) throw new Error('running as root, but there is no postgres user to run PostgreSQL as');
  chownSync(p, Number(ids[1]), Number(ids[2]));
}
function require_passwd(): string {
  return readFileSync('/etc/passwd', 'utf8');
}

/** The newest /usr/lib/postgresql/<version>/bin that holds initdb. */
export function postgresBin(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(path.join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions.length) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (scripts/ensure-tools.sh installs postgresql)');
  return path.join(base, versions[0]!, 'bin');
}

export interface PrivateCluster {
  readonly port: number;
  /** `postgres://…/<db>` on this cluster. */
  url(db?: string): string;
  start(): Promise<void>;
  /** `pg_ctl stop -m fast`: connections are terminated (57P01), as in a real restart. */
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startPrivateCluster(): Promise<PrivateCluster> {
  const bin = postgresBin();
  const dir = tempDir('hakko-pgcluster-');
  const data = path.join(dir, 'data');
  const port = await freePort();
  const log = path.join(dir, 'postgres.log'); // PostgreSQL's own log stays out of the scanned server logs
  owned(dir);
  writeFileSync(log, '');
  owned(log);
  await run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'], { ...process.env, LC_ALL: 'C.UTF-8' });
  const opts = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c max_connections=60`;
  const cluster: PrivateCluster = {
    port,
    url: (db = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${db}`,
    async start() {
      await run(path.join(bin, 'pg_ctl'), ['-D', data, '-l', log, '-o', opts, '-w', 'start']);
    },
    async stop() {
      await run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
    },
    async dispose() {
      await cluster.stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}

/**
 * Debian's nginx for the scale-out suite, run by the test as a child process on free loopback ports.
 * The site configuration is the one printed in docs/OPERATIONS.md (its ```nginx block), with the
 * deployment values replaced by the test's: each replaced value must be found, so a change of the
 * documented configuration either still works in the test or fails it loudly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ROOT } from './server.ts';

export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => { try { readFileSync(p); return true; } catch { return false; } }) ?? 'nginx';

/** The ```nginx block of docs/OPERATIONS.md. */
export function documentedNginxConfig(): string {
  const doc = readFileSync(path.join(ROOT, 'docs/OPERATIONS.md'), 'utf8');
  const blocks = [...doc.matchAll(/```nginx\n([\s\S]*?)```/g)];
  if (blocks.length !== 1) throw new Error(`docs/OPERATIONS.md must hold exactly one nginx block, found ${blocks.length}`);
  return blocks[0]![1]!;
}

export interface SiteValues {
  readonly upstreams: readonly [number, number];
  readonly httpPort: number;
  readonly httpsPort: number;
  readonly cert: string;
  readonly key: string;
  readonly clientCa: string;
  readonly accessLog: string;
}

/** The documented configuration with the test's ports and files. */
export function renderSite(doc: string, v: SiteValues): string {
  const replacements: [string | RegExp, string][] = [
    ['server 127.0.0.1:8080;', `server 127.0.0.1:${v.upstreams[0]};`],
    ['server 127.0.0.1:8081;', `server 127.0.0.1:${v.upstreams[1]};`],
    [/listen 80;/, `listen 127.0.0.1:${v.httpPort};`],
    [/listen 443 ssl;/, `listen 127.0.0.1:${v.httpsPort} ssl;`],
    [/\/etc\/hakko\/tls\/server\.crt/, v.cert],
    [/\/etc\/hakko\/tls\/server\.key/, v.key],
    [/\/etc\/hakko\/tls\/hakko-ca\.pem/, v.clientCa],
    [/\/var\/log\/nginx\/hakko\.access\.log/g, v.accessLog],
  ];
  let out = doc;
  for (const [from, to] of replacements) {
    const found = typeof from === 'string' ? out.includes(from) : from.test(out);
    if (!found) throw new Error(`the nginx block of docs/OPERATIONS.md no longer contains ${String(from)}`);
    if (typeof from !== 'string') from.lastIndex = 0;
    out = typeof from === 'string' ? out.replace(from, to) : out.replace(from, to);
  }
  return out;
}

export interface RunningNginx {
  readonly proc: ChildProcess;
  readonly dir: string;
  errorLog(): string;
  stop(): Promise<void>;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  });
}

/**
 * Runs nginx in the foreground with `site` inside a minimal http block whose only addition is a
 * header naming the upstream that answered (the test checks which process served a call).
 */
export async function startNginx(dir: string, site: string, waitPorts: number[]): Promise<RunningNginx> {
  mkdirSync(path.join(dir, 'tmp'), { recursive: true });
  chmodSync(dir, 0o755);
  writeFileSync(path.join(dir, 'hakko.conf'), site);
  const conf = `worker_processes 1;
error_log ${dir}/error.log info;
pid ${dir}/nginx.pid;
events { worker_connections 256; }
http {
    client_body_temp_path ${dir}/tmp/body;
    proxy_temp_path ${dir}/tmp/proxy;
    fastcgi_temp_path ${dir}/tmp/fastcgi;
    uwsgi_temp_path ${dir}/tmp/uwsgi;
    scgi_temp_path ${dir}/tmp/scgi;
    access_log off;
    add_header X-Test-Upstream $upstream_addr always;
    include ${dir}/hakko.conf;
}
`;
  writeFileSync(path.join(dir, 'nginx.conf'), conf);
  const test = spawn(NGINX, ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let testOut = '';
  test.stderr!.on('data', (d) => (testOut += d));
  const code = await new Promise<number | null>((r) => test.once('exit', r));
  if (code !== 0) throw new Error(`nginx -t failed: ${testOut}`);
  const proc = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  const end = Date.now() + 20_000;
  for (const port of waitPorts) {
    while (!(await portOpen(port))) {
      if (proc.exitCode !== null || Date.now() > end) throw new Error(`nginx did not start: ${stderr}`);
      await delay(20);
    }
  }
  return {
    proc, dir,
    errorLog: () => { try { return readFileSync(path.join(dir, 'error.log'), 'utf8'); } catch { return ''; } },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGQUIT');
      await exited;
    },
  };
}

/**
 * OCSP throughput (spec 08: ≥ 2,000 responses/s for a known serial, RFC 5019 GET, no nonce,
 * pre-signed cached responses). The server runs as its own process on PGlite; this process is the
 * client: keep-alive HTTP, CONCURRENCY requests in flight for DURATION_MS. Each answer is checked to
 * be a successful OCSP response (the first one also with `openssl ocsp -respin`).
 */
import http from 'node:http';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';

const ROOT = path.resolve(import.meta.dirname, '..');
const DURATION_MS = Number(process.env.BENCH_OCSP_MS ?? 5000);
const CONCURRENCY = 32;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

export interface BenchFigure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** At least this many per second. */
  readonly target: number;
  readonly pass: boolean;
  readonly note?: string;
}

export async function benchOcsp(opts: { quick?: boolean } = {}): Promise<BenchFigure[]> {
  const durationMs = opts.quick ? 1500 : DURATION_MS;
  const dir = mkdtempSync(path.join(tmpdir(), 'hakko-bench-ocsp-'));
  const [port, httpsPort] = [await freePort(), await freePort()];
  const env: Record<string, string | undefined> = { ...process.env, PORT: String(port), HTTPS_PORT: String(httpsPort), HAKKO_DATA_DIR: dir, HAKKO_CA_PASSPHRASE: 'bench passphrase, long enough', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.SMTP_URL;
  const child = spawn(process.execPath, [path.join(ROOT, 'api/main.ts')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('is running') && resolve());
      child.once('exit', (c) => reject(new Error(`server exited (${c})`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const issuing = await (await fetch(`${base}/pki/ca/issuing.pem`)).text();
    const health = (await (await fetch(`${base}/api/health`)).json()) as { ok: boolean };
    if (!health.ok) throw new Error('server not healthy');
    // A known serial: the TLS server certificate the issuing CA made at first start.
    const tlsPem = execFileSync('openssl', ['s_client', '-connect', `127.0.0.1:${httpsPort}`, '-servername', 'localhost'], { input: '', stdio: ['pipe', 'pipe', 'ignore'] }).toString();
    writeFileSync(path.join(dir, 'tls.pem'), /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(tlsPem)![0]);
    writeFileSync(path.join(dir, 'issuing.pem'), issuing);
    execFileSync('openssl', ['ocsp', '-issuer', path.join(dir, 'issuing.pem'), '-cert', path.join(dir, 'tls.pem'), '-no_nonce', '-reqout', path.join(dir, 'req.der')]);
    const reqPath = `/pki/ocsp/${encodeURIComponent(readFileSync(path.join(dir, 'req.der')).toString('base64'))}`;
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const get = () =>
      new Promise<Buffer>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port, path: reqPath, agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`HTTP ${res.statusCode}`))));
        }).on('error', reject);
      });
    const first = await get();
    writeFileSync(path.join(dir, 'resp.der'), first);
    const text = execFileSync('openssl', ['ocsp', '-respin', path.join(dir, 'resp.der'), '-issuer', path.join(dir, 'issuing.pem'), '-cert', path.join(dir, 'tls.pem'), '-noverify'], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    if (!/: good/.test(text)) throw new Error(`unexpected OCSP answer: ${text}`);
    for (let i = 0; i < 200; i++) await get(); // warm-up
    let done = 0;
    const end = Date.now() + durationMs;
    const loop = async () => {
      while (Date.now() < end) {
        const r = await get();
        if (r[4] !== 0x0a || r.length < 100) throw new Error('not a successful OCSP response');
        done++;
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, loop));
    const perSecond = done / ((performance.now() - t0) / 1000);
    agent.destroy();
    return [{ name: 'OCSP responses/s (RFC 5019 GET, known serial, loopback)', value: Math.round(perSecond), unit: '/s', target: 2000, pass: perSecond >= 2000, note: `${CONCURRENCY} concurrent keep-alive clients, ${durationMs / 1000} s, server in its own process` }];
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  for (const f of await benchOcsp()) console.log(`${f.name}: ${f.value}${f.unit} (target ≥ ${f.target}${f.unit}) ${f.pass ? 'PASS' : 'FAIL'} — ${f.note ?? ''}`);
}

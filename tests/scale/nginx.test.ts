/**
 * Scale-out (issue 15): two Hakko processes (`node api/main.ts`) on one PostgreSQL database behind
 * Debian's nginx, configured with the block printed in docs/OPERATIONS.md (tests/helpers/nginx.ts).
 * nginx terminates TLS with the instance's own TLS certificate, verifies officer client certificates
 * against Hakko's CA and forwards them in X-SSL-Client-Cert; the processes trust 127.0.0.1 only.
 *
 * Proved here, through nginx:
 * - an upload served by one process; the PIN retrieval and the whole pickup served by the other;
 * - the outbox with both workers running: every notice arrives at the SMTP server exactly once;
 * - a revocation in one process: the other's OCSP answer (cached, no nonce) and its CRL say revoked
 *   within 2 s (PostgreSQL NOTIFY);
 * - PIN brute force spread over both processes: the 5th wrong PIN locks, counted in the database;
 * - a client cannot forge X-SSL-Client-Cert through nginx; nginx's access log holds no token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import https from 'node:https';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createPrivateKey } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import postgres from 'postgres';
import { createPgDatabase, tempDir } from '../helpers/db.ts';
import { hakkoEnv, officerOf, startHakkoProcess, type HakkoProcess } from '../helpers/hakko-process.ts';
import { documentedNginxConfig, renderSite, startNginx, type RunningNginx } from '../helpers/nginx.ts';
import { uploadBody } from '../helpers/officer.ts';
import { keyAndCsr } from '../helpers/pickup-client.ts';
import { freePort } from '../helpers/server.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.ts';
import { linksIn, parseMail } from '../helpers/world.ts';
import { logFile, recordSecrets } from '../helpers/test-logs.ts';
import { BENCH_INSTITUTION, issuanceFile } from '../../bench/upload.ts';
import { loadConfig } from '../../api/config.ts';
import { silentLogger } from '../../api/log.ts';
import { openServices } from '../../api/runtime/bootstrap.ts';

const exec = promisify(execFile);
const ROWS = 20;

interface Answer {
  readonly status: number;
  readonly upstream: string;
  readonly text: string;
  json<T = any>(): T;
}

let dbDispose: () => Promise<void>;
let a: HakkoProcess;
let b: HakkoProcess;
let nginx: RunningNginx;
let smtp: TestSmtpServer;
let dir: string;
let httpsPort: number;
let httpPort: number;
let rootPem: string;
let issuingPem: string;
let accessLog: string;
let dbUrl: string;
let officer: { certPem: string; keyPem: string; serial: string };

/** A call through nginx's TLS listener, optionally with the officer's client certificate. */
function viaNginx(method: string, p: string, opts: { body?: Uint8Array | string; headers?: Record<string, string>; officer?: boolean } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(opts.body !== undefined && typeof opts.body === 'string' ? { 'content-type': 'application/json' } : {}), ...opts.headers };
    const req = https.request(`https://localhost:${httpsPort}${p}`, {
      method, headers, ca: rootPem, servername: 'localhost', agent: false,
      ...(opts.officer ? { cert: officer.certPem, key: officer.keyPem } : {}),
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, upstream: String(res.headers['x-test-upstream'] ?? ''), text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const portOf = (p: HakkoProcess) => `127.0.0.1:${p.env.PORT}`;
const other = (upstream: string) => (upstream === portOf(a) ? b : a);

/**
 * Makes the next call through nginx go to `target`: nginx's round robin (one worker) alternates, so
 * harmless health calls are sent until one lands on the other process.
 */
async function steerTo(target: HakkoProcess): Promise<void> {
  for (let i = 0; i < 6; i++) {
    const h = await viaNginx('GET', '/api/health');
    expect(h.status).toBe(200);
    if (h.upstream !== portOf(target)) return;
  }
  throw new Error('nginx round robin did not alternate');
}

beforeAll(async () => {
  const created = await createPgDatabase();
  dbUrl = created.url;
  dbDispose = created.dispose;
  dir = tempDir('hakko-scale-');
  [httpsPort, httpPort] = [await freePort(), await freePort()];
  smtp = await startSmtpServer();
  const shared = {
    TRUSTED_PROXIES: '127.0.0.1', SMTP_URL: smtp.url,
    PUBLIC_URL: `https://localhost:${httpsPort}`, PUBLIC_HTTPS_URL: `https://localhost:${httpsPort}`, PUBLIC_PKI_URL: `http://localhost:${httpPort}`,
  };
  const envA = await hakkoEnv({ databaseUrl: created.url, env: shared });
  const envB = await hakkoEnv({ databaseUrl: created.url, env: shared });
  a = await startHakkoProcess(envA, 'scale-a'); // creates the CA; B then starts on the same database
  b = await startHakkoProcess(envB, 'scale-b');

  // The instance's TLS certificate and key, as an operator would export them for nginx.
  const opened = await openServices(loadConfig(envA), silentLogger);
  const ca = opened.services.ca;
  const tls = ca.tlsCredentials();
  rootPem = ca.show().root.pem;
  issuingPem = ca.show().issuing.pem;
  await opened.close();
  const tlsDir = path.join(dir, 'tls');
  mkdirSync(tlsDir);
  writeFileSync(path.join(tlsDir, 'server.crt'), tls.cert);
  writeFileSync(path.join(tlsDir, 'server.key'), createPrivateKey({ key: tls.key, passphrase: tls.passphrase }).export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(path.join(tlsDir, 'hakko-ca.pem'), rootPem + issuingPem);
  writeFileSync(path.join(tlsDir, 'root.pem'), rootPem);
  writeFileSync(path.join(tlsDir, 'issuing.pem'), issuingPem);
  accessLog = logFile(`nginx-access-${process.pid}`); // in the run's log directory: scanned for tokens too
  const site = renderSite(documentedNginxConfig(), {
    upstreams: [Number(envA.PORT), Number(envB.PORT)], httpPort, httpsPort,
    cert: path.join(tlsDir, 'server.crt'), key: path.join(tlsDir, 'server.key'), clientCa: path.join(tlsDir, 'hakko-ca.pem'), accessLog,
  });
  nginx = await startNginx(path.join(dir, 'nginx'), site, [httpPort, httpsPort]);
  officer = await officerOf(a, BENCH_INSTITUTION, 'ra@bench.ac.jp');
});

afterAll(async () => {
  await nginx?.stop();
  await Promise.all([a?.kill('SIGTERM'), b?.kill('SIGTERM')]);
  await smtp?.close();
  await dbDispose?.();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('two processes behind nginx', () => {
  let pinTokens: string[] = [];
  let pickupTokens: string[] = [];
  let uploadedBy = '';

  it('ok officer login through nginx: verified client certificate forwarded; none → 401; a forged header → 401; a foreign certificate → 400 from nginx', async () => {
    const me = await viaNginx('GET', '/api/me', { officer: true });
    expect(me.status).toBe(200);
    expect(me.json()).toMatchObject({ email: 'ra@bench.ac.jp', role: 'officer' });
    expect((await viaNginx('GET', '/api/me')).status).toBe(401);
    const forged = await viaNginx('GET', '/api/me', { headers: { 'x-ssl-client-cert': encodeURIComponent(officer.certPem) } });
    expect(forged.status).toBe(401);
    // A client certificate from another CA: nginx refuses it itself (400), Hakko never sees it.
    const other = path.join(dir, 'tls', 'foreign');
    await exec('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=ra@bench.ac.jp', '-days', '1', '-keyout', `${other}.key`, '-out', `${other}.crt`]);
    const foreign = await new Promise<number>((resolve, reject) => {
      const req = https.request(`https://localhost:${httpsPort}/api/me`, { ca: rootPem, servername: 'localhost', agent: false, cert: readFileSync(`${other}.crt`), key: readFileSync(`${other}.key`) }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(foreign).toBe(400);
    // Plain HTTP serves the PKI only; the rest is sent to HTTPS.
    const crl = await fetch(`http://localhost:${httpPort}/pki/crl/issuing.crl`);
    expect(crl.status).toBe(200);
    const page = await fetch(`http://localhost:${httpPort}/api/me`, { redirect: 'manual' });
    expect(page.status).toBe(301);
  });

  it('ok upload through one process; every notice mailed exactly once with both outbox workers running', async () => {
    const body = await uploadBody({ file: { name: 'scale.tsv', bytes: issuanceFile(ROWS, 'SCALE') }, kind: 'issue', mode: 'abort', reviewed: 'true' });
    const up = await viaNginx('POST', '/api/officer/uploads', { officer: true, body: body.bytes, headers: { 'content-type': body.contentType, 'x-hakko-request': '1', origin: `https://localhost:${httpsPort}` } });
    expect(up.status, up.text).toBe(200);
    expect(up.json().registered).toBe(ROWS);
    uploadedBy = up.upstream;
    expect([portOf(a), portOf(b)]).toContain(uploadedBy);

    const db = postgres(dbUrl, { max: 1, onnotice: () => {} });
    try {
      const end = Date.now() + 60_000;
      let pending = 1;
      while (Date.now() < end) {
        pending = (await db`select count(*)::int as n from outbox where state <> 'sent'`)[0]!.n;
        if (pending === 0) break;
        await delay(50);
      }
      expect(pending).toBe(0);
      const rows = await db<{ messageId: string }[]>`select message_id as "messageId" from outbox`;
      const ids = smtp.received.map((m) => parseMail(m).messageId);
      expect(new Set(ids).size).toBe(ids.length); // none twice
      expect(new Set(ids)).toEqual(new Set(rows.map((r) => r.messageId))); // none lost
      expect(rows.length).toBeGreaterThanOrEqual(2 * ROWS);
      // Who sent what (debug log of each worker): every row by exactly one of the two processes.
      const sentBy = (p: HakkoProcess) => [...p.log().matchAll(/mail sent \{"outbox":(\d+)/g)].map((m) => m[1]!);
      const [byA, byB] = [sentBy(a), sentBy(b)];
      expect(byA.length + byB.length).toBe(rows.length);
      expect(new Set([...byA, ...byB]).size).toBe(rows.length);
      console.info(`outbox with two workers: ${rows.length} mails, ${byA.length} sent by process A, ${byB.length} by process B, each once`);
    } finally {
      await db.end();
    }
    // The upload's notices (the officer's own enrollment mail holds a pickup link too).
    const texts = smtp.received.map((m) => parseMail(m)).filter((m) => !m.to.includes('ra@bench.ac.jp')).map((m) => m.text);
    pinTokens = [...new Set(texts.flatMap((t) => linksIn(t).pin))];
    pickupTokens = [...new Set(texts.flatMap((t) => linksIn(t).pickup))];
    recordSecrets(...pinTokens, ...pickupTokens);
    expect(pinTokens.length).toBe(ROWS);
    expect(pickupTokens.length).toBe(ROWS);
  });

  let issued: { serial: string; certPem: string } | null = null;

  it('ok PIN retrieval and pickup served by the other process', async () => {
    const serving = other(uploadedBy);
    await steerTo(serving);
    const r = await viaNginx('POST', `/api/pin/${pinTokens[0]}/retrieve`);
    expect(r.status, r.text).toBe(200);
    expect(r.upstream).toBe(portOf(serving));
    const { pins } = r.json<{ pins: { pin: string; dn: string }[] }>();
    recordSecrets(...pins.map((p) => p.pin));
    const { pin, dn } = pins[0]!;
    // The pickup URL of that row: the one whose DN matches, now that its PIN is retrieved.
    let token = '';
    for (const t of pickupTokens) {
      const info = await viaNginx('GET', `/api/pickup/${t}`);
      if (info.status === 200 && info.json().rows[0].dn === dn) {
        token = t;
        break;
      }
    }
    expect(token).not.toBe('');
    const k = await keyAndCsr(dn);
    await steerTo(serving);
    const v = await viaNginx('POST', `/api/pickup/${token}/verify`, { body: JSON.stringify({ pin }) });
    expect([v.status, v.upstream]).toEqual([204, portOf(serving)]);
    await steerTo(serving);
    const c = await viaNginx('POST', `/api/pickup/${token}/csr`, { body: JSON.stringify({ pin, csr: k.csrPem }) });
    expect([c.status, c.upstream]).toEqual([201, portOf(serving)]);
    await steerTo(serving);
    const done = await viaNginx('POST', `/api/pickup/${token}/confirm`, { body: JSON.stringify({ pin }) });
    expect([done.status, done.upstream]).toEqual([204, portOf(serving)]);
    const cert = c.json().certificates[0];
    issued = { serial: cert.serial, certPem: cert.certificate };
  });

  it('ok a revocation in one process: the other\'s OCSP (cached answer) and CRL say revoked within 2 s', async () => {
    expect(issued).not.toBeNull();
    const certFile = path.join(dir, 'tls', 'leaf.pem');
    writeFileSync(certFile, issued!.certPem);
    const ocsp = async (p: HakkoProcess) => {
      const { stdout } = await exec('openssl', ['ocsp', '-issuer', path.join(dir, 'tls', 'issuing.pem'), '-cert', certFile, '-url', `${p.httpUrl}/pki/ocsp`, '-CAfile', path.join(dir, 'tls', 'root.pem'), '-no_nonce']);
      return /: (good|revoked|unknown)/.exec(stdout)?.[1];
    };
    const crlHas = async (p: HakkoProcess) => {
      const der = Buffer.from(await (await fetch(`${p.httpUrl}/pki/crl/issuing.crl`)).arrayBuffer());
      const file = path.join(dir, 'tls', `crl-${p.env.PORT}.der`);
      writeFileSync(file, der);
      const { stdout } = await exec('openssl', ['crl', '-inform', 'DER', '-in', file, '-noout', '-text']);
      return [...stdout.matchAll(/Serial Number: ([0-9A-F]+)/g)].some((m) => BigInt('0x' + m[1]) === BigInt(issued!.serial));
    };
    // Both processes have answered (and cached) "good" first.
    expect(await ocsp(a)).toBe('good');
    expect(await ocsp(b)).toBe('good');
    const revoker = a;
    const watcher = b;
    await steerTo(revoker);
    const r = await viaNginx('POST', `/api/officer/certificates/${issued!.serial}/revoke`, { officer: true, body: JSON.stringify({ reason: 1, comment: 'scale-out test' }), headers: { 'x-hakko-request': '1' } });
    const t0 = performance.now();
    expect([r.status, r.upstream], r.text).toEqual([200, portOf(revoker)]);
    let ocspMs = -1;
    let crlMs = -1;
    while (performance.now() - t0 < 5_000 && (ocspMs < 0 || crlMs < 0)) {
      if (ocspMs < 0 && (await ocsp(watcher)) === 'revoked') ocspMs = performance.now() - t0;
      if (crlMs < 0 && (await crlHas(watcher))) crlMs = performance.now() - t0;
    }
    console.info(`revocation in process ${portOf(revoker)} seen by process ${portOf(watcher)}: OCSP after ${Math.round(ocspMs)} ms, CRL after ${Math.round(crlMs)} ms`);
    expect(ocspMs).toBeGreaterThanOrEqual(0);
    expect(crlMs).toBeGreaterThanOrEqual(0);
    expect(ocspMs).toBeLessThanOrEqual(2_000);
    expect(crlMs).toBeLessThanOrEqual(2_000);
  });

  it('NG PIN brute force across both processes: the 5th wrong PIN locks the URL, whichever process counted', async () => {
    const r = await viaNginx('POST', `/api/pin/${pinTokens[1]}/retrieve`);
    expect(r.status).toBe(200);
    const { pin, dn } = r.json().pins[0];
    recordSecrets(pin);
    let token = '';
    for (const t of pickupTokens) {
      const info = await viaNginx('GET', `/api/pickup/${t}`);
      if (info.status === 200 && info.json().rows[0].dn === dn) {
        token = t;
        break;
      }
    }
    expect(token).not.toBe('');
    const wrong = pin.slice(0, -1) + (pin.endsWith('A') ? 'B' : 'A');
    // The attacker spreads the guesses over both processes and over addresses (so that no per-address
    // rate limit stops it: the processes take the client address from nginx's X-Forwarded-For).
    const guess = (p: HakkoProcess, n: number, value: string) =>
      fetch(`${p.httpUrl}/api/pickup/${token}/verify`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${n}` }, body: JSON.stringify({ pin: value }) });
    const seen: [number, number | undefined][] = [];
    for (let i = 0; i < 5; i++) {
      const v = await guess(i % 2 ? b : a, i + 1, wrong);
      seen.push([v.status, (await v.json()).attemptsLeft]);
    }
    expect(seen.map((s) => s[0])).toEqual([401, 401, 401, 401, 423]);
    expect(seen.slice(0, 4).map((s) => s[1])).toEqual([4, 3, 2, 1]);
    // Locked for both processes, also for the right PIN.
    for (const [i, p] of [a, b].entries()) {
      const v = await guess(p, 10 + i, pin);
      expect(v.status).toBe(423);
      expect((await v.json()).code).toBe('LOCKED');
    }
  });

  it('ok nginx\'s access log (the documented format) holds no token', async () => {
    await nginx.stop(); // flushes the log
    const log = readFileSync(accessLog, 'utf8');
    expect(log).toMatch(/\/api\/pickup\/:token\/verify/);
    for (const t of [...pinTokens, ...pickupTokens]) expect(log).not.toContain(t);
    expect(nginx.errorLog()).not.toMatch(/\[(emerg|alert|crit)\]/);
  });
});

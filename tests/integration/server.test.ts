/**
 * Issue 2 acceptance from outside, on PGlite and PostgreSQL: health, officer authentication by
 * client certificate (401/403/200), /api/tls/whoami, CSRF, the CLI while the server runs, restart
 * with the same root, keys encrypted at rest, secret mismatch refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { backends } from '../helpers/db.ts';
import { httpsRequest, runCli, startTestServer, type TestServer } from '../helpers/server.ts';
import { pickUp, keyAndCsr } from '../helpers/pickup-client.ts';
import { loadConfig } from '../../api/config.ts';
import { silentLogger } from '../../api/log.ts';
import { openServices } from '../../api/runtime/bootstrap.ts';

const ADD = ['institution', 'add', '--code', 'test-u', '--name-ja', 'テスト大学', '--name-en', 'Test University', '--o', 'Test University', '--l', 'Academe', '--st', 'Tokyo', '--domain', 'test-u.ac.jp'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = path.join(dir, e);
    const st = statSync(p);
    return st.isDirectory() ? filesUnder(p) : st.isFile() ? [p] : [];
  });
}

describe.each(await backends())('Hakko server on $name', (backend) => {
  let srv: TestServer;
  let officer: { certPem: string; keyPem: string; serial: string };
  let rootPem: string;

  beforeAll(async () => {
    srv = await startTestServer({ backend });
    rootPem = srv.services.ca.show().root.pem;
  });
  afterAll(async () => {
    await srv?.dispose();
  });

  it('ok: /api/health on both listeners', async () => {
    const h = await (await fetch(srv.httpUrl + '/api/health')).json();
    expect(h).toMatchObject({ ok: true, database: backend.name });
    const hs = await httpsRequest(srv.httpsUrl + '/api/health', { ca: rootPem });
    expect(hs.status).toBe(200);
  });

  it('ok: the CLI works while the server runs (socket on PGlite, direct on PostgreSQL)', async () => {
    const add = await runCli(srv.env, ADD);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    const list = await runCli(srv.env, ['institution', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ code: 'test-u', ja: 'テスト大学', st: 'Tokyo', domains: ['test-u.ac.jp'], review: 'complete', status: 'active', approvalExpires: null, whoisOrg: null, keyAlgorithm: 'RSA-2048' })]);
  });

  it('NG the CLI refuses a duplicate code and unknown options with exit 2, writing nothing', async () => {
    const dup = await runCli(srv.env, ADD);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/exists already/);
    const bad = await runCli(srv.env, ['institution', 'add', '--code', 'x', '--bogus']);
    expect(bad.code).toBe(2);
    const date = await runCli(srv.env, [...ADD.slice(0, 3), 'date-u', ...ADD.slice(4), '--approval-expires', '2026-13-01']);
    expect(date.code).toBe(2);
    const list = await runCli(srv.env, ['institution', 'list', '--json']);
    expect(JSON.parse(list.stdout).map((i: { code: string }) => i.code)).toEqual(['test-u']);
  });

  it('ok: officer enrollment → pickup → client certificate; /api/me answers for it', async () => {
    const e = await runCli(srv.env, ['officer', 'enroll', '--institution', 'test-u', '--name', '山田 花子', '--email', 'hanako@test-u.ac.jp', '--json']);
    expect(e.code).toBe(0);
    const { url, pin } = JSON.parse(e.stdout);
    officer = await pickUp(srv.httpUrl, url, pin, 'CN=ignored');
    const cert = new X509Certificate(officer.certPem);
    expect(cert.subject).toContain('CN=hanako@test-u.ac.jp');
    expect(cert.subject).toContain('OU=Registration Officer');
    const me = await httpsRequest(srv.httpsUrl + '/api/me', { cert: officer.certPem, key: officer.keyPem, ca: rootPem });
    expect(me.status).toBe(200);
    expect(me.json()).toEqual({ name: '山田 花子', email: 'hanako@test-u.ac.jp', role: 'officer', institution: { code: 'test-u', ja: 'テスト大学', en: 'Test University' } });
  });

  it('NG /api/me without a certificate → 401 NO_CERTIFICATE; with a foreign one → 403 NOT_AN_OFFICER', async () => {
    const none = await httpsRequest(srv.httpsUrl + '/api/me', { ca: rootPem });
    expect(none.status).toBe(401);
    expect(none.json().code).toBe('NO_CERTIFICATE');
    // A self-signed certificate the server did not issue.
    const x509 = await import('@peculiar/x509');
    const k = await keyAndCsr('CN=mallory');
    const self = await x509.X509CertificateGenerator.createSelfSigned({ name: 'CN=mallory', keys: k.keys, notBefore: new Date(Date.now() - 1000), notAfter: new Date(Date.now() + 86_400_000), signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } });
    const foreign = await httpsRequest(srv.httpsUrl + '/api/me', { cert: self.toString('pem'), key: k.keyPem, ca: rootPem });
    expect(foreign.status).toBe(403);
    expect(foreign.json().code).toBe('NOT_AN_OFFICER');
    expect(foreign.json().reason).toBe('foreign');
    const who = await httpsRequest(srv.httpsUrl + '/api/tls/whoami', { cert: self.toString('pem'), key: k.keyPem, ca: rootPem });
    expect(who.json()).toMatchObject({ issuedByHakko: false });
  });

  it('ok: /api/tls/whoami for a Hakko certificate; 401 without one', async () => {
    const who = await httpsRequest(srv.httpsUrl + '/api/tls/whoami', { cert: officer.certPem, key: officer.keyPem, ca: rootPem });
    expect(who.status).toBe(200);
    expect(who.json()).toMatchObject({ serial: officer.serial, issuedByHakko: true, state: 'valid' });
    expect(who.json().subject).toContain('CN=hanako@test-u.ac.jp');
    expect((await httpsRequest(srv.httpsUrl + '/api/tls/whoami', { ca: rootPem })).status).toBe(401);
  });

  it('NG state-changing officer call without X-Hakko-Request or from a foreign Origin → 403 CSRF', async () => {
    const auth = { cert: officer.certPem, key: officer.keyPem, ca: rootPem };
    const noHeader = await httpsRequest(srv.httpsUrl + '/api/officer/anything', { ...auth, method: 'POST', body: '{}' });
    expect(noHeader.status).toBe(403);
    expect(noHeader.json().code).toBe('CSRF');
    const foreign = await httpsRequest(srv.httpsUrl + '/api/officer/anything', { ...auth, method: 'POST', body: '{}', headers: { 'x-hakko-request': '1', origin: 'https://evil.example' } });
    expect(foreign.json().code).toBe('CSRF');
    const ok = await httpsRequest(srv.httpsUrl + '/api/officer/anything', { ...auth, method: 'POST', body: '{}', headers: { 'x-hakko-request': '1', origin: srv.services.config.publicHttpsUrl } });
    expect(ok.status).toBe(404);
  });

  it('NG a revoked officer is refused (403)', async () => {
    const r = await runCli(srv.env, ['officer', 'revoke', 'hanako@test-u.ac.jp']);
    expect(r.code).toBe(0);
    const me = await httpsRequest(srv.httpsUrl + '/api/me', { cert: officer.certPem, key: officer.keyPem, ca: rootPem });
    expect(me.status).toBe(403);
  });

  it('ok: restart keeps the root and the data; keys are encrypted at rest', async () => {
    const before = JSON.parse((await runCli(srv.env, ['ca', 'show', '--json'])).stdout);
    srv = await srv.restart();
    const after = JSON.parse((await runCli(srv.env, ['ca', 'show', '--json'])).stdout);
    expect(after.root.sha256).toBe(before.root.sha256);
    expect(after.issuing.sha256).toBe(before.issuing.sha256);
    expect(JSON.parse((await runCli(srv.env, ['institution', 'list', '--json'])).stdout)).toHaveLength(1);
    for (const f of filesUnder(srv.dataDir)) {
      const bytes = readFileSync(f);
      expect(bytes.includes(Buffer.from('PRIVATE KEY-----')) && !bytes.includes(Buffer.from('ENCRYPTED PRIVATE KEY')), f).toBe(false);
    }
    const rows = await srv.services.db.execute(sql`select name, encrypted_key from ca_entities`);
    const list = ((rows as unknown as { rows?: unknown[] }).rows ?? rows) as { name: string; encrypted_key: Uint8Array }[];
    expect(list.map((r) => r.name).sort()).toEqual(['issuing', 'mail', 'ocsp', 'root', 'tls']);
    for (const r of list) {
      // EncryptedPrivateKeyInfo starts SEQUENCE { SEQUENCE { OID 1.2.840.113549.1.5.13 (PBES2) …
      expect(Buffer.from(r.encrypted_key).includes(Buffer.from('06092a864886f70d01050d', 'hex')), r.name).toBe(true);
    }
  });

  it('NG a second server on the same PGlite data directory refuses to start (E_LOCKED)', async () => {
    if (backend.name !== 'pglite') return expect(backend.name).toBe('postgres');
    const { startServer } = await import('../../api/main.ts');
    await expect(startServer(loadConfig({ ...srv.env, PORT: '0', HTTPS_PORT: '0' }), silentLogger, { webRoot: null })).rejects.toMatchObject({ code: 'E_LOCKED' });
  });

  it('NG a process with another HAKKO_CA_PASSPHRASE refuses to start (E_SECRET_MISMATCH)', async () => {
    if (backend.name === 'pglite') await srv.stop();
    const config = loadConfig({ ...srv.env, HAKKO_CA_PASSPHRASE: 'another secret, long enough' });
    await expect(openServices(config, silentLogger)).rejects.toMatchObject({ code: 'E_SECRET_MISMATCH' });
  });
});

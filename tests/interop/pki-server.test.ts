/**
 * Issue 4 from outside, with the real tools against the running server: an issued client certificate
 * chains to the root (`openssl verify`), OCSP says good → revoked after a revocation → unknown for a
 * foreign serial (`openssl ocsp -url`), the CRL verifies and `openssl verify -crl_check` reports the
 * revoked certificate, and curl with the issued P12 completes a mutual-TLS handshake.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { outbox } from '../../db/schema/index.ts';
import { encodeTsv } from '../../api/domain/tsv/codec.ts';
import { unsealDeep } from '../../api/secrets/sealed.ts';
import { tempDir } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addTestInstitution, enrollTestOfficer, officerRequest, uploadViaApi, type OfficerCredentials } from '../helpers/officer.ts';
import { api, pickUp } from '../helpers/pickup-client.ts';

const sh = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });
/** For tools that talk to the server: it runs in this process, so a synchronous spawn would deadlock. */
function run(cmd: string, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: 'utf8' }, (err, stdout, stderr) => resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

describe('PKI against the running server (openssl, curl)', () => {
  let srv: TestServer;
  let officer: OfficerCredentials;
  let dir: string;
  let user: { certPem: string; keyPem: string; serial: string };
  const f = (name: string) => path.join(dir, name);

  beforeAll(async () => {
    srv = await startTestServer();
    dir = tempDir('hakko-pki-');
    await addTestInstitution(srv);
    officer = await enrollTestOfficer(srv, 'sample-u');
    const row = ['CN=Taro Yamada,OU=s1234567,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP', '5', '3', '', '', '', '', '管理 花子', '情報基盤センター', 'admin@sample.ac.jp', '山田 太郎', '', '工学部', 'taro@sample.ac.jp', ''];
    const up = await uploadViaApi(srv, officer, { file: { name: 'issue.tsv', bytes: encodeTsv([row]) }, kind: 'issue', mode: 'abort', reviewed: 'true' });
    expect(up.status).toBe(200);
    const mails = await srv.services.db.select().from(outbox).where(eq(outbox.kind, 'pin-notice')).orderBy(asc(outbox.id));
    const open = <T>(v: unknown) => unsealDeep(srv.services.keys.pinEnc, v) as T;
    const pinUrl = open<{ pinUrl: string }>(mails.at(-1)!.data).pinUrl;
    const pickupUrl = open<{ pickupUrl: string }>((await srv.services.db.select().from(outbox).where(eq(outbox.kind, 'pickup-notice'))).at(-1)!.data).pickupUrl;
    const got = await api(srv.httpUrl, 'POST', `/api/pin/${pinUrl.split('/').pop()}/retrieve`);
    expect(got.status).toBe(200);
    user = await pickUp(srv.httpUrl, pickupUrl, got.json.pins[0].pin, 'CN=Taro Yamada');
    const show = srv.services.ca.show();
    writeFileSync(f('root.pem'), show.root.pem);
    writeFileSync(f('issuing.pem'), show.issuing.pem);
    writeFileSync(f('chain.pem'), show.issuing.pem + show.root.pem);
    writeFileSync(f('user.pem'), user.certPem);
    writeFileSync(f('user.key'), user.keyPem);
  });
  afterAll(async () => {
    await srv?.dispose();
  });

  it('ok: openssl verify chains the issued certificate to the root; the subject is the TSV DN', () => {
    const r = sh('openssl', ['verify', '-CAfile', f('root.pem'), '-untrusted', f('issuing.pem'), f('user.pem')]);
    expect(r.stdout.trim()).toBe(`${f('user.pem')}: OK`);
    const subj = sh('openssl', ['x509', '-in', f('user.pem'), '-noout', '-subject', '-nameopt', 'RFC2253']).stdout.trim();
    expect(subj).toBe('subject=CN=Taro Yamada,OU=s1234567,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP');
  });

  it('ok: curl with the issued P12 completes a mutual-TLS handshake (/api/tls/whoami)', async () => {
    execFileSync('openssl', ['pkcs12', '-export', '-in', f('user.pem'), '-inkey', f('user.key'), '-certfile', f('issuing.pem'), '-out', f('user.p12'), '-passout', 'pass:Secret-123']);
    const url = `https://localhost:${new URL(srv.httpsUrl).port}/api/tls/whoami`;
    const r = await run('curl', ['-s', '--cacert', f('root.pem'), '--resolve', `localhost:${new URL(srv.httpsUrl).port}:127.0.0.1`, '--cert-type', 'P12', '--cert', `${f('user.p12')}:Secret-123`, url]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ issuedByHakko: true, state: 'valid', serial: user.serial });
  });

  const ocsp = (args: string[]) => run('openssl', ['ocsp', '-issuer', f('issuing.pem'), ...args, '-url', `${srv.httpUrl}/pki/ocsp`, '-CAfile', f('root.pem')]);

  it('ok: OCSP good for the issued certificate, unknown for a foreign serial', async () => {
    const good = await ocsp(['-cert', f('user.pem')]);
    expect(good.stderr).toContain('Response verify OK');
    expect(good.stdout).toContain(`${f('user.pem')}: good`);
    const unknown = await ocsp(['-serial', '0x7fedcba987654321']);
    expect(unknown.stderr).toContain('Response verify OK');
    expect(unknown.stdout).toContain('unknown');
  });

  it('ok: after revocation the CRL is re-issued within a second and lists it; OCSP says revoked', async () => {
    const before = Buffer.from(await (await fetch(`${srv.httpUrl}/pki/crl/issuing.crl`)).arrayBuffer());
    writeFileSync(f('before.crl'), before);
    const number = (file: string) => sh('openssl', ['crl', '-inform', 'DER', '-in', file, '-noout', '-crlnumber']).stdout.trim();
    const rev = await officerRequest(srv, officer, 'POST', `/api/officer/certificates/${user.serial}/revoke`, { bytes: Buffer.from(JSON.stringify({ reason: 1, comment: 'lost laptop' })), contentType: 'application/json' });
    expect(rev.status).toBe(200);
    expect(rev.json()).toMatchObject({ serial: user.serial, state: 'revoked', reason: 1 });
    const revokedAt = Date.now();
    const hex = BigInt(user.serial).toString(16).toUpperCase();
    let text = '';
    while (Date.now() - revokedAt < 1000) {
      writeFileSync(f('after.crl'), Buffer.from(await (await fetch(`${srv.httpUrl}/pki/crl/issuing.crl`)).arrayBuffer()));
      text = sh('openssl', ['crl', '-inform', 'DER', '-in', f('after.crl'), '-noout', '-text']).stdout;
      if (text.includes(hex)) break;
    }
    expect(text).toContain(hex);
    expect(text).toContain('Key Compromise');
    expect(BigInt(number(f('after.crl')).split('=')[1]!)).toBeGreaterThan(BigInt(number(f('before.crl')).split('=')[1]!));
    const v = sh('openssl', ['crl', '-inform', 'DER', '-in', f('after.crl'), '-CAfile', f('chain.pem'), '-noout', '-verify']);
    expect(v.stderr + v.stdout).toContain('verify OK');
    execFileSync('openssl', ['crl', '-inform', 'DER', '-in', f('after.crl'), '-out', f('after.crl.pem')]);
    const chk = sh('openssl', ['verify', '-crl_check', '-CAfile', f('root.pem'), '-untrusted', f('issuing.pem'), '-CRLfile', f('after.crl.pem'), f('user.pem')]);
    expect(chk.status).not.toBe(0);
    expect(chk.stdout + chk.stderr).toContain('certificate revoked');
    const revoked = await ocsp(['-cert', f('user.pem')]);
    expect(revoked.stderr).toContain('Response verify OK');
    expect(revoked.stdout).toMatch(/: revoked[\s\S]*Reason: keyCompromise/);
    const again = await officerRequest(srv, officer, 'POST', `/api/officer/certificates/${user.serial}/revoke`, { bytes: Buffer.from('{"reason":0}'), contentType: 'application/json' });
    expect(again.status).toBe(409);
    expect(again.json().code).toBe('ALREADY_REVOKED');
  });

  it('ok: issuer certificates and the PEM CRL are served at their fixed URLs', async () => {
    const root = Buffer.from(await (await fetch(`${srv.httpUrl}/pki/ca/root.crt`)).arrayBuffer());
    writeFileSync(f('root.der'), root);
    expect(sh('openssl', ['x509', '-inform', 'DER', '-in', f('root.der'), '-noout', '-fingerprint', '-sha256']).stdout.replace(/[:\s]/g, '').toLowerCase()).toContain(srv.services.ca.show().root.sha256);
    const pem = await (await fetch(`${srv.httpUrl}/pki/crl/root.pem`)).text();
    expect(pem).toMatch(/^-----BEGIN X509 CRL-----/);
    writeFileSync(f('root.crl.pem'), pem);
    const v = sh('openssl', ['crl', '-in', f('root.crl.pem'), '-CAfile', f('root.pem'), '-noout', '-verify']);
    expect(v.stderr + v.stdout).toContain('verify OK');
  });
});

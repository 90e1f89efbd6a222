/**
 * An operator's own root CA (spec 03 §Hierarchy: "created on first start … or imported by the
 * operator"): HAKKO_ROOT_CERT_FILE + HAKKO_ROOT_KEY_FILE at first start. The issuing CA is signed by
 * it, what Hakko issues verifies up to it with openssl, and the stored root stays across restarts.
 * Anything that is not a usable root is refused at start with a coded one-line reason.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import crypto from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { backends, tempDir } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addTestInstitution, enrollTestOfficer, SAMPLE_INSTITUTION } from '../helpers/officer.ts';

const run = promisify(execFile);
const dir = tempDir('hakko-root-');
const file = (name: string) => path.join(dir, name);
const CA_EXT = 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash';

/** A self-signed certificate and key made by openssl (`ext`: its v3 extensions; `pass`: encrypt the key). */
async function opensslRoot(name: string, opts: { key?: readonly string[]; ext?: string; pass?: string } = {}): Promise<{ cert: string; key: string }> {
  const cnf = file(`${name}.cnf`);
  writeFileSync(cnf, `[req]\ndistinguished_name=dn\nx509_extensions=v3\n[dn]\n[v3]\n${opts.ext ?? CA_EXT}\n`);
  const cert = file(`${name}.pem`);
  const key = file(`${name}.key`);
  const keyOpts = opts.pass ? ['-passout', `pass:${opts.pass}`] : ['-noenc'];
  await run('openssl', ['req', '-x509', '-newkey', ...(opts.key ?? ['rsa:3072']), ...keyOpts, '-keyout', key, '-out', cert, '-days', '3650', '-subj', `/C=JP/O=Example University/CN=${name}`, '-config', cnf]);
  return { cert, key };
}

const sha256 = (pemFile: string) => new crypto.X509Certificate(readFileSync(pemFile)).fingerprint256.replace(/:/g, '').toLowerCase();

describe.each(await backends())('root CA imported at first start on $name', (backend) => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.dispose().catch(() => {});
  });

  it('ok an encrypted RSA-3072 root: issuing CA under it, officer certificate verifies with openssl up to it, kept across restarts; another root file is refused later', async () => {
    const root = await opensslRoot('University Root', { pass: 'root pass' });
    let srv = await startTestServer({ backend, env: { HAKKO_ROOT_CERT_FILE: root.cert, HAKKO_ROOT_KEY_FILE: root.key, HAKKO_ROOT_KEY_PASSPHRASE: 'root pass' } });
    servers.push(srv);
    expect(srv.services.ca.show().root.sha256).toBe(sha256(root.cert));
    expect(new crypto.X509Certificate(srv.services.ca.issuingDer).verify(new crypto.X509Certificate(readFileSync(root.cert)).publicKey)).toBe(true);

    await addTestInstitution(srv);
    const officer = await enrollTestOfficer(srv, SAMPLE_INSTITUTION.code);
    writeFileSync(file('officer.pem'), officer.certPem);
    writeFileSync(file('issuing.pem'), srv.services.ca.show().issuing.pem);
    const { stdout } = await run('openssl', ['verify', '-CAfile', root.cert, '-untrusted', file('issuing.pem'), file('officer.pem')]);
    expect(stdout.trim()).toBe(`${file('officer.pem')}: OK`);
    // What the server serves as its root is the operator's certificate.
    const served = Buffer.from(await (await fetch(`${srv.httpUrl}/pki/ca/root.crt`)).arrayBuffer());
    expect(crypto.createHash('sha256').update(served).digest('hex')).toBe(sha256(root.cert));

    // Later starts: without the variables the stored root stays; with another root they are refused.
    for (const k of ['HAKKO_ROOT_CERT_FILE', 'HAKKO_ROOT_KEY_FILE', 'HAKKO_ROOT_KEY_PASSPHRASE']) delete srv.env[k];
    srv = await srv.restart();
    servers.push(srv);
    expect(srv.services.ca.show().root.sha256).toBe(sha256(root.cert));
    const other = await opensslRoot('Another Root');
    Object.assign(srv.env, { HAKKO_ROOT_CERT_FILE: other.cert, HAKKO_ROOT_KEY_FILE: other.key });
    const restarted = srv.restart();
    await expect(restarted).rejects.toMatchObject({ code: 'E_CA_KEY_MISMATCH' });
  }, 120_000);

  it('ok a P-384 root', async () => {
    const root = await opensslRoot('EC Root', { key: ['ec', '-pkeyopt', 'ec_paramgen_curve:P-384'] });
    const srv = await startTestServer({ backend, env: { HAKKO_ROOT_CERT_FILE: root.cert, HAKKO_ROOT_KEY_FILE: root.key } });
    servers.push(srv);
    expect(srv.services.ca.show().root.sha256).toBe(sha256(root.cert));
    expect(new crypto.X509Certificate(srv.services.ca.issuingDer).verify(new crypto.X509Certificate(readFileSync(root.cert)).publicKey)).toBe(true);
  }, 120_000);

  it.each([
    ['a certificate that is not a CA', { ext: 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature' }, 'E_BAD_INPUT', /not a CA certificate/],
    ['a CA without cRLSign', { ext: 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign' }, 'E_BAD_INPUT', /keyCertSign and cRLSign/],
    ['an RSA-2048 root', { key: ['rsa:2048'] }, 'E_KEY_ALGORITHM', /RSA 3072–4096 or EC P-384, not RSA-2048/],
  ] as const)('NG %s → refused at start', async (_what, opts, code, message) => {
    const root = await opensslRoot(`bad-${code}-${Math.random().toString(36).slice(2)}`, opts);
    await expect(startTestServer({ backend, env: { HAKKO_ROOT_CERT_FILE: root.cert, HAKKO_ROOT_KEY_FILE: root.key } })).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
  }, 60_000);

  it('NG a key that is not the certificate\'s, and an encrypted key without its passphrase', async () => {
    const a = await opensslRoot('Root A');
    const b = await opensslRoot('Root B', { pass: 'secret b' });
    await expect(startTestServer({ backend, env: { HAKKO_ROOT_CERT_FILE: a.cert, HAKKO_ROOT_KEY_FILE: b.key, HAKKO_ROOT_KEY_PASSPHRASE: 'secret b' } }))
      .rejects.toMatchObject({ code: 'E_CA_KEY_MISMATCH', message: expect.stringMatching(/not the private key/) });
    await expect(startTestServer({ backend, env: { HAKKO_ROOT_CERT_FILE: b.cert, HAKKO_ROOT_KEY_FILE: b.key } }))
      .rejects.toMatchObject({ code: 'E_ROOT_IMPORT', message: expect.stringMatching(/HAKKO_ROOT_KEY_PASSPHRASE/) });
  }, 60_000);
});

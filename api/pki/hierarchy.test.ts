import crypto from 'node:crypto';
import https from 'node:https';
import tls from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { loadOrCreateCa, MemoryCaKeyStore, newPolicyArc, type Ca, type CaOptions } from './hierarchy.ts';
import { parseDer } from './asn1.ts';
import { TEST_CA_OPTIONS } from '../../tests/helpers/pki.ts';

const T0 = new Date('2026-04-01T00:00:00Z');
const clockAt = (d: Date) => ({ now: () => d });
const opts = (over: Partial<CaOptions> = {}): CaOptions => ({ ...TEST_CA_OPTIONS, clock: clockAt(T0), ...over });
const DAY = 86_400_000;

let store: MemoryCaKeyStore;
let ca: Ca;
const issued: string[] = [];
beforeAll(async () => {
  store = new MemoryCaKeyStore();
  ca = await loadOrCreateCa(store, opts({ onIssued: (name) => void issued.push(name) }));
});

const sha = (name: 'root' | 'issuing' | 'ocsp' | 'mail' | 'tls', c: Ca) => c.show()[name].sha256;
const x509 = (pem: string) => new crypto.X509Certificate(pem);

describe('CA hierarchy (spec 03 §Hierarchy)', () => {
  it('ok: first start creates root, issuing, OCSP, mail and TLS certificates', () => {
    expect(issued).toEqual(['root', 'issuing', 'ocsp', 'mail', 'tls']);
    const show = ca.show();
    expect(Object.keys(show)).toEqual(['root', 'issuing', 'ocsp', 'mail', 'tls']);
    for (const e of Object.values(show)) {
      expect(Object.keys(e)).toEqual(['subject', 'sha256', 'pem']);
      expect(e.sha256).toBe(crypto.createHash('sha256').update(x509(e.pem).raw).digest('hex'));
    }
    expect(show.root.subject).toBe('CN=Hakko Root CA,O=Hakko Test CA,C=JP');
    expect(show.issuing.subject).toBe('CN=Hakko Client CA,O=Hakko Test CA,C=JP');
    expect(show.ocsp.subject).toBe('CN=Hakko OCSP Responder,O=Hakko Test CA,C=JP');
    expect(show.mail.subject).toBe('CN=hakko@localhost');
    expect(show.tls.subject).toBe('CN=localhost,O=Hakko Test CA,C=JP');
  });
  it('ok: root RSA-3072 20 years, issuing RSA-2048 10 years with pathLen 0, OCSP 30 days', () => {
    const root = x509(ca.show().root.pem);
    const issuing = x509(ca.show().issuing.pem);
    const ocsp = x509(ca.show().ocsp.pem);
    expect(root.publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(issuing.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(root.validToDate.getUTCFullYear() - root.validFromDate.getUTCFullYear()).toBe(20);
    expect(issuing.validToDate.getUTCFullYear() - issuing.validFromDate.getUTCFullYear()).toBe(10);
    expect(ocsp.validToDate.getTime() - ocsp.validFromDate.getTime()).toBe(30 * DAY);
    expect(root.verify(root.publicKey) && issuing.verify(root.publicKey) && ocsp.verify(issuing.publicKey)).toBe(true);
    expect(root.ca && issuing.ca && !ocsp.ca).toBe(true);
    expect(ocsp.keyUsage).toEqual(['1.3.6.1.5.5.7.3.9']);
    expect(x509(ca.show().tls.pem).subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(x509(ca.show().mail.pem).subjectAltName).toBe('email:hakko@localhost');
  });
  it('ok: every stored key is a PKCS#8 EncryptedPrivateKeyInfo (PBES2, AES-256-CBC), never clear', () => {
    for (const [name, rec] of store.records) {
      // EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm AlgorithmIdentifier, encryptedData OCTET STRING }
      const [alg, data] = (parseDer(rec.encryptedKey!, name) as asn1js.Sequence).valueBlock.value;
      const algorithm = new pkijs.AlgorithmIdentifier({ schema: alg });
      expect(algorithm.algorithmId, name).toBe('1.2.840.113549.1.5.13'); // PBES2
      const params = new pkijs.PBES2Params({ schema: algorithm.algorithmParams });
      expect(params.encryptionScheme.algorithmId, name).toBe('2.16.840.1.101.3.4.1.42'); // aes256-CBC
      expect(data).toBeInstanceOf(asn1js.OctetString);
      expect(() => crypto.createPrivateKey({ key: Buffer.from(rec.encryptedKey!), format: 'der', type: 'pkcs8' }), name).toThrow();
    }
    expect(ca.tlsCredentials().key).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
  });
  it('ok: a restart reuses everything (same fingerprints, nothing issued)', async () => {
    const again: string[] = [];
    const ca2 = await loadOrCreateCa(store, opts({ onIssued: (n) => void again.push(n) }));
    expect(again).toEqual([]);
    expect(ca2.show()).toEqual(ca.show());
    expect(ca2.policyArc).toBe(ca.policyArc);
    expect(ca2.policyArc).toMatch(/^2\.25\.\d+$/);
  });
  it('NG a different passphrase refuses to start with CA_PASSPHRASE_MISMATCH naming HAKKO_CA_PASSPHRASE', async () => {
    await expect(loadOrCreateCa(store, opts({ passphrase: 'other' }))).rejects.toThrow(/CA_PASSPHRASE_MISMATCH: HAKKO_CA_PASSPHRASE/);
    await expect(loadOrCreateCa(new MemoryCaKeyStore(), opts({ passphrase: '' }))).rejects.toThrow(/CA_PASSPHRASE_MISSING/);
  });
  it('ok: MAIL_FROM changed → only the mail signer is re-issued', async () => {
    const s = copy(store);
    const ca2 = await loadOrCreateCa(s, opts({ mailFrom: 'notice@example.ac.jp' }));
    expect(sha('mail', ca2)).not.toBe(sha('mail', ca));
    for (const n of ['root', 'issuing', 'ocsp', 'tls'] as const) expect(sha(n, ca2)).toBe(sha(n, ca));
    expect(x509(ca2.show().mail.pem).subjectAltName).toBe('email:notice@example.ac.jp');
  });
  it('ok: PUBLIC_URL / PUBLIC_HTTPS_URL hosts changed → only the TLS certificate is re-issued', async () => {
    const s = copy(store);
    const ca2 = await loadOrCreateCa(s, opts({ publicUrl: 'https://hakko.example.ac.jp', publicHttpsUrl: 'https://dash.example.ac.jp:8443' }));
    expect(sha('tls', ca2)).not.toBe(sha('tls', ca));
    expect(sha('mail', ca2)).toBe(sha('mail', ca));
    const t = x509(ca2.show().tls.pem);
    expect(t.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:hakko.example.ac.jp, DNS:dash.example.ac.jp');
    expect(t.subject).toContain('CN=dash.example.ac.jp');
    // and back again on the next start with the old names
    expect(sha('tls', await loadOrCreateCa(s, opts()))).not.toBe(sha('tls', ca2));
  });
  it('ok: ensureFresh renews the OCSP responder when < 1/3 of its 30 days is left', async () => {
    const s = copy(store);
    const now = { t: T0 };
    const ca2 = await loadOrCreateCa(s, opts({ clock: { now: () => now.t } }));
    expect(await ca2.ensureFresh(new Date(T0.getTime() + 15 * DAY))).toEqual([]);
    const before = ca2.signers.ocsp;
    expect(await ca2.ensureFresh(new Date(T0.getTime() + 21 * DAY))).toEqual(['ocsp']);
    expect(ca2.signers.ocsp).not.toBe(before);
    // the new certificate starts one hour before "now" (clock skew allowance)
    expect(x509(ca2.show().ocsp.pem).validFromDate.getTime()).toBe(T0.getTime() + 21 * DAY - 3600_000);
    // another process that restarts later adopts the stored renewal instead of renewing again
    const issuedLater: string[] = [];
    const ca3 = await loadOrCreateCa(s, opts({ clock: clockAt(new Date(T0.getTime() + 22 * DAY)), onIssued: (n) => void issuedLater.push(n) }));
    expect(issuedLater).toEqual([]);
    expect(sha('ocsp', ca3)).toBe(sha('ocsp', ca2));
  });
  it('ok: a configured policy arc wins; newPolicyArc makes a version-4 UUID integer', async () => {
    const ca2 = await loadOrCreateCa(copy(store), opts({ policyArc: '1.3.6.1.4.1.99999.1' }));
    expect(ca2.policyArc).toBe('1.3.6.1.4.1.99999.1');
    expect(newPolicyArc(() => Uint8Array.from({ length: 16 }, (_, i) => i))).toBe('2.25.5233100606545046729231089879813647');
    await expect(loadOrCreateCa(copy(store), opts({ policyArc: '2.25.x' }))).rejects.toThrow(/BAD_INPUT/);
  });
  it('NG a key that does not belong to its certificate → CA_KEY_MISMATCH', async () => {
    const s = copy(store);
    s.records.set('tls', { ...s.records.get('tls')!, encryptedKey: s.records.get('mail')!.encryptedKey });
    await expect(loadOrCreateCa(s, opts())).rejects.toThrow(/CA_KEY_MISMATCH/);
  });
  it('ok: an offline root (no key in the store) still loads; the root signer is unavailable', async () => {
    const s = copy(store);
    s.records.set('root', { ...s.records.get('root')!, encryptedKey: null });
    const ca2 = await loadOrCreateCa(s, opts());
    expect(ca2.rootIssuer).toBe(null);
    expect(() => ca2.signers.root).toThrow(/CA_KEY_MISMATCH/);
    expect(ca2.signers.issuing.name).toBe('issuing');
  });
  it('ok: tlsCredentials serve HTTPS that a client trusting only the root accepts for localhost', async () => {
    const server = https.createServer(ca.tlsCredentials(), (_q, r) => r.end('hi'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const peer = await new Promise<tls.PeerCertificate>((resolve, reject) => {
        const s = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: ca.show().root.pem }, () => {
          resolve(s.getPeerCertificate());
          s.end();
        });
        s.on('error', reject);
      });
      expect(peer.subject.CN).toBe('localhost');
    } finally {
      server.close();
    }
  });
});

function copy(s: MemoryCaKeyStore): MemoryCaKeyStore {
  const c = new MemoryCaKeyStore();
  for (const [k, v] of s.records) c.records.set(k, v);
  return c;
}

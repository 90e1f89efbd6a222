/**
 * /pki over HTTP against the running server on the real clock (spec 03 §Revocation status): media
 * types of CA certificates, CRLs and OCSP; RFC 5019 §6.2 caching headers (and an ETag) on pre-signed
 * OCSP answers and none that let a cache keep a nonce'd one; a burst of officer revocations reaches
 * the CRL without post-dating it (`openssl verify -crl_check` says "certificate revoked", never "CRL
 * is not yet valid"); and the revoke API answers 404 for an unknown serial and for another
 * institution's certificate (spec 06 §API).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addTestInstitution, enrollTestOfficer, officerRequest, SAMPLE_INSTITUTION, type OfficerCredentials, type TestInstitution } from '../helpers/officer.ts';
import { issueCertificates, type IssuedCertificate } from '../helpers/issued.ts';
import { crlInfo, ocspTimes } from '../helpers/pki-parse.ts';
import { openssl, runAsync, tempDir } from '../helpers/pki.ts';

const OTHER: TestInstitution = { code: 'other-u', ja: '他大学', en: 'Other University', o: 'Other University', l: 'Chiyoda-ku', st: 'Tokyo', domains: ['other.ac.jp'] };

describe('/pki over HTTP and the revoke API against the running server', () => {
  let srv: TestServer;
  let officer: OfficerCredentials;
  let otherOfficer: OfficerCredentials;
  let certs: IssuedCertificate[];
  let otherCert: IssuedCertificate;
  const tmp = tempDir('hakko-pki-http-');

  beforeAll(async () => {
    srv = await startTestServer({ env: { TRUSTED_PROXIES: '127.0.0.1' } });
    await addTestInstitution(srv);
    await addTestInstitution(srv, OTHER);
    officer = await enrollTestOfficer(srv, SAMPLE_INSTITUTION.code);
    otherOfficer = await enrollTestOfficer(srv, OTHER.code);
    certs = await issueCertificates(srv, officer, 5);
    [otherCert] = await issueCertificates(srv, otherOfficer, 1, OTHER);
    const show = srv.services.ca.show();
    tmp.file('root.pem', show.root.pem);
    tmp.file('issuing.pem', show.issuing.pem);
    certs.forEach((c, i) => tmp.file(`user${i}.pem`, c.certPem));
  });
  afterAll(async () => {
    await srv?.dispose();
    tmp.cleanup();
  });

  const revoke = (o: OfficerCredentials, serial: string, reason = 1) =>
    officerRequest(srv, o, 'POST', `/api/officer/certificates/${serial}/revoke`, { bytes: Buffer.from(JSON.stringify({ reason })), contentType: 'application/json' });
  /** A DER OCSPRequest for user `i`'s certificate, made by openssl (a file, no server involved). */
  const ocspRequest = (i: number, nonce: boolean) => {
    const out = tmp.path(`req${i}${nonce ? '-nonce' : ''}.der`);
    const r = openssl(['ocsp', '-issuer', tmp.path('issuing.pem'), '-cert', tmp.path(`user${i}.pem`), nonce ? '-nonce' : '-no_nonce', '-reqout', out]);
    expect(r.status, r.out).toBe(0);
    return readFileSync(out);
  };
  const postOcsp = (body: Uint8Array<ArrayBuffer>) => fetch(`${srv.httpUrl}/pki/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body });

  /** RFC 5019 §6.2: max-age ≤ nextUpdate − now, public, no-transform, must-revalidate; Last-Modified, Expires, ETag. */
  function expectRfc5019Headers(res: Response, der: Uint8Array, sentAt: number) {
    const { thisUpdate, nextUpdate } = ocspTimes(der);
    const directives = res.headers.get('cache-control')!.split(/\s*,\s*/);
    expect(directives.filter((d) => !/^max-age=\d+$/.test(d)).sort()).toEqual(['must-revalidate', 'no-transform', 'public']);
    const maxAge = Number(directives.find((d) => d.startsWith('max-age='))!.slice('max-age='.length));
    expect(maxAge).toBeLessThanOrEqual((nextUpdate.getTime() - sentAt) / 1000);
    expect(maxAge).toBeGreaterThan((nextUpdate.getTime() - Date.now()) / 1000 - 2);
    expect(res.headers.get('last-modified')).toBe(thisUpdate.toUTCString());
    expect(res.headers.get('expires')).toBe(nextUpdate.toUTCString());
    expect(res.headers.get('etag')).toBe(`"${createHash('sha1').update(der).digest('hex')}"`);
  }

  it('ok OCSP GET (RFC 5019): application/ocsp-response, caching headers until nextUpdate, ETag = SHA-1 of the response, the same for a repeat', async () => {
    const url = `${srv.httpUrl}/pki/ocsp/${encodeURIComponent(ocspRequest(0, false).toString('base64'))}`;
    const sentAt = Date.now();
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/ocsp-response');
    const der = new Uint8Array(await res.arrayBuffer());
    expectRfc5019Headers(res, der, sentAt);
    tmp.file('get.der', der);
    const text = openssl(['ocsp', '-respin', tmp.path('get.der'), '-issuer', tmp.path('issuing.pem'), '-cert', tmp.path('user0.pem'), '-CAfile', tmp.path('root.pem')]).out;
    expect(text).toContain('Response verify OK');
    expect(text).toContain('user0.pem: good');
    const again = await fetch(url);
    expect(again.headers.get('etag')).toBe(res.headers.get('etag'));
    expect(Buffer.from(await again.arrayBuffer()).equals(Buffer.from(der))).toBe(true);
  });

  it('ok OCSP POST without a nonce: the pre-signed answer with the same headers; NG POST with a nonce: no-store, no max-age, no validators (no cache may keep it)', async () => {
    const sentAt = Date.now();
    const plain = await postOcsp(ocspRequest(1, false));
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('application/ocsp-response');
    expectRfc5019Headers(plain, new Uint8Array(await plain.arrayBuffer()), sentAt);

    const nonced = await postOcsp(ocspRequest(1, true));
    expect(nonced.status).toBe(200);
    expect(nonced.headers.get('content-type')).toBe('application/ocsp-response');
    expect(nonced.headers.get('cache-control')).toBe('no-store');
    for (const h of ['etag', 'expires', 'last-modified']) expect(nonced.headers.get(h), h).toBeNull();
    tmp.file('nonce.der', new Uint8Array(await nonced.arrayBuffer()));
    const text = openssl(['ocsp', '-respin', tmp.path('nonce.der'), '-issuer', tmp.path('issuing.pem'), '-CAfile', tmp.path('root.pem'), '-reqin', tmp.path('req1-nonce.der'), '-resp_text']).out;
    expect(text).toContain('OCSP Nonce');
    expect(text).toContain('Response verify OK');
    expect(text).not.toContain('Nonce Verify error'); // openssl compares the echo with -reqin's nonce
    expect(text).toContain('Cert Status: good');

    const malformed = await postOcsp(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]));
    expect(malformed.headers.get('content-type')).toBe('application/ocsp-response');
    expect(malformed.headers.get('cache-control')).toBe('no-store');
    expect(malformed.headers.get('etag')).toBeNull();
  });

  it('ok CRL and CA certificates: .crl application/pkix-crl (DER), .pem application/x-pem-file (X509 CRL), Last-Modified = thisUpdate; .crt application/pkix-cert (DER), .pem application/x-pem-file', async () => {
    for (const ca of ['issuing', 'root'] as const) {
      const der = await fetch(`${srv.httpUrl}/pki/crl/${ca}.crl`);
      expect(der.status).toBe(200);
      expect(der.headers.get('content-type')).toBe('application/pkix-crl');
      const bytes = new Uint8Array(await der.arrayBuffer());
      expect(der.headers.get('last-modified')).toBe(crlInfo(bytes).thisUpdate.toUTCString());
      const pem = await fetch(`${srv.httpUrl}/pki/crl/${ca}.pem`);
      expect(pem.headers.get('content-type')).toBe('application/x-pem-file');
      expect(await pem.text()).toMatch(/^-----BEGIN X509 CRL-----\n[\s\S]+-----END X509 CRL-----\n$/);

      const crt = await fetch(`${srv.httpUrl}/pki/ca/${ca}.crt`);
      expect(crt.headers.get('content-type')).toBe('application/pkix-cert');
      const shown = srv.services.ca.show()[ca];
      expect(Buffer.from(await crt.arrayBuffer()).equals(new X509Certificate(shown.pem).raw)).toBe(true);
      const cpem = await fetch(`${srv.httpUrl}/pki/ca/${ca}.pem`);
      expect(cpem.headers.get('content-type')).toBe('application/x-pem-file');
      expect(await cpem.text()).toBe(shown.pem);
    }
  });

  it('NG revoke API: unknown serial → 404 NOT_FOUND; another institution\'s certificate → 404 NOT_FOUND (both ways), and it stays unrevoked', async () => {
    const unknown = await revoke(officer, '987654321987654321');
    expect(unknown.status, unknown.text).toBe(404);
    expect(unknown.json().code).toBe('NOT_FOUND');
    const foreign = await revoke(otherOfficer, certs[4]!.serial);
    expect(foreign.status, foreign.text).toBe(404);
    expect(foreign.json().code).toBe('NOT_FOUND');
    const back = await revoke(officer, otherCert.serial);
    expect(back.status, back.text).toBe(404);
    expect(back.json().code).toBe('NOT_FOUND');
    const crl = crlInfo(new Uint8Array(await (await fetch(`${srv.httpUrl}/pki/crl/issuing.crl`)).arrayBuffer()));
    expect(crl.serials).not.toContain(certs[4]!.serial);
    expect(crl.serials).not.toContain(otherCert.serial);
  });

  it('ok a burst of four officer revocations: the CRL lists them all soon after, never post-dated, cRLNumber never going back; openssl verify -crl_check says revoked (not "CRL is not yet valid"), and OK for the fifth', async () => {
    const burst = certs.slice(0, 4);
    for (const c of burst) {
      const r = await revoke(officer, c.serial);
      expect(r.status, r.text).toBe(200);
    }
    const doneAt = Date.now();
    const fetchCrl = async () => {
      const bytes = new Uint8Array(await (await fetch(`${srv.httpUrl}/pki/crl/issuing.crl`)).arrayBuffer());
      const info = crlInfo(bytes);
      expect(info.thisUpdate.getTime(), 'thisUpdate is not in the future').toBeLessThanOrEqual(Date.now());
      return { der: bytes, ...info };
    };
    // Poll (bounded, no sleep) until one CRL lists the whole burst; every CRL seen must already be valid.
    let last = await fetchCrl();
    while (!burst.every((c) => last.serials.includes(c.serial))) {
      expect(Date.now() - doneAt, 'the CRL lists the burst within 2 s').toBeLessThan(2000);
      const seen = await fetchCrl();
      expect(seen.crlNumber).toBeGreaterThanOrEqual(last.crlNumber);
      expect(seen.thisUpdate.getTime()).toBeGreaterThanOrEqual(last.thisUpdate.getTime());
      last = seen;
    }
    expect(last.thisUpdate.getTime()).toBeLessThanOrEqual(Date.now());
    expect(last.serials).not.toContain(certs[4]!.serial);
    tmp.file('burst.crl', last.der);
    expect(openssl(['crl', '-inform', 'DER', '-in', tmp.path('burst.crl'), '-out', tmp.path('burst.crl.pem')]).status).toBe(0);
    const verify = (i: number) => runAsync('openssl', ['verify', '-crl_check', '-CAfile', tmp.path('root.pem'), '-untrusted', tmp.path('issuing.pem'), '-CRLfile', tmp.path('burst.crl.pem'), tmp.path(`user${i}.pem`)]);
    for (let i = 0; i < 4; i++) {
      const r = await verify(i);
      expect(r.out).not.toContain('not yet valid');
      expect(r.out).toContain('certificate revoked');
      expect(r.status).not.toBe(0);
    }
    const ok = await verify(4);
    expect(ok.out.trim()).toBe(`${tmp.path('user4.pem')}: OK`);
  });
});

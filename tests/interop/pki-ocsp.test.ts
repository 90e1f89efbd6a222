/**
 * Interop: the OCSP responder (spec 03 §Revocation status, spec 08) checked by `openssl ocsp`:
 * responses read back with -respin (good / revoked / unknown), the nonce echoed (-reqin), and the
 * whole exchange over HTTP (`openssl ocsp -url`) against a tiny node:http server in this test.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAndSign } from '../../api/pki/builder.ts';
import { checkCsr } from '../../api/pki/csr.ts';
import { toPem } from '../../api/pki/pem.ts';
import { newSerial } from '../../api/pki/serial.ts';
import { OcspResponder, ocspRequestFromGetPath, type CertStatus } from '../../api/pki/ocsp.ts';
import type { Ca } from '../../api/pki/hierarchy.ts';
import { makeCsr, openssl, requestFor, runAsync, tempDir, testCa } from '../helpers/pki.ts';

let ca: Ca;
let responder: OcspResponder;
let server: http.Server;
let url: string;
const tmp = tempDir();
const statuses = new Map<bigint, CertStatus>();
const REVOKED_AT = new Date('2026-03-01T09:30:00Z');

beforeAll(async () => {
  ({ ca } = await testCa());
  tmp.file('issuing.pem', ca.show().issuing.pem);
  tmp.file('chain.pem', ca.show().root.pem + ca.show().issuing.pem);
  for (const name of ['good', 'revoked', 'unknown'] as const) {
    const csr = checkCsr((await makeCsr('P-256')).pem);
    const serial = newSerial();
    const cert = await buildAndSign({ request: requestFor(5), publicKey: csr.spki, serial, notBefore: new Date() }, ca.issuer);
    tmp.file(`${name}.pem`, toPem(cert.der, 'CERTIFICATE'));
    if (name === 'good') statuses.set(serial, { status: 'good' });
    if (name === 'revoked') statuses.set(serial, { status: 'revoked', revokedAt: REVOKED_AT, reason: 1 });
  }
  responder = new OcspResponder({ issuer: ca.issuer.certificate, signer: () => ca.signers.ocsp, lookup: async (s) => statuses.get(s) ?? { status: 'unknown' }, clock: { now: () => new Date() } });
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const der = req.method === 'GET' ? ocspRequestFromGetPath(req.url!.replace(/^\/pki\/ocsp\//, '')) : new Uint8Array(Buffer.concat(chunks));
      const answer = await responder.respond(der ?? new Uint8Array());
      res.writeHead(200, { 'content-type': 'application/ocsp-response' });
      res.end(answer.der);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/pki/ocsp`;
});
afterAll(() => {
  server?.close();
  tmp.cleanup();
});

const respond = async (reqFile: string, respFile: string) => tmp.file(respFile, (await responder.respond(new Uint8Array(readFileSync(tmp.path(reqFile))))).der);

describe('openssl ocsp -respin / -reqin', () => {
  it.each([
    ['good', 'good.pem: good'],
    ['revoked', 'revoked.pem: revoked'],
    ['unknown', 'unknown.pem: unknown'],
  ])('ok %s', async (name, line) => {
    expect(openssl(['ocsp', '-issuer', tmp.path('issuing.pem'), '-cert', tmp.path(`${name}.pem`), '-no_nonce', '-reqout', tmp.path(`${name}.req`)]).status).toBe(0);
    await respond(`${name}.req`, `${name}.resp`);
    const r = openssl(['ocsp', '-respin', tmp.path(`${name}.resp`), '-issuer', tmp.path('issuing.pem'), '-cert', tmp.path(`${name}.pem`), '-CAfile', tmp.path('chain.pem'), '-no_nonce']);
    expect(r.out).toContain(line);
    expect(r.out).toContain('Response verify OK');
    expect(r.status).toBe(0);
    if (name === 'revoked') {
      expect(r.out).toContain('Reason: keyCompromise');
      expect(r.out).toContain('Revocation Time: Mar  1 09:30:00 2026 GMT');
    }
    expect(r.out).toMatch(/This Update: .* GMT\n\s+Next Update: .* GMT/);
  });
  it('ok a nonce is echoed (openssl checks it against the request)', async () => {
    openssl(['ocsp', '-issuer', tmp.path('issuing.pem'), '-cert', tmp.path('good.pem'), '-reqout', tmp.path('nonce.req')]);
    await respond('nonce.req', 'nonce.resp');
    const r = openssl(['ocsp', '-reqin', tmp.path('nonce.req'), '-respin', tmp.path('nonce.resp'), '-CAfile', tmp.path('chain.pem')]);
    expect(r.out).toContain('Response verify OK');
    expect(r.out).not.toContain('Nonce Verify error');
    expect(openssl(['ocsp', '-respin', tmp.path('nonce.resp'), '-resp_text', '-noverify']).out).toMatch(/Response Extensions:\s+OCSP Nonce:/);
  });
});

describe('openssl ocsp -url against a node:http responder', () => {
  it.each([
    ['good', 'good.pem: good'],
    ['revoked', 'revoked.pem: revoked'],
  ])('ok %s (with nonce, POST)', async (name, line) => {
    const r = await runAsync('openssl', ['ocsp', '-issuer', tmp.path('issuing.pem'), '-cert', tmp.path(`${name}.pem`), '-url', url, '-CAfile', tmp.path('chain.pem')]);
    expect(r.out).toContain(line);
    expect(r.out).toContain('Response verify OK');
    expect(r.out).not.toContain('WARNING: no nonce');
  });
  it('ok without nonce: the cached response', async () => {
    const r = await runAsync('openssl', ['ocsp', '-issuer', tmp.path('issuing.pem'), '-cert', tmp.path('good.pem'), '-url', url, '-CAfile', tmp.path('chain.pem'), '-no_nonce']);
    expect(r.out).toContain('good.pem: good');
    expect(r.out).toContain('Response verify OK');
  });
  it('ok the RFC 5019 GET form returns what openssl accepts', async () => {
    openssl(['ocsp', '-issuer', tmp.path('issuing.pem'), '-cert', tmp.path('revoked.pem'), '-no_nonce', '-reqout', tmp.path('get.req')]);
    const b64 = readFileSync(tmp.path('get.req')).toString('base64');
    const res = await fetch(`${url}/${encodeURIComponent(b64)}`);
    tmp.file('get.resp', new Uint8Array(await res.arrayBuffer()));
    const r = openssl(['ocsp', '-respin', tmp.path('get.resp'), '-issuer', tmp.path('issuing.pem'), '-cert', tmp.path('revoked.pem'), '-CAfile', tmp.path('chain.pem'), '-no_nonce']);
    expect(r.out).toContain('revoked.pem: revoked');
    expect(r.out).toContain('Response verify OK');
  });
  it('NG garbage gets malformedRequest', async () => {
    const res = await fetch(url, { method: 'POST', body: 'nonsense' });
    tmp.file('bad.resp', new Uint8Array(await res.arrayBuffer()));
    expect(openssl(['ocsp', '-respin', tmp.path('bad.resp'), '-resp_text', '-noverify']).out).toContain('malformedrequest');
  });
});

import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import * as pkijs from 'pkijs';
import * as asn1js from 'asn1js';
import { OcspResponder, ocspErrorResponse, ocspRequestFromGetPath, type CertStatus } from './ocsp.ts';
import { buildAndSign } from './builder.ts';
import { checkCsr } from './csr.ts';
import { parseDer, toDer } from './asn1.ts';
import { OID } from './oids.ts';
import type { Ca } from './hierarchy.ts';
import type { Signer } from './signer.ts';
import { makeCsr, requestFor, testCa } from '../../tests/helpers/pki.ts';

let ca: Ca;
let other: Ca;
let leaf: pkijs.Certificate;
let serial: bigint;
beforeAll(async () => {
  [{ ca }, { ca: other }] = await Promise.all([testCa(), testCa()]);
  const csr = checkCsr((await makeCsr('P-256')).pem);
  serial = 0x1234567890abcdefn;
  const cert = await buildAndSign({ request: requestFor(5), publicKey: csr.spki, serial, notBefore: new Date() }, ca.issuer);
  leaf = pkijs.Certificate.fromBER(cert.der);
});

async function request(opts: { hash?: string; nonce?: Uint8Array<ArrayBuffer>; issuer?: Uint8Array<ArrayBuffer>; serials?: bigint[] } = {}): Promise<Uint8Array<ArrayBuffer>> {
  const issuer = pkijs.Certificate.fromBER(opts.issuer ?? ca.issuingDer);
  const req = new pkijs.OCSPRequest();
  for (const s of opts.serials ?? [serial]) {
    const certId = new pkijs.CertID();
    await certId.createForCertificate(leaf, { hashAlgorithm: opts.hash ?? 'SHA-1', issuerCertificate: issuer });
    certId.serialNumber = asn1js.Integer.fromBigInt(s);
    req.tbsRequest.requestList.push(new pkijs.Request({ reqCert: certId }));
  }
  if (opts.nonce) req.tbsRequest.requestExtensions = [new pkijs.Extension({ extnID: OID.ocspNonce, extnValue: new asn1js.OctetString({ valueHex: opts.nonce }).toBER() })];
  return toDer(req.toSchema(true));
}

function decode(der: Uint8Array) {
  const resp = new pkijs.OCSPResponse({ schema: parseDer(der, 'OCSPResponse') });
  const status = resp.responseStatus.valueBlock.valueDec;
  if (!resp.responseBytes) return { status, basic: null };
  const basic = new pkijs.BasicOCSPResponse({ schema: parseDer(resp.responseBytes.response.valueBlock.valueHexView, 'Basic') });
  return { status, basic };
}

function responderWith(lookup: (s: bigint) => CertStatus, now: { t: Date }, signer: () => Signer = () => ca.signers.ocsp) {
  let signs = 0;
  const counting = () => {
    const s = signer();
    return { ...s, certificate: s.certificate, sign: (d: Uint8Array<ArrayBuffer>) => (signs++, s.sign(d)) } as Signer;
  };
  const r = new OcspResponder({ issuer: ca.issuer.certificate, signer: counting, lookup: async (s) => lookup(s), clock: { now: () => now.t } });
  return { r, signs: () => signs };
}

const T = new Date('2026-05-01T10:00:00.700Z');

describe('OCSP responder (RFC 6960, RFC 5019, spec 03 §Revocation status)', () => {
  it('ok good: signed by the delegated responder, certificate included, whole-second times, nextUpdate', async () => {
    const { r } = responderWith(() => ({ status: 'good' }), { t: T });
    const a = await r.respond(await request());
    expect(a.cacheable).toBe(true);
    const { status, basic } = decode(a.der);
    expect(status).toBe(0);
    const data = basic!.tbsResponseData;
    expect(data.producedAt.toISOString()).toBe('2026-05-01T10:00:00.000Z');
    const single = data.responses[0]!;
    expect(single.certStatus.idBlock.tagNumber).toBe(0);
    expect(single.thisUpdate.toISOString()).toBe('2026-05-01T10:00:00.000Z');
    expect(single.nextUpdate!.toISOString()).toBe('2026-05-02T10:00:00.000Z');
    expect(BigInt('0x' + Buffer.from(single.certID.serialNumber.valueBlock.valueHexView).toString('hex'))).toBe(serial);
    expect(basic!.certs).toHaveLength(1);
    const responderDer = new Uint8Array(basic!.certs![0]!.toSchema().toBER());
    expect(Buffer.from(responderDer).equals(Buffer.from(ca.signers.ocsp.certificate))).toBe(true);
    const key = new crypto.X509Certificate(responderDer).publicKey;
    expect(crypto.verify('sha256', new Uint8Array(data.tbsView), key, new Uint8Array(basic!.signature.valueBlock.valueHexView))).toBe(true);
    // responderID byKey = SHA-1 of the responder's public key bits
    expect(data.responderID).toBeInstanceOf(asn1js.OctetString);
  });
  it('ok revoked: time and reason', async () => {
    const { r } = responderWith(() => ({ status: 'revoked', revokedAt: new Date('2026-04-30T08:00:00.5Z'), reason: 1 }), { t: T });
    const single = decode((await r.respond(await request())).der).basic!.tbsResponseData.responses[0]!;
    expect(single.certStatus.idBlock.tagNumber).toBe(1);
    const [time, reason] = (single.certStatus as asn1js.Constructed).valueBlock.value as [asn1js.GeneralizedTime, asn1js.Constructed];
    expect(time.toDate().toISOString()).toBe('2026-04-30T08:00:00.000Z');
    expect((reason.valueBlock.value[0] as asn1js.Enumerated).valueBlock.valueDec).toBe(1);
  });
  it('ok unknown', async () => {
    const { r } = responderWith(() => ({ status: 'unknown' }), { t: T });
    expect(decode((await r.respond(await request())).der).basic!.tbsResponseData.responses[0]!.certStatus.idBlock.tagNumber).toBe(2);
  });
  it('ok nonce: echoed, freshly signed, not cacheable', async () => {
    const { r, signs } = responderWith(() => ({ status: 'good' }), { t: T });
    const nonce = new Uint8Array(crypto.randomBytes(16));
    const a = await r.respond(await request({ nonce }));
    const b = await r.respond(await request({ nonce }));
    expect(a.cacheable).toBe(false);
    expect(signs()).toBe(2);
    const ext = decode(a.der).basic!.tbsResponseData.responseExtensions!;
    expect(ext[0]!.extnID).toBe(OID.ocspNonce);
    expect(new Uint8Array((asn1js.fromBER(ext[0]!.extnValue.valueBlock.valueHexView).result as asn1js.OctetString).valueBlock.valueHexView)).toEqual(nonce);
    expect(b.der).not.toEqual(undefined);
  });
  it('ok no nonce: one signature serves repeated requests until the status changes', async () => {
    let status: CertStatus = { status: 'good' };
    const now = { t: T };
    const { r, signs } = responderWith(() => status, now);
    const req = await request();
    const a = await r.respond(req);
    const b = await r.respond(req);
    expect(Buffer.from(b.der).equals(Buffer.from(a.der))).toBe(true);
    expect(signs()).toBe(1);
    status = { status: 'revoked', revokedAt: T, reason: 4 };
    const c = await r.respond(req);
    expect(signs()).toBe(2);
    expect(decode(c.der).basic!.tbsResponseData.responses[0]!.certStatus.idBlock.tagNumber).toBe(1);
    // re-signed once half the validity (12 h) has passed
    now.t = new Date(T.getTime() + 13 * 3600_000);
    await r.respond(req);
    expect(signs()).toBe(3);
    // invalidate() forces a new signature
    r.invalidate(serial);
    await r.respond(req);
    expect(signs()).toBe(4);
    // SHA-256 CertIDs are answered too, with their own cache entry
    const s256 = await r.respond(await request({ hash: 'SHA-256' }));
    expect(decode(s256.der).basic!.tbsResponseData.responses[0]!.certID.hashAlgorithm.algorithmId).toBe(OID.sha256);
  });
  it('ok responseFor pre-signs what a GET will return', async () => {
    const { r, signs } = responderWith(() => ({ status: 'good' }), { t: T });
    const pre = await r.responseFor(serial, { status: 'good' });
    const a = await r.respond(await request());
    expect(Buffer.from(a.der).equals(Buffer.from(pre))).toBe(true);
    expect(signs()).toBe(1);
  });
  it('ok a renewed responder certificate is used at once', async () => {
    const now = { t: T };
    let current: Signer = ca.signers.ocsp;
    const { r } = responderWith(() => ({ status: 'good' }), now, () => current);
    const req = await request();
    await r.respond(req);
    current = other.signers.ocsp; // stands in for a renewed responder
    const a = decode((await r.respond(req)).der);
    expect(Buffer.from(new Uint8Array(a.basic!.certs![0]!.toSchema().toBER())).equals(Buffer.from(other.signers.ocsp.certificate))).toBe(true);
  });
  it('ok several certificates in one request', async () => {
    const { r } = responderWith((s) => (s === 1n ? { status: 'unknown' } : { status: 'good' }), { t: T });
    const a = await r.respond(await request({ serials: [serial, 1n] }));
    expect(decode(a.der).basic!.tbsResponseData.responses.map((x) => x.certStatus.idBlock.tagNumber)).toEqual([0, 2]);
  });
  it('NG another CA → unauthorized (6); garbage → malformedRequest (1)', async () => {
    const { r } = responderWith(() => ({ status: 'good' }), { t: T });
    expect(decode((await r.respond(await request({ issuer: other.issuingDer }))).der).status).toBe(6);
    expect(decode((await r.respond(new Uint8Array([0x30, 0x03, 1, 2, 3]))).der).status).toBe(1);
    expect(decode((await r.respond(new Uint8Array(0))).der).status).toBe(1);
    expect(decode((await r.respond(await request({ serials: Array.from({ length: 9 }, (_, i) => BigInt(i + 1)) }))).der).status).toBe(1);
  });
  it('ok error responses and the RFC 5019 GET form', async () => {
    expect(Buffer.from(ocspErrorResponse('malformedRequest')).toString('hex')).toBe('30030a0101');
    expect(Buffer.from(ocspErrorResponse('tryLater')).toString('hex')).toBe('30030a0103');
    const der = await request();
    const b64 = Buffer.from(der).toString('base64');
    expect(ocspRequestFromGetPath(encodeURIComponent(b64))).toEqual(der);
    expect(ocspRequestFromGetPath(b64)).toEqual(der);
    expect(ocspRequestFromGetPath('%%%')).toBe(null);
    expect(ocspRequestFromGetPath('not base64!')).toBe(null);
  });
});

/**
 * OCSP (RFC 6960; RFC 5019 profile; spec 03 §Revocation status) with pkijs: requests are parsed,
 * answered `good`, `revoked` (time and reason) or `unknown` for the issuing CA's certificates, signed
 * by the delegated responder certificate (which is included), with thisUpdate/nextUpdate in whole
 * seconds. Requests without a nonce get a pre-signed response from a cache (re-signed when the
 * status changes, the responder certificate changes, or half of its validity has passed); a request
 * with a nonce gets a fresh signature echoing it. The status lookup is injected (the database).
 */
import crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { bytesEqual, parseDer, toDer, type Bytes } from './asn1.ts';
import { algorithmIdentifier } from './keys.ts';
import { OID } from './oids.ts';
import type { CertInfo } from './certificate.ts';
import type { Clock } from '../clock.ts';
import type { Signer } from './signer.ts';

export type CertStatus =
  | { readonly status: 'good' }
  | { readonly status: 'revoked'; readonly revokedAt: Date; readonly reason: number }
  | { readonly status: 'unknown' };

/** Status of a serial of the issuing CA; `unknown` for serials it never issued. */
export type StatusLookup = (serial: bigint) => Promise<CertStatus>;

/** OCSPResponseStatus values (RFC 6960 §4.2.1). */
export const OCSP_STATUS = { successful: 0, malformedRequest: 1, internalError: 2, tryLater: 3, sigRequired: 5, unauthorized: 6 } as const;
export type OcspErrorStatus = Exclude<keyof typeof OCSP_STATUS, 'successful'>;

const HASHES: Readonly<Record<string, string>> = { [OID.sha1]: 'sha1', [OID.sha256]: 'sha256', [OID.sha384]: 'sha384', [OID.sha512]: 'sha512' };

/** One CertID of a request. */
export interface OcspQuery {
  readonly hashAlgorithm: string;
  readonly serial: bigint;
  readonly certId: pkijs.CertID;
  /** Whether issuerNameHash and issuerKeyHash name our issuing CA. */
  readonly ours: boolean;
}

export interface ParsedOcspRequest {
  readonly queries: readonly OcspQuery[];
  /** The nonce extension to echo (RFC 6960 §4.4.1), if any. */
  readonly nonce: pkijs.Extension | null;
}

/** Maximum number of certificates asked about in one request. */
export const MAX_QUERIES = 8;

/** An OCSPResponse with only a status (RFC 6960 §4.2.1): malformedRequest, unauthorized, … */
export function ocspErrorResponse(status: OcspErrorStatus): Bytes {
  return toDer(new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: OCSP_STATUS[status] }) }).toSchema());
}

/** The DER request of an RFC 5019 GET (`/pki/ocsp/<url-encoded base64>`), or null when undecodable. */
export function ocspRequestFromGetPath(pathPart: string): Bytes | null {
  let b64: string;
  try {
    b64 = decodeURIComponent(pathPart);
  } catch {
    return null;
  }
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(b64)) return null;
  const der = Buffer.from(b64.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return der.length ? new Uint8Array(der) : null;
}

export interface ResponderOptions {
  /** The issuing CA whose certificates this responder answers for. */
  readonly issuer: CertInfo;
  /** The current responder signer (its certificate is renewed: read on every signature). */
  readonly signer: () => Signer;
  readonly lookup: StatusLookup;
  readonly clock: Clock;
  /** nextUpdate − thisUpdate; default 24 h. */
  readonly validitySeconds?: number;
  /** Bound of the response cache; default 100,000 entries. */
  readonly cacheSize?: number;
}

export interface OcspAnswer {
  readonly der: Bytes;
  /** True for a nonce-less single-certificate response that HTTP caches may keep until `nextUpdate`. */
  readonly cacheable: boolean;
  readonly thisUpdate?: Date;
  readonly nextUpdate?: Date;
}

interface CacheEntry {
  readonly der: Bytes;
  readonly statusKey: string;
  readonly responder: Uint8Array;
  readonly refreshAt: number;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
}

/** The OCSP responder for the issuing CA. */
export class OcspResponder {
  readonly #o: ResponderOptions;
  readonly #validityMs: number;
  readonly #cacheSize: number;
  readonly #cache = new Map<string, CacheEntry>();
  readonly #parsed = new Map<string, ParsedOcspRequest>();
  readonly #hashes = new Map<string, { name: Bytes; key: Bytes }>();
  #responderCert: { der: Uint8Array; cert: pkijs.Certificate; keyHash: Bytes } | null = null;

  constructor(o: ResponderOptions) {
    this.#o = o;
    this.#validityMs = (o.validitySeconds ?? 86_400) * 1000;
    this.#cacheSize = o.cacheSize ?? 100_000;
  }

  /** Parses a DER OCSPRequest; throws on anything malformed (answer `malformedRequest`). */
  parse(der: Uint8Array): ParsedOcspRequest {
    const req = new pkijs.OCSPRequest({ schema: parseDer(der, 'OCSPRequest') });
    const list = req.tbsRequest.requestList;
    if (list.length === 0 || list.length > MAX_QUERIES) throw new Error(`requests must name 1–${MAX_QUERIES} certificates`);
    const queries = list.map((r) => {
      const id = r.reqCert;
      const hash = HASHES[id.hashAlgorithm.algorithmId];
      const serial = BigInt('0x' + (Buffer.from(id.serialNumber.valueBlock.valueHexView).toString('hex') || '0'));
      const h = hash ? this.#issuerHashes(hash) : null;
      const ours = !!h && bytesEqual(id.issuerNameHash.valueBlock.valueHexView, h.name) && bytesEqual(id.issuerKeyHash.valueBlock.valueHexView, h.key);
      return { hashAlgorithm: hash ?? id.hashAlgorithm.algorithmId, serial, certId: id, ours };
    });
    const nonce = req.tbsRequest.requestExtensions?.find((e) => e.extnID === OID.ocspNonce) ?? null;
    if (nonce && (nonce.extnValue.valueBlock.valueHexView.length === 0 || nonce.extnValue.valueBlock.valueHexView.length > 128)) throw new Error('bad nonce');
    return { queries, nonce };
  }

  /**
   * Answers a DER OCSPRequest: `malformedRequest` when it cannot be parsed, `unauthorized` when it
   * asks about another CA, else a signed response (cached when it has no nonce and one CertID).
   */
  async respond(der: Uint8Array): Promise<OcspAnswer> {
    // Nonce-less requests for one certificate are byte-identical between clients (RFC 5019 GET):
    // remember what they parse to, so the cached path costs a map lookup and the status lookup.
    const key = der.length <= 256 ? Buffer.from(der.buffer, der.byteOffset, der.length).toString('base64') : null;
    let parsed = key ? this.#parsed.get(key) : undefined;
    if (!parsed) {
      try {
        parsed = this.parse(der);
      } catch {
        return { der: ocspErrorResponse('malformedRequest'), cacheable: false };
      }
      if (key && !parsed.nonce && parsed.queries.length === 1) {
        if (this.#parsed.size >= this.#cacheSize) this.#parsed.delete(this.#parsed.keys().next().value!);
        this.#parsed.set(key, parsed);
      }
    }
    if (parsed.queries.some((q) => !q.ours)) return { der: ocspErrorResponse('unauthorized'), cacheable: false };
    const statuses = await Promise.all(parsed.queries.map((q) => this.#o.lookup(q.serial)));
    if (!parsed.nonce && parsed.queries.length === 1) {
      const q = parsed.queries[0]!;
      const e = await this.#cached(q.serial, q.hashAlgorithm, statuses[0]!);
      return { der: e.der, cacheable: true, thisUpdate: e.thisUpdate, nextUpdate: e.nextUpdate };
    }
    const now = whole(this.#o.clock.now());
    const built = await this.#sign(parsed.queries.map((q, i) => ({ certId: q.certId, status: statuses[i]! })), parsed.nonce, now);
    return { der: built, cacheable: false, thisUpdate: now, nextUpdate: new Date(now.getTime() + this.#validityMs) };
  }

  /**
   * The nonce-less response for one serial and status, from the cache or freshly signed (for
   * pre-signing after a revocation). `hashAlgorithm` is the CertID hash (`sha1`, as OpenSSL sends).
   */
  async responseFor(serial: bigint, status: CertStatus, hashAlgorithm = 'sha1'): Promise<Bytes> {
    return (await this.#cached(serial, hashAlgorithm, status)).der;
  }

  /** Drops the cached responses of a serial (after a revocation); the next request re-signs. */
  invalidate(serial: bigint): void {
    for (const h of Object.values(HASHES)) this.#cache.delete(`${h}:${serial}`);
  }

  async #cached(serial: bigint, hashAlgorithm: string, status: CertStatus): Promise<CacheEntry> {
    const key = `${hashAlgorithm}:${serial}`;
    const statusKey = status.status === 'revoked' ? `revoked:${whole(status.revokedAt).getTime()}:${status.reason}` : status.status;
    const now = this.#o.clock.now();
    const responder = this.#o.signer().certificate;
    const hit = this.#cache.get(key);
    if (hit && hit.statusKey === statusKey && now.getTime() < hit.refreshAt && bytesEqual(hit.responder, responder)) return hit;
    const thisUpdate = whole(now);
    const certId = this.#certId(serial, hashAlgorithm);
    const der = await this.#sign([{ certId, status }], null, thisUpdate);
    const entry: CacheEntry = { der, statusKey, responder, refreshAt: thisUpdate.getTime() + this.#validityMs / 2, thisUpdate, nextUpdate: new Date(thisUpdate.getTime() + this.#validityMs) };
    if (this.#cache.size >= this.#cacheSize) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(key, entry);
    return entry;
  }

  /** Builds and signs a BasicOCSPResponse (RFC 6960 §4.2.1) wrapped in an OCSPResponse. */
  async #sign(items: readonly { certId: pkijs.CertID; status: CertStatus }[], nonce: pkijs.Extension | null, now: Date): Promise<Bytes> {
    const signer = this.#o.signer();
    const responder = this.#responder(signer);
    const nextUpdate = new Date(now.getTime() + this.#validityMs);
    const data = new pkijs.ResponseData({
      responderID: new asn1js.OctetString({ valueHex: responder.keyHash }),
      producedAt: now,
      responses: items.map((it) => new pkijs.SingleResponse({ certID: it.certId, certStatus: certStatus(it.status), thisUpdate: now, nextUpdate })),
      ...(nonce ? { responseExtensions: [nonce] } : {}),
    });
    data.tbsView = new Uint8Array(data.toSchema(true).toBER());
    const signature = await signer.sign(data.tbsView as Bytes);
    const basic = new pkijs.BasicOCSPResponse({
      tbsResponseData: data,
      signatureAlgorithm: new pkijs.AlgorithmIdentifier({ schema: parseDer(algorithmIdentifier(signer.algorithm), 'AlgorithmIdentifier') }),
      signature: new asn1js.BitString({ valueHex: signature }),
      certs: [responder.cert],
    });
    const response = new pkijs.OCSPResponse({
      responseStatus: new asn1js.Enumerated({ value: OCSP_STATUS.successful }),
      responseBytes: new pkijs.ResponseBytes({ responseType: OID.ocspBasic, response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER() }) }),
    });
    return toDer(response.toSchema());
  }

  /** The responder certificate as pkijs object and its key hash (responderID byKey), per certificate. */
  #responder(signer: Signer) {
    if (!this.#responderCert || !bytesEqual(this.#responderCert.der, signer.certificate)) {
      const x = new crypto.X509Certificate(signer.certificate);
      const spki = parseDer(new Uint8Array(x.publicKey.export({ type: 'spki', format: 'der' })), 'SubjectPublicKeyInfo') as asn1js.Sequence;
      const bits = (spki.valueBlock.value[1] as asn1js.BitString).valueBlock.valueHexView;
      this.#responderCert = {
        der: signer.certificate,
        cert: new pkijs.Certificate({ schema: parseDer(signer.certificate, 'Certificate') }),
        keyHash: new Uint8Array(crypto.createHash('sha1').update(bits).digest()),
      };
    }
    return this.#responderCert;
  }

  /** issuerNameHash and issuerKeyHash of the issuing CA for a hash algorithm (RFC 6960 §4.1.1). */
  #issuerHashes(hash: string): { name: Bytes; key: Bytes } {
    let h = this.#hashes.get(hash);
    if (!h) {
      const digest = (b: Uint8Array) => new Uint8Array(crypto.createHash(hash).update(b).digest());
      h = { name: digest(this.#o.issuer.subjectDer), key: digest(this.#o.issuer.publicKey.subjectPublicKey) };
      this.#hashes.set(hash, h);
    }
    return h;
  }

  #certId(serial: bigint, hash: string): pkijs.CertID {
    const h = this.#issuerHashes(hash);
    const oid = Object.entries(HASHES).find(([, n]) => n === hash)?.[0];
    if (!oid) throw new Error(`unsupported CertID hash ${hash}`);
    return new pkijs.CertID({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: oid, algorithmParams: new asn1js.Null() }),
      issuerNameHash: new asn1js.OctetString({ valueHex: h.name }),
      issuerKeyHash: new asn1js.OctetString({ valueHex: h.key }),
      serialNumber: asn1js.Integer.fromBigInt(serial),
    });
  }
}

/** CertStatus CHOICE: good [0] NULL, revoked [1] RevokedInfo, unknown [2] NULL (RFC 6960 §4.2.1). */
function certStatus(s: CertStatus): asn1js.BaseBlock {
  if (s.status === 'good') return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } });
  if (s.status === 'unknown') return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 } });
  return new asn1js.Constructed({
    idBlock: { tagClass: 3, tagNumber: 1 },
    value: [
      new asn1js.GeneralizedTime({ valueDate: whole(s.revokedAt) }),
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.Enumerated({ value: s.reason })] }),
    ],
  });
}

function whole(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

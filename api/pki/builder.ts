/**
 * Certificate building and signing (RFC 5280 §4.1). `buildAndSign` turns an authorised request plus
 * a checked public key into a signed end-entity certificate; `signCertificate` is the generic step
 * the CA hierarchy uses too. Everything that is constant per issuing CA (issuer name, AKI, CRL and
 * AIA URLs, signature AlgorithmIdentifier, policy extensions) is encoded once in an `Issuer`.
 */
import type crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import { encoded, toDer, type Bytes } from './asn1.ts';
import {
  authorityInfoAccess, authorityKeyIdentifier, basicConstraints, certificatePolicies, crlDistributionPoint, extKeyUsage, keyUsage, subjectAltName, subjectKeyIdentifier,
} from './extensions.ts';
import { readCertificate, type CertInfo } from './certificate.ts';
import { algorithmIdentifier, importPublicKey, keyIdentifier, type PublicKey } from './keys.ts';
import { subscriberKeyProblem } from './key-policy.ts';
import { encodeName } from './names.ts';
import { policyOid, profileRules, type CertProfile, type IssueRequest } from './profiles.ts';
import { isValidSerial } from './serial.ts';
import { PkiError } from './errors.ts';
import type { Signer } from './signer.ts';
import type { KeyUsage } from './extensions.ts';

/** `[0] EXPLICIT INTEGER 2` (v3), encoded once. */
const VERSION_3 = toDer(new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.Integer({ value: 2 })] }));

/** basicConstraints CA:FALSE, the same in every end-entity certificate. */
const CA_FALSE = basicConstraints(false);

/** The two CA names, fixed in URLs (spec 03 §Revocation status). */
export type CaName = 'root' | 'issuing';

/** The URLs written into certificates, under `PUBLIC_PKI_URL` (plain http). */
export interface PkiUrls {
  readonly ocsp: string;
  crl(ca: CaName): string;
  caCert(ca: CaName): string;
}

export function pkiUrls(publicPkiUrl: string): PkiUrls {
  const base = publicPkiUrl.replace(/\/+$/, '');
  return { ocsp: `${base}/pki/ocsp`, crl: (ca) => `${base}/pki/crl/${ca}.crl`, caCert: (ca) => `${base}/pki/ca/${ca}.crt` };
}

/** A CA ready to issue: its signer plus every CA-constant part of the certificates it signs. */
export interface Issuer {
  readonly ca: CaName;
  readonly signer: Signer;
  readonly certificate: CertInfo;
  /** The CA's subjectKeyIdentifier (the AKI of what it signs). */
  readonly keyId: Bytes;
  /** The CA's public key for verifying what it signed. */
  readonly verifyKey: crypto.KeyObject;
  readonly policyArc: string;
  readonly urls: PkiUrls;
  readonly signatureAlgorithm: Bytes;
  /** AKI, CRL distribution point and AIA (OCSP + caIssuers) for end-entity certificates. */
  readonly endEntityTail: readonly Bytes[];
  /** certificatePolicies per profile, encoded once. */
  policies(profile: CertProfile): Bytes;
  /** keyUsage / extKeyUsage extensions, encoded once per distinct value. */
  constant(kind: 'ku' | 'eku', values: readonly string[]): Bytes;
}

/** Precomputes an Issuer for a CA signer (done once at start, not per certificate). */
export function createIssuer(ca: CaName, signer: Signer, opts: { policyArc: string; urls: PkiUrls }): Issuer {
  const certificate = readCertificate(signer.certificate);
  const keyId = certificate.keyId;
  const policyCache = new Map<CertProfile, Bytes>();
  const constants = new Map<string, Bytes>();
  return {
    ca,
    signer,
    certificate,
    keyId,
    verifyKey: certificate.publicKey.key,
    policyArc: opts.policyArc,
    urls: opts.urls,
    signatureAlgorithm: algorithmIdentifier(signer.algorithm),
    endEntityTail: [
      authorityKeyIdentifier(keyId),
      crlDistributionPoint(opts.urls.crl(ca)),
      authorityInfoAccess({ ocsp: opts.urls.ocsp, caIssuers: opts.urls.caCert(ca) }),
    ],
    policies(profile) {
      let p = policyCache.get(profile);
      if (!p) policyCache.set(profile, (p = certificatePolicies([policyOid(opts.policyArc, profile)])));
      return p;
    },
    constant(kind, values) {
      const key = `${kind}:${values.join(',')}`;
      let c = constants.get(key);
      if (!c) constants.set(key, (c = kind === 'ku' ? keyUsage(values as KeyUsage[]) : extKeyUsage(values)));
      return c;
    },
  };
}

/** The fields of a TBSCertificate, already encoded where they are DER. */
export interface CertificateFields {
  readonly serial: bigint;
  /** Encoded issuer Name (the issuer certificate's subject bytes, verbatim). */
  readonly issuer: Uint8Array;
  readonly subject: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly spki: Uint8Array;
  readonly extensions: readonly Uint8Array[];
}

/** Encodes a v3 TBSCertificate (RFC 5280 §4.1.2) and signs it; returns the Certificate DER. */
export async function signCertificate(f: CertificateFields, key: Pick<Signer, 'algorithm' | 'sign'>, sigAlg = algorithmIdentifier(key.algorithm)): Promise<Bytes> {
  if (!isValidSerial(f.serial)) throw new PkiError('BAD_INPUT', 'serial must be positive and at most 20 octets');
  const tbs = toDer(
    new asn1js.Sequence({
      value: [
        encoded(VERSION_3),
        asn1js.Integer.fromBigInt(f.serial),
        encoded(sigAlg),
        encoded(f.issuer),
        encoded(validity(f.notBefore, f.notAfter)),
        encoded(f.subject),
        encoded(f.spki),
        new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 3 }, value: [new asn1js.Sequence({ value: f.extensions.map(encoded) })] }),
      ],
    }),
  );
  const signature = await key.sign(tbs);
  return toDer(new asn1js.Sequence({ value: [encoded(tbs), encoded(sigAlg), new asn1js.BitString({ valueHex: signature })] }));
}

/**
 * `Validity` DER, the last one remembered: certificates issued in the same second with the same
 * profile validity share it (bulk issuance), and a UTCTime costs more to encode than the rest.
 */
function validity(notBefore: Date, notAfter: Date): Bytes {
  const nb = wholeSeconds(notBefore).getTime();
  const na = wholeSeconds(notAfter).getTime();
  if (lastValidity?.nb !== nb || lastValidity.na !== na) {
    lastValidity = { nb, na, der: toDer(new asn1js.Sequence({ value: [timeNode(notBefore), timeNode(notAfter)] })) };
  }
  return lastValidity.der;
}
let lastValidity: { nb: number; na: number; der: Bytes } | undefined;

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; whole seconds. */
function timeNode(d: Date): asn1js.BaseBlock {
  const valueDate = wholeSeconds(d);
  return valueDate.getUTCFullYear() < 2050 ? new asn1js.UTCTime({ valueDate }) : new asn1js.GeneralizedTime({ valueDate });
}

/** Input of an issuance: what the request authorised plus the CSR's (checked) public key. */
export interface IssueInput {
  readonly request: IssueRequest;
  /** SubjectPublicKeyInfo DER, normally `checkCsr(…).spki`. */
  readonly publicKey: Uint8Array;
  readonly serial: bigint;
  /** Start of validity; truncated to whole seconds. */
  readonly notBefore: Date;
}

export interface IssuedCertificate {
  readonly der: Bytes;
  readonly serial: bigint;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/**
 * Builds and signs an end-entity certificate (spec 03 §End-entity profiles). The key policy is
 * re-checked here (STYLE.md practice 2) and a certificate that would outlive its CA is refused.
 */
export async function buildAndSign(input: IssueInput, issuer: Issuer): Promise<IssuedCertificate> {
  const key = importPublicKey(input.publicKey);
  const keyProblem = subscriberKeyProblem(key.info);
  if (keyProblem) throw new PkiError('BAD_INPUT', `key refused: ${keyProblem}`);
  const notBefore = wholeSeconds(input.notBefore);
  const rules = profileRules(input.request, key.info, notBefore, issuer.policyArc);
  const notAfter = wholeSeconds(rules.notAfter);
  if (notAfter > issuer.certificate.notAfter) {
    throw new PkiError('CA_EXPIRES_TOO_SOON', `the ${issuer.ca} CA expires ${issuer.certificate.notAfter.toISOString()}, before ${notAfter.toISOString()}`);
  }
  const der = await signCertificate(
    {
      serial: input.serial,
      issuer: issuer.certificate.subjectDer,
      subject: encodeName(rules.subject),
      notBefore,
      notAfter,
      spki: key.spki,
      extensions: [
        CA_FALSE,
        issuer.constant('ku', rules.keyUsage),
        issuer.constant('eku', rules.extKeyUsage),
        skiExtension(key),
        ...issuer.endEntityTail,
        subjectAltName(rules.san),
        issuer.policies(input.request.profile),
      ],
    },
    issuer.signer,
    issuer.signatureAlgorithm,
  );
  return { der, serial: input.serial, notBefore, notAfter };
}

const skiCache = new WeakMap<PublicKey, Bytes>();
/** The subjectKeyIdentifier extension of a key (RFC 5280 §4.2.1.2 method 1), encoded once per key. */
export function skiExtension(key: PublicKey): Bytes {
  let e = skiCache.get(key);
  if (!e) skiCache.set(key, (e = subjectKeyIdentifier(keyIdentifier(key))));
  return e;
}

/** `d` truncated to whole seconds (certificate, CRL and OCSP times carry no fractions). */
export function wholeSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}


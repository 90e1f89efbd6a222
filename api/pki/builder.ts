/**
 * Certificate building and signing (RFC 5280 §4.1). `buildAndSign` turns an authorised request plus
 * a checked public key into a signed end-entity certificate; `signCertificate` is the generic step
 * the CA hierarchy uses too. Everything that is constant per issuing CA (issuer name, AKI, CRL and
 * AIA URLs, signature AlgorithmIdentifier, policy extensions) is encoded once in an `Issuer`.
 */
import crypto from 'node:crypto';
import { bits, explicit, int, readOne, seq, time, type Bytes } from './der.ts';
import {
  authorityInfoAccess, authorityKeyIdentifier, basicConstraints, certificatePolicies, crlDistributionPoint, extKeyUsage, keyUsage, subjectAltName, subjectKeyIdentifier,
} from './extensions.ts';
import { parseCertificate, decodeSubjectKeyId, type ParsedCertificate } from './certificate.ts';
import { algorithmIdentifier, keyIdentifier, parseSpki, type Spki } from './keys.ts';
import { subscriberKeyProblem } from './key-policy.ts';
import { encodeName } from './names.ts';
import { policyOid, profileRules, type CertProfile, type IssueRequest } from './profiles.ts';
import { isValidSerial } from './serial.ts';
import { PkiError } from './errors.ts';
import type { Signer } from './signer.ts';

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
  readonly certificate: ParsedCertificate;
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
}

/** Precomputes an Issuer for a CA signer (done once at start, not per certificate). */
export function createIssuer(ca: CaName, signer: Signer, opts: { policyArc: string; urls: PkiUrls }): Issuer {
  const certificate = parseCertificate(signer.certificate);
  const ski = certificate.extensions.get('2.5.29.14');
  const keyId = ski ? decodeSubjectKeyId(ski.value) : keyIdentifier(certificate.spki);
  const policyCache = new Map<CertProfile, Bytes>();
  return {
    ca,
    signer,
    certificate,
    keyId,
    verifyKey: crypto.createPublicKey({ key: Buffer.from(certificate.spki.der), format: 'der', type: 'spki' }),
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

/** Encodes a v3 TBSCertificate and signs it; returns the Certificate DER. */
export async function signCertificate(f: CertificateFields, key: Pick<Signer, 'algorithm' | 'sign'>, sigAlg = algorithmIdentifier(key.algorithm)): Promise<Bytes> {
  if (!isValidSerial(f.serial)) throw new PkiError('BAD_INPUT', 'serial must be positive and at most 20 octets');
  const tbs = seq(
    explicit(0, int(2)),
    int(f.serial),
    sigAlg,
    f.issuer,
    seq(time(f.notBefore), time(f.notAfter)),
    f.subject,
    f.spki,
    explicit(3, seq(...f.extensions)),
  );
  const signature = await key.sign(tbs);
  return seq(tbs, sigAlg, bits(signature));
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
  const spki = parseSpki(readOne(new Uint8Array(input.publicKey), 0x30));
  const keyProblem = subscriberKeyProblem(spki);
  if (keyProblem) throw new PkiError('BAD_INPUT', `key refused: ${keyProblem}`);
  const notBefore = wholeSeconds(input.notBefore);
  const rules = profileRules(input.request, spki.info, notBefore, issuer.policyArc);
  const notAfter = wholeSeconds(rules.notAfter);
  if (notAfter > issuer.certificate.notAfter) {
    throw new PkiError('CA_EXPIRES_TOO_SOON', `the ${issuer.ca} CA expires ${issuer.certificate.notAfter.toISOString()}, before ${notAfter.toISOString()}`);
  }
  const der = await signCertificate(
    {
      serial: input.serial,
      issuer: issuer.certificate.subject.raw,
      subject: encodeName(rules.subject),
      notBefore,
      notAfter,
      spki: spki.der,
      extensions: [
        basicConstraints(false),
        keyUsage(rules.keyUsage),
        extKeyUsage(rules.extKeyUsage),
        subjectKeyIdentifier(keyIdentifier(spki)),
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

export function wholeSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

export type { Spki };

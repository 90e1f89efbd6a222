/**
 * After signing: does the certificate say exactly what the request authorised (STYLE.md practice 2,
 * as Boulder's RA checks what its CA returned)? The certificate is decoded afresh with the reader
 * (not the writer that built it) and compared field by field with `profileRules`; the signature is
 * verified with the issuing CA's public key.
 */
import {
  decodeAia, decodeAuthorityKeyId, decodeBasicConstraints, decodeCrlDp, decodeGeneralNames, decodeKeyUsage, decodeOidList, decodePolicies, decodeSubjectKeyId, parseCertificate,
  type ParsedCertificate,
} from './certificate.ts';
import { TAG, bytesEqual, readOne } from './der.ts';
import { keyIdentifier, parseSpki, readSignatureAlgorithm, verifySignature } from './keys.ts';
import { decodeName } from './names.ts';
import { OID } from './oids.ts';
import { profileRules } from './profiles.ts';
import { PkiError } from './errors.ts';
import { wholeSeconds, type IssueInput, type Issuer } from './builder.ts';

/** Extensions an end-entity certificate carries, with their criticality (RFC 5280 §4.2). */
const EXPECTED_EXTENSIONS: ReadonlyMap<string, boolean> = new Map([
  [OID.basicConstraints, true],
  [OID.keyUsage, true],
  [OID.extKeyUsage, false],
  [OID.subjectKeyIdentifier, false],
  [OID.authorityKeyIdentifier, false],
  [OID.cRLDistributionPoints, false],
  [OID.authorityInfoAccess, false],
  [OID.subjectAltName, false],
  [OID.certificatePolicies, false],
]);

/** Throws PkiError `ISSUED_MISMATCH` listing every difference; returns the parsed certificate. */
export function checkIssued(der: Uint8Array<ArrayBuffer>, input: IssueInput, issuer: Issuer): ParsedCertificate {
  let cert: ParsedCertificate;
  try {
    cert = parseCertificate(der);
  } catch (e) {
    throw new PkiError('ISSUED_MISMATCH', `unparsable certificate: ${(e as Error).message}`);
  }
  const problems = issuedProblems(cert, input, issuer);
  if (problems.length) throw new PkiError('ISSUED_MISMATCH', problems.join('; '));
  return cert;
}

/** Every difference between a signed certificate and its request; empty when they match. */
export function issuedProblems(cert: ParsedCertificate, input: IssueInput, issuer: Issuer): string[] {
  const p: string[] = [];
  const expect = (ok: boolean, what: string) => {
    if (!ok) p.push(what);
  };
  const spki = parseSpki(readOne(new Uint8Array(input.publicKey), TAG.SEQUENCE));
  const notBefore = wholeSeconds(input.notBefore);
  const rules = profileRules(input.request, spki.info, notBefore, issuer.policyArc);

  expect(cert.version === 3, 'version is not v3');
  expect(cert.serial === input.serial, 'serial differs');
  expect(bytesEqual(cert.tbsSignatureAlgorithm, issuer.signatureAlgorithm) && bytesEqual(cert.signatureAlgorithm.raw, issuer.signatureAlgorithm), 'signature algorithm differs');
  expect(bytesEqual(cert.issuer.raw, issuer.certificate.subject.raw), 'issuer name differs');
  expect(cert.notBefore.getTime() === notBefore.getTime(), 'notBefore differs');
  expect(cert.notAfter.getTime() === wholeSeconds(rules.notAfter).getTime(), 'notAfter differs');
  expect(cert.notAfter <= issuer.certificate.notAfter, 'outlives the issuing CA');
  expect(bytesEqual(cert.spki.der, spki.der), 'public key differs');

  const subject = decodeName(cert.subject);
  const subjectOk =
    subject.length === rules.subject.length &&
    subject.every((a, i) => a.type === rules.subject[i]!.type && a.value === rules.subject[i]!.value && a.tag === (a.type === 'C' ? TAG.PRINTABLE_STRING : TAG.UTF8_STRING));
  expect(subjectOk, 'subject differs');

  const ext = cert.extensions;
  expect(ext.size === EXPECTED_EXTENSIONS.size, 'unexpected set of extensions');
  for (const [id, critical] of EXPECTED_EXTENSIONS) {
    const e = ext.get(id);
    if (!e) p.push(`extension ${id} missing`);
    else expect(e.critical === critical, `extension ${id} criticality`);
  }
  if (p.length) return p;
  const value = (id: string) => ext.get(id)!.value;
  expect(!decodeBasicConstraints(value(OID.basicConstraints)).ca, 'basicConstraints cA');
  expect(sameSet(decodeKeyUsage(value(OID.keyUsage)), rules.keyUsage), 'keyUsage differs');
  expect(sameSet(decodeOidList(value(OID.extKeyUsage)), rules.extKeyUsage), 'extKeyUsage differs');
  const san = decodeGeneralNames(value(OID.subjectAltName));
  expect(san.length === 1 && san[0]!.type === 'email' && san[0]!.value === input.request.mail, 'subjectAltName differs');
  expect(bytesEqual(decodeSubjectKeyId(value(OID.subjectKeyIdentifier)), keyIdentifier(spki)), 'subjectKeyIdentifier differs');
  const aki = decodeAuthorityKeyId(value(OID.authorityKeyIdentifier));
  expect(aki !== undefined && bytesEqual(aki, issuer.keyId), 'authorityKeyIdentifier differs');
  const dp = decodeCrlDp(value(OID.cRLDistributionPoints));
  expect(dp.length === 1 && dp[0] === issuer.urls.crl(issuer.ca), 'CRL distribution point differs');
  const aia = decodeAia(value(OID.authorityInfoAccess));
  expect(
    aia.length === 2 && aia.some((a) => a.method === OID.adOcsp && a.uri === issuer.urls.ocsp) && aia.some((a) => a.method === OID.adCaIssuers && a.uri === issuer.urls.caCert(issuer.ca)),
    'authorityInfoAccess differs',
  );
  expect(sameSet(decodePolicies(value(OID.certificatePolicies)), [rules.policy]), 'certificatePolicies differ');

  const alg = readSignatureAlgorithm(cert.signatureAlgorithm);
  expect(alg !== null && verifySignature(alg, cert.tbs, cert.signature, issuer.verifyKey), 'signature does not verify with the issuing CA key');
  return p;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/**
 * After signing: does the certificate say exactly what the request authorised (STYLE.md practice 2,
 * as Boulder's RA checks what its CA returned)? The certificate is decoded afresh by OpenSSL (Node's
 * X509Certificate) — a different implementation from the asn1js/pkijs code that built it — and
 * compared with `profileRules`: serial, subject, SAN, EKU, key, validity, issuer and CA flag, AIA, and
 * the signature under the issuing CA's key. Extensions OpenSSL does not expose (keyUsage, policies,
 * CRL DP, SKI, AKI) are checked to be present in their exact expected encoding.
 */
import crypto from 'node:crypto';
import { includesBytes } from './asn1.ts';
import { importPublicKey } from './keys.ts';
import { escapeRfc4514 } from './names.ts';
import { profileRules } from './profiles.ts';
import { PkiError } from './errors.ts';
import { skiExtension, wholeSeconds, type IssueInput, type Issuer } from './builder.ts';

/** Throws PkiError `ISSUED_MISMATCH` listing every difference; returns OpenSSL's view of the certificate. */
export function checkIssued(der: Uint8Array, input: IssueInput, issuer: Issuer): crypto.X509Certificate {
  let x509: crypto.X509Certificate;
  try {
    x509 = new crypto.X509Certificate(der);
  } catch (e) {
    throw new PkiError('ISSUED_MISMATCH', `unparsable certificate: ${(e as Error).message}`);
  }
  const problems = issuedProblems(x509, der, input, issuer);
  if (problems.length) throw new PkiError('ISSUED_MISMATCH', problems.join('; '));
  return x509;
}

/** Every difference between a signed certificate and its request; empty when they match. */
export function issuedProblems(x: crypto.X509Certificate, der: Uint8Array, input: IssueInput, issuer: Issuer): string[] {
  const p: string[] = [];
  const expect = (ok: boolean, what: string) => {
    if (!ok) p.push(what);
  };
  const key = importPublicKey(input.publicKey);
  const notBefore = wholeSeconds(input.notBefore);
  const rules = profileRules(input.request, key.info, notBefore, issuer.policyArc);
  const ca = issuer.certificate;

  expect(BigInt('0x' + x.serialNumber) === input.serial, 'serial differs');
  // Node prints names in encoding order (X.500: C first), one attribute per line, RFC 2253 escapes.
  const subject = [...rules.subject].reverse().map((a) => `${a.type}=${escapeRfc4514(a.value)}`).join('\n');
  expect(x.subject === subject, 'subject differs');
  expect(x.subjectAltName === `email:${input.request.mail}`, 'subjectAltName differs');
  expect(sameList(x.keyUsage ?? [], rules.extKeyUsage), 'extKeyUsage differs');
  expect(x.validFromDate.getTime() === notBefore.getTime(), 'notBefore differs');
  expect(x.validToDate.getTime() === wholeSeconds(rules.notAfter).getTime(), 'notAfter differs');
  expect(x.validToDate <= ca.notAfter, 'outlives the issuing CA');
  expect(x.publicKey.equals(key.key), 'public key differs');
  expect(!x.ca, 'basicConstraints cA is set');
  // X509_check_issued: the issuer name is the CA's subject and the AKI matches its key identifier
  // (reading `x.issuer` as text as well would cost more than the rest of these reads together).
  expect(x.checkIssued(ca.x509), 'issuer name or key identifier differs');
  expect(x.infoAccess === `OCSP - URI:${issuer.urls.ocsp}\nCA Issuers - URI:${issuer.urls.caCert(issuer.ca)}`, 'authorityInfoAccess differs');
  expect(includesBytes(der, issuer.constant('ku', rules.keyUsage)), 'keyUsage differs');
  expect(includesBytes(der, issuer.policies(input.request.profile)), 'certificatePolicies differ');
  expect(includesBytes(der, skiExtension(key)), 'subjectKeyIdentifier differs');
  for (const ext of issuer.endEntityTail) expect(includesBytes(der, ext), 'AKI, CRL distribution point or AIA differs');
  expect(x.verify(issuer.verifyKey), 'signature does not verify with the issuing CA key');
  return p;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v) => b.includes(v));
}

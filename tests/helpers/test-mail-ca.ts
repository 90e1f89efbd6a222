/**
 * A throwaway CA for mail tests, made at test time with WebCrypto and @peculiar/x509: a root, an
 * issuing CA and a mail signing certificate (spec 03 §Hierarchy: EKU emailProtection, SAN
 * rfc822Name = MAIL_FROM), with the mail key wrapped in a `Signer` (RSASSA-PKCS1-v1_5 SHA-256 by
 * default, or ECDSA P-256 SHA-256 to exercise the other signature branch).
 * Not a model for the production CA in api/pki — just enough for S/MIME to verify with OpenSSL.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import type { Signer } from '../../api/pki/signer.ts';

x509.cryptoProvider.set(globalThis.crypto);

const RSA: RsaHashedKeyGenParams = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
const P256: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };

export type TestMailKey = 'RSA-2048' | 'P-256';

export interface TestMailCa {
  /** Signer holding the mail key; `certificate` is the mail signing certificate. */
  readonly signer: Signer;
  /** Issuing CA then root, DER — what `signMail` includes after the signer's certificate. */
  readonly chain: readonly Uint8Array<ArrayBuffer>[];
  readonly rootPem: string;
  readonly issuingPem: string;
  readonly mailPem: string;
}

/** Wraps a private key as a `Signer` — the only way the mail code may reach a key. */
export function keySigner(name: string, keys: CryptoKeyPair, certificate: Uint8Array<ArrayBuffer>): Signer {
  const ec = keys.privateKey.algorithm.name === 'ECDSA';
  return {
    name,
    algorithm: ec ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    certificate,
    publicKey: keys.publicKey,
    async sign(data) {
      if (!ec) return new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', keys.privateKey, data));
      const raw = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keys.privateKey, data));
      return p1363ToDer(raw);
    },
  };
}

/** WebCrypto's ECDSA r‖s → the DER Ecdsa-Sig-Value the Signer interface promises. */
function p1363ToDer(sig: Uint8Array): Uint8Array<ArrayBuffer> {
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = [...b.subarray(i)];
    if (v[0]! & 0x80) v.unshift(0);
    return [0x02, v.length, ...v];
  };
  const n = sig.length / 2;
  const body = [...int(sig.subarray(0, n)), ...int(sig.subarray(n))];
  return Uint8Array.from([0x30, body.length, ...body]);
}

function caExtensions(pathLen: number | undefined): x509.Extension[] {
  return [
    new x509.BasicConstraintsExtension(true, pathLen, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
  ];
}

/** Creates root → issuing CA → mail signing certificate for `mailFrom`. */
export async function createTestMailCa(mailFrom = 'hakko@example.ac.jp', now = new Date(), mailKey: TestMailKey = 'RSA-2048'): Promise<TestMailCa> {
  const notBefore = new Date(now.getTime() - 3600_000);
  const notAfter = new Date(now.getTime() + 365 * 86_400_000);
  const gen = (alg: RsaHashedKeyGenParams | EcKeyGenParams) => crypto.subtle.generateKey(alg, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
  const [rootKeys, issuingKeys, mailKeys] = await Promise.all([gen(RSA), gen(RSA), gen(mailKey === 'P-256' ? P256 : RSA)]);
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01', name: 'CN=Hakko Test Root CA,O=Hakko Test', notBefore, notAfter, keys: rootKeys, signingAlgorithm: RSA,
    extensions: [...caExtensions(undefined), await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey)],
  });
  const issuing = await x509.X509CertificateGenerator.create({
    serialNumber: '02', subject: 'CN=Hakko Test Client CA,O=Hakko Test', issuer: root.subject, notBefore, notAfter,
    publicKey: issuingKeys.publicKey, signingKey: rootKeys.privateKey, signingAlgorithm: RSA,
    extensions: [...caExtensions(0), await x509.SubjectKeyIdentifierExtension.create(issuingKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey)],
  });
  const mail = await x509.X509CertificateGenerator.create({
    serialNumber: '03', subject: `CN=${mailFrom}`, issuer: issuing.subject, notBefore, notAfter,
    publicKey: mailKeys.publicKey, signingKey: issuingKeys.privateKey, signingAlgorithm: RSA,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | (mailKey === 'P-256' ? 0 : x509.KeyUsageFlags.keyEncipherment), true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.emailProtection]),
      new x509.SubjectAlternativeNameExtension([{ type: 'email', value: mailFrom }]),
      await x509.AuthorityKeyIdentifierExtension.create(issuingKeys.publicKey),
    ],
  });
  const der = (c: x509.X509Certificate) => new Uint8Array(c.rawData);
  return {
    signer: keySigner('mail', mailKeys, der(mail)),
    chain: [der(issuing), der(root)],
    rootPem: root.toString('pem'),
    issuingPem: issuing.toString('pem'),
    mailPem: mail.toString('pem'),
  };
}

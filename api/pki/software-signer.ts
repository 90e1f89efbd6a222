/**
 * The software key holder behind the `Signer` interface (spec 03 §Hierarchy, §Where signing
 * happens). Private keys exist in clear only in memory, as non-extractable WebCrypto keys; at rest
 * they are PKCS#8 `EncryptedPrivateKeyInfo` (PBES2: PBKDF2-HMAC-SHA256 + AES-256-CBC, as OpenSSL 3
 * writes it) under `HAKKO_CA_PASSPHRASE`. Node-only.
 */
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import * as pkijs from 'pkijs';
import { importPublicKey, signatureAlgorithmFor, type CaKeyAlgorithm } from './keys.ts';
import { bytesEqual } from './asn1.ts';
import { toPem } from './pem.ts';
import type { SignatureAlgorithm, Signer } from './signer.ts';
import { PkiError } from './errors.ts';

const generateKeyPair = promisify(crypto.generateKeyPair);

/** A freshly generated key: the encrypted PKCS#8 to store and the public key to certify. */
export interface GeneratedKey {
  readonly encryptedKey: Uint8Array<ArrayBuffer>;
  readonly spki: Uint8Array<ArrayBuffer>;
  readonly algorithm: SignatureAlgorithm;
  /** Non-extractable private key, for `createSoftwareSigner` once the certificate exists. */
  readonly privateKey: CryptoKey;
  /** The same key as a KeyObject (in memory only), for the signer. */
  readonly keyObject: crypto.KeyObject;
}

/** Generates a key pair and returns it encrypted under `passphrase`; the clear key never leaves memory. */
export async function generateSignerKey(alg: CaKeyAlgorithm, passphrase: string): Promise<GeneratedKey> {
  const pair = alg.startsWith('RSA')
    ? await generateKeyPair('rsa', { modulusLength: Number(alg.slice(4)), publicExponent: 0x10001 })
    : await generateKeyPair('ec', { namedCurve: alg === 'P-384' ? 'secp384r1' : 'prime256v1' });
  const algorithm = signatureAlgorithmFor(alg);
  return {
    encryptedKey: encryptPrivateKey(pair.privateKey, passphrase),
    spki: toBytes(pair.publicKey.export({ type: 'spki', format: 'der' })),
    algorithm,
    privateKey: toCryptoKey(pair.privateKey, algorithm),
    keyObject: pair.privateKey,
  };
}

/** PKCS#8 EncryptedPrivateKeyInfo (PBES2, AES-256-CBC) of a private KeyObject. */
export function encryptPrivateKey(key: crypto.KeyObject, passphrase: string): Uint8Array<ArrayBuffer> {
  if (!passphrase) throw new PkiError('CA_PASSPHRASE_MISSING', 'HAKKO_CA_PASSPHRASE is empty');
  return toBytes(key.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase }));
}

/**
 * Decrypts an EncryptedPrivateKeyInfo. A wrong passphrase raises `CA_PASSPHRASE_MISMATCH` naming
 * `HAKKO_CA_PASSPHRASE` (spec 03: refuse to start with a clear, coded message).
 */
export function decryptPrivateKey(encryptedKey: Uint8Array, passphrase: string): crypto.KeyObject {
  try {
    return crypto.createPrivateKey({ key: Buffer.from(encryptedKey), format: 'der', type: 'pkcs8', passphrase });
  } catch {
    throw new PkiError(
      'CA_PASSPHRASE_MISMATCH',
      'HAKKO_CA_PASSPHRASE does not decrypt the CA keys stored in the database: start every process with the passphrase the CA was created with',
    );
  }
}

/**
 * Re-encodes an encrypted key as a PEM `ENCRYPTED PRIVATE KEY` (for Node's TLS `key` + `passphrase`
 * options, which do not accept KeyObjects): the TLS key stays encrypted outside OpenSSL's memory too.
 */
export function encryptedKeyPem(encryptedKey: Uint8Array): string {
  return toPem(encryptedKey, 'ENCRYPTED PRIVATE KEY');
}

function toCryptoKey(key: crypto.KeyObject, a: SignatureAlgorithm): CryptoKey {
  const params =
    a.name === 'ECDSA'
      ? { name: 'ECDSA', namedCurve: key.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? 'P-384' : 'P-256' }
      : { name: 'RSASSA-PKCS1-v1_5', hash: a.hash };
  // Node's webcrypto.CryptoKey and the DOM CryptoKey type are the same object at run time.
  return key.toCryptoKey(params, false, ['sign']) as unknown as CryptoKey;
}

/** The algorithm a private key signs with (RSA → SHA-256; P-256 → SHA-256; P-384 → SHA-384). */
export function algorithmOfKey(key: crypto.KeyObject): SignatureAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return signatureAlgorithmFor('RSA-2048');
  if (key.asymmetricKeyType === 'ec') return signatureAlgorithmFor(key.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? 'P-384' : 'P-256');
  throw new PkiError('KEY_ALGORITHM', `unsupported signer key type ${String(key.asymmetricKeyType)}`);
}

/**
 * Signers that sign on libuv's thread pool (`crypto.sign` with a callback) rather than on the main
 * thread. The outbox worker signs many mails at once beside rendering, MIME and SMTP work on the
 * main thread; off-loading its RSA lets the second core do it (spec 05 delivery throughput). The
 * certificate signers stay synchronous: one thread-pool round trip less per certificate (spec 08
 * signing throughput, measured per CPU second).
 */
const THREAD_POOL_SIGNERS: ReadonlySet<string> = new Set(['mail']);

/**
 * A `Signer` over a private key held in memory as a Node KeyObject (never exported). Signing goes
 * straight to OpenSSL (`crypto.sign`): a WebCrypto call would add a thread-pool round trip per
 * certificate (spec 08 signing throughput); the mail signer alone uses the thread pool
 * ({@link THREAD_POOL_SIGNERS}). ECDSA signatures come out DER-encoded, as X.509 and CMS carry them.
 */
export class SoftwareSigner implements Signer {
  readonly name: string;
  readonly algorithm: SignatureAlgorithm;
  readonly certificate: Uint8Array<ArrayBuffer>;
  readonly publicKey: CryptoKey;
  /** True when `sign` runs on libuv's thread pool. */
  readonly threadPool: boolean;
  readonly #privateKey: crypto.KeyObject;
  readonly #hash: string;

  constructor(name: string, privateKey: crypto.KeyObject, publicKey: CryptoKey, algorithm: SignatureAlgorithm, certificate: Uint8Array<ArrayBuffer>, opts: { threadPool?: boolean } = {}) {
    this.name = name;
    this.algorithm = algorithm;
    this.certificate = certificate;
    this.publicKey = publicKey;
    this.threadPool = opts.threadPool ?? false;
    this.#privateKey = privateKey;
    this.#hash = algorithm.hash.replace('-', '').toLowerCase();
  }

  async sign(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
    // ECDSA in DER form (X.509, CMS); RSA gets the key itself (no options object to inspect per call).
    const key = this.algorithm.name === 'ECDSA' ? { key: this.#privateKey, dsaEncoding: 'der' as const } : this.#privateKey;
    const sig = this.threadPool
      ? await new Promise<Buffer>((resolve, reject) => crypto.sign(this.#hash, data, key, (e, s) => (e ? reject(e) : resolve(s))))
      : crypto.sign(this.#hash, data, key);
    return new Uint8Array(sig.buffer.slice(sig.byteOffset, sig.byteOffset + sig.byteLength)) as Uint8Array<ArrayBuffer>;
  }
}

/**
 * Creates a signer from a stored encrypted key and its certificate (DER). Throws
 * `CA_PASSPHRASE_MISMATCH` for a wrong passphrase and `CA_KEY_MISMATCH` when the key does not
 * belong to the certificate.
 */
export async function createSoftwareSigner(name: string, encryptedKey: Uint8Array, passphrase: string, certificate: Uint8Array<ArrayBuffer>): Promise<SoftwareSigner> {
  const key = decryptPrivateKey(encryptedKey, passphrase);
  const algorithm = algorithmOfKey(key);
  const pub = crypto.createPublicKey(key);
  const certKey = new crypto.X509Certificate(certificate).publicKey.export({ type: 'spki', format: 'der' });
  if (!bytesEqual(toBytes(pub.export({ type: 'spki', format: 'der' })), importPublicKey(certKey).spki)) {
    throw new PkiError('CA_KEY_MISMATCH', `the stored ${name} key does not belong to the stored ${name} certificate`);
  }
  return signerFromKeyObject(name, key, pub, algorithm, certificate);
}

/** Builds a signer from a generated key (first start) without a decrypt round trip. */
export function signerFromGenerated(name: string, g: GeneratedKey, certificate: Uint8Array<ArrayBuffer>): SoftwareSigner {
  const pub = crypto.createPublicKey({ key: Buffer.from(g.spki), format: 'der', type: 'spki' });
  return signerFromKeyObject(name, g.keyObject, pub, g.algorithm, certificate);
}

function signerFromKeyObject(name: string, priv: crypto.KeyObject, pub: crypto.KeyObject, a: SignatureAlgorithm, cert: Uint8Array<ArrayBuffer>): SoftwareSigner {
  const params = a.name === 'ECDSA' ? { name: 'ECDSA', namedCurve: pub.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? 'P-384' : 'P-256' } : { name: 'RSASSA-PKCS1-v1_5', hash: a.hash };
  return new SoftwareSigner(name, priv, pub.toCryptoKey(params, true, ['verify']) as unknown as CryptoKey, a, cert, { threadPool: THREAD_POOL_SIGNERS.has(name) });
}

function toBytes(b: Buffer): Uint8Array<ArrayBuffer> {
  return new Uint8Array(b.buffer, b.byteOffset, b.length).slice();
}

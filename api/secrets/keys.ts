/**
 * Server keys (spec 03 §Hierarchy, spec 04 §Secrets). One master key is derived from the instance
 * secret HAKKO_CA_PASSPHRASE with scrypt (RFC 7914) once per process start; everything else comes
 * from the master key by HKDF under distinct labels: the PIN-hash and PIN-encryption keys, the
 * mailbox key, the passphrase the private keys are encrypted under, and the key-check value. A
 * database dump therefore offers no fast offline test of the passphrase: every guess costs a scrypt.
 */
import { createHmac, hkdfSync, randomBytes, scrypt } from 'node:crypto';

/** scrypt cost (RFC 7914 §2): N = 2^17, r = 8, p = 1 — 128 MiB and ≈ 0.25 s here, once per start. */
export interface KdfCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** The production cost. Tests may create instances with a cheaper cost (tests/helpers/server.ts). */
export const KDF_COST: KdfCost = { N: 2 ** 17, r: 8, p: 1 };

/** What an instance stores about its master key: the scrypt parameters, the salt and the key-check value. */
export interface KdfRecord extends KdfCost {
  readonly alg: 'scrypt';
  /** 16 random bytes, base64url. */
  readonly salt: string;
  /** HMAC under a key derived from the master key: a wrong passphrase is refused at start. */
  readonly check: string;
}

export interface ServerKeys {
  /** HMAC-SHA-256 key for access-PIN hashes. */
  readonly pinHash: Uint8Array<ArrayBuffer>;
  /** AES-256-GCM key for the escrowed PIN copy and the sealed links in the outbox. */
  readonly pinEnc: Uint8Array<ArrayBuffer>;
  /** AES-256-GCM key for the stored bodies of the built-in mailbox. */
  readonly mailbox: Uint8Array<ArrayBuffer>;
  /**
   * The passphrase of the PKCS#8 EncryptedPrivateKeyInfo of every private key the server holds: 256
   * random-looking bits, so PBES2's own PBKDF2 iteration count no longer matters.
   */
  readonly privateKeyPassphrase: string;
  /** Published check value, safe to store. */
  readonly checkValue: string;
  /**
   * The PIN-hash key of instances made before the master key (derived straight from the secret):
   * only to verify PIN hashes that the migration could not recompute (see `pin.ts` `pinMatches`).
   */
  readonly legacyPinHash: Uint8Array<ArrayBuffer>;
}

/** The shortest HAKKO_CA_PASSPHRASE accepted (the generated one has 43 characters). */
export const MIN_PASSPHRASE_LENGTH = 16;

function hkdf(ikm: Uint8Array | string, salt: string, label: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(hkdfSync('sha256', typeof ikm === 'string' ? Buffer.from(ikm, 'utf8') : ikm, Buffer.from(salt), Buffer.from(label), 32));
}

const checkOf = (key: Uint8Array) => createHmac('sha256', key).update('hakko key check').digest('hex').slice(0, 32);

/** A new record's scrypt parameters and random salt (the check value is added once the key exists). */
export function newKdfParams(cost: KdfCost = KDF_COST): Omit<KdfRecord, 'check'> {
  return { alg: 'scrypt', N: cost.N, r: cost.r, p: cost.p, salt: randomBytes(16).toString('base64url') };
}

/** scrypt(secret, salt) → 32 bytes, on the thread pool (the event loop stays free). */
export function deriveMasterKey(secret: string, params: Omit<KdfRecord, 'check'>): Promise<Uint8Array<ArrayBuffer>> {
  if (params.alg !== 'scrypt' || !Number.isInteger(Math.log2(params.N)) || params.N < 2 || params.r < 1 || params.p < 1) {
    return Promise.reject(new Error(`unsupported key derivation parameters: ${JSON.stringify({ alg: params.alg, N: params.N, r: params.r, p: params.p })}`));
  }
  // scrypt needs 128·N·r bytes; Node's default ceiling is 32 MiB.
  const maxmem = 256 * params.N * params.r + 1024 * 1024;
  return new Promise((resolve, reject) =>
    scrypt(Buffer.from(secret, 'utf8'), Buffer.from(params.salt, 'base64url'), 32, { N: params.N, r: params.r, p: params.p, maxmem }, (err, key) => (err ? reject(err) : resolve(new Uint8Array(key)))),
  );
}

/** Every server key from the master key (and the legacy PIN-hash key from the secret). */
export function serverKeys(master: Uint8Array, secret: string): ServerKeys {
  return {
    pinHash: hkdf(master, 'hakko', 'hakko/pin-hash/v2'),
    pinEnc: hkdf(master, 'hakko', 'hakko/pin-encryption/v2'),
    mailbox: hkdf(master, 'hakko', 'hakko/mailbox/v1'),
    privateKeyPassphrase: Buffer.from(hkdf(master, 'hakko', 'hakko/private-keys/v1')).toString('base64url'),
    checkValue: checkOf(hkdf(master, 'hakko', 'hakko/key-check/v2')),
    legacyPinHash: legacyKeys(secret).pinHash,
  };
}

/**
 * The keys of instances made before the master key: HKDF straight from the secret, the CA keys
 * encrypted under the secret itself. Only the start-up migration reads with them.
 */
export function legacyKeys(secret: string): { readonly pinHash: Uint8Array<ArrayBuffer>; readonly pinEnc: Uint8Array<ArrayBuffer>; readonly checkValue: string; readonly privateKeyPassphrase: string } {
  return {
    pinHash: hkdf(secret, 'hakko', 'hakko/pin-hash/v1'),
    pinEnc: hkdf(secret, 'hakko', 'hakko/pin-encryption/v1'),
    checkValue: checkOf(hkdf(secret, 'hakko', 'hakko/key-check/v1')),
    privateKeyPassphrase: secret,
  };
}

/** Whether a passphrase is long enough to be accepted (issue 9: shorter ones are refused at start). */
export function longEnough(secret: string): boolean {
  return [...secret].length >= MIN_PASSPHRASE_LENGTH;
}

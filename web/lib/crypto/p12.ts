/**
 * The PKCS#12 file, built in the browser (spec 04 §PKCS#12 contents) in two variants:
 *
 * - **modern**: the key in a PKCS8ShroudedKeyBag with PBES2 (PBKDF2-HMAC-SHA256, 100,000
 *   iterations, AES-256-CBC), MAC HMAC-SHA256 with 2,048 iterations — pkijs on WebCrypto;
 * - **compatible**: the key with pbeWithSHAAnd3-KeyTripleDES-CBC (2,048 iterations) — node-forge,
 *   loaded only when this variant is built (`p12-compatible.ts`) — and a SHA-1 MAC; never RC2.
 *
 * Both: the certificates (end-entity, issuing CA, root) in a plain safe, the key bag in a second
 * one; `friendlyName` (the CN) and `localKeyId` (SHA-1 of the certificate DER) on the key bag and
 * the end-entity certificate bag; MAC with an 8-byte salt (notes/p12-platforms.md §4: longer salts
 * broke macOS in one report); DER throughout. The MAC's PKCS#12 KDF is pkijs' (plain JavaScript).
 */
import * as asn1js from 'asn1js';
import {
  AlgorithmIdentifier, Attribute, type ContentEncryptionAlgorithm, AuthenticatedSafe, CertBag, ContentInfo, DigestInfo, MacData, PFX, PKCS8ShroudedKeyBag,
  PrivateKeyInfo, SafeBag, SafeContents, getCrypto,
} from 'pkijs';
import { fromPem } from './pem.ts';
import { usableP12Password } from './password.ts';

/** The two variants of spec 04 §PKCS#12 contents. */
export type P12Variant = 'modern' | 'compatible';
export const P12_VARIANTS: readonly P12Variant[] = ['modern', 'compatible'];

/** The algorithm parameters the spec fixes, per variant (unit tests read the files back against these). */
export const P12_PARAMETERS = {
  modern: { keyIterations: 100_000, macHash: 'SHA-256', macIterations: 2048 },
  compatible: { keyIterations: 2048, macHash: 'SHA-1', macIterations: 2048 },
  macSaltBytes: 8,
} as const;

/** OIDs used here (PKCS#12 bag types, PKCS#9 attributes, digests). */
export const P12_OID = {
  keyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  data: '1.2.840.113549.1.7.1',
  pbes2: '1.2.840.113549.1.5.13',
  pbeSha1TripleDes: '1.2.840.113549.1.12.1.3',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
} as const;

export interface P12Input {
  /** The subscriber's key; must be extractable (keys.ts). */
  readonly privateKey: CryptoKey;
  /** PEM certificates: the end-entity first, then the issuing CA and the root (the API's `chain`). */
  readonly certificates: readonly string[];
  /** Printable ASCII, never empty (spec 04). */
  readonly password: string;
  /** Shown by key stores as the entry's name: the certificate's CN. */
  readonly friendlyName: string;
  readonly variant: P12Variant;
}

const ascii = (s: string) => new TextEncoder().encode(s);

/** friendlyName (BMPString) and localKeyId, the pair that ties the key to its certificate. */
function bagAttributes(friendlyName: string, localKeyId: ArrayBuffer): Attribute[] {
  return [
    new Attribute({ type: P12_OID.friendlyName, values: [new asn1js.BmpString({ value: friendlyName })] }),
    new Attribute({ type: P12_OID.localKeyId, values: [new asn1js.OctetString({ valueHex: localKeyId })] }),
  ];
}

function certBag(der: Uint8Array, attributes?: Attribute[]): SafeBag {
  const bag = new CertBag({ certId: P12_OID.x509Certificate, certValue: new asn1js.OctetString({ valueHex: der.slice().buffer }) });
  return new SafeBag({ bagId: P12_OID.certBag, bagValue: bag, ...(attributes ? { bagAttributes: attributes } : {}) });
}

/** The modern key encryption: PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC (pkijs on WebCrypto). */
async function modernKeyBag(pkcs8: Uint8Array<ArrayBuffer>, password: string): Promise<PKCS8ShroudedKeyBag> {
  const bag = new PKCS8ShroudedKeyBag({ parsedValue: PrivateKeyInfo.fromBER(pkcs8) });
  await bag.makeInternalValues({
    password: ascii(password).buffer,
    // pkijs' type asks for an `iv`, which it ignores: it draws a fresh random IV itself (STACK.md §PKI).
    contentEncryptionAlgorithm: { name: 'AES-CBC', length: 256 } as unknown as ContentEncryptionAlgorithm,
    hmacHashAlgorithm: 'SHA-256',
    iterationCount: P12_PARAMETERS.modern.keyIterations,
  });
  return bag;
}

/** The compatible key encryption: 3DES PKCS#12 PBE by node-forge, loaded on first use. */
async function compatibleKeyBag(pkcs8: Uint8Array<ArrayBuffer>, password: string): Promise<PKCS8ShroudedKeyBag> {
  const { encryptKey3des } = await import('./p12-compatible.ts');
  const der = encryptKey3des(pkcs8, password, P12_PARAMETERS.compatible.keyIterations, P12_PARAMETERS.macSaltBytes);
  return PKCS8ShroudedKeyBag.fromBER(der);
}

function checkPassword(password: string): void {
  if (!usableP12Password(password)) throw new Error('the P12 password must be printable ASCII and not empty');
}

/**
 * The private key encrypted for `variant` under `password`: the DER EncryptedPrivateKeyInfo that
 * becomes the shrouded key bag. It needs no certificate, so the pickup makes it while the CSR is on
 * its way (the PBKDF2 of the modern variant is most of a P12's cost).
 */
export async function shroudKey(privateKey: CryptoKey, password: string, variant: P12Variant): Promise<Uint8Array<ArrayBuffer>> {
  checkPassword(password);
  // The platform's own PKCS#8 (pkijs' engine would re-encode EC keys through JWK).
  const pkcs8 = new Uint8Array(await globalThis.crypto.subtle.exportKey('pkcs8', privateKey));
  try {
    const bag = variant === 'modern' ? await modernKeyBag(pkcs8, password) : await compatibleKeyBag(pkcs8, password);
    return new Uint8Array(bag.toSchema().toBER(false));
  } finally {
    pkcs8.fill(0);
  }
}

/**
 * The MAC key of a PKCS#12 (§B, the PKCS#12 KDF with ID 3) for one password, salt and iteration
 * count. It needs no certificate, so the pickup derives it with the key's encryption while the CSR
 * travels; the MAC is then one WebCrypto HMAC.
 */
export interface MacKey {
  readonly hash: 'SHA-1' | 'SHA-256';
  readonly iterations: number;
  readonly salt: Uint8Array<ArrayBuffer>;
  readonly key: Uint8Array<ArrayBuffer>;
}

/**
 * Derives a `MacKey` with pkijs' PKCS#12 KDF (plain JavaScript, ≈ 15 ms for 2,048 iterations in a
 * fresh worker). pkijs offers that KDF only inside `stampDataWithPassword`, which derives the key and
 * hands it to the engine's `importKey`: this runs it on a view of the engine whose `importKey` keeps
 * the raw bytes (over empty content; the HMAC it makes is thrown away). If a pkijs update stops
 * calling `importKey`, this throws rather than build a file with a wrong MAC (p12.test.ts compares
 * the result with pkijs' own MAC).
 */
export async function deriveMacKey(password: string, variant: P12Variant, salt?: Uint8Array<ArrayBuffer>): Promise<MacKey> {
  const { macHash: hash, macIterations: iterations } = P12_PARAMETERS[variant];
  const engine = getCrypto(true);
  const macSalt = salt ?? engine.getRandomValues(new Uint8Array(P12_PARAMETERS.macSaltBytes));
  let key: Uint8Array<ArrayBuffer> | undefined;
  const keeping = Object.create(engine, {
    importKey: {
      value: (format: 'raw', data: BufferSource, algorithm: HmacImportParams, extractable: boolean, usages: KeyUsage[]) => {
        key = new Uint8Array(ArrayBuffer.isView(data) ? data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) : data.slice(0));
        return engine.importKey(format, data, algorithm, extractable, usages);
      },
    },
  }) as typeof engine;
  await engine.stampDataWithPassword.call(keeping, { password: ascii(password).buffer, hashAlgorithm: hash, salt: macSalt.buffer, iterationCount: iterations, contentToStamp: new ArrayBuffer(0) });
  if (!key || key.byteLength !== (hash === 'SHA-1' ? 20 : 32)) throw new Error('pkijs did not hand over the PKCS#12 MAC key');
  return { hash, iterations, salt: macSalt, key };
}

/** The password MAC over the authenticated safe (PKCS#12 §5: HMAC under the PKCS#12 KDF). */
async function macData(content: ArrayBuffer, mac: MacKey): Promise<MacData> {
  const subtle = globalThis.crypto.subtle;
  const hmac = await subtle.importKey('raw', mac.key, { name: 'HMAC', hash: mac.hash }, false, ['sign']);
  const digest = await subtle.sign('HMAC', hmac, content);
  return new MacData({
    mac: new DigestInfo({
      digestAlgorithm: new AlgorithmIdentifier({ algorithmId: mac.hash === 'SHA-1' ? P12_OID.sha1 : P12_OID.sha256, algorithmParams: new asn1js.Null() }),
      digest: new asn1js.OctetString({ valueHex: digest }),
    }),
    macSalt: new asn1js.OctetString({ valueHex: mac.salt.slice().buffer }),
    iterations: mac.iterations,
  });
}

export interface AssembleInput extends Omit<P12Input, 'privateKey'> {
  /** `shroudKey`'s output for the same password and variant. */
  readonly shroudedKey: Uint8Array;
  /** `deriveMacKey`'s output for the same password and variant; derived here when missing. */
  readonly macKey?: MacKey;
}

/** The PKCS#12 file (DER) from an already encrypted key and the certificates. */
export async function assembleP12(input: AssembleInput): Promise<Uint8Array<ArrayBuffer>> {
  checkPassword(input.password);
  if (input.certificates.length === 0) throw new Error('no certificate');
  const certs = input.certificates.map((pem) => fromPem(pem));
  const attributes = bagAttributes(input.friendlyName, await globalThis.crypto.subtle.digest('SHA-1', certs[0]!));
  const shrouded = PKCS8ShroudedKeyBag.fromBER(input.shroudedKey.slice().buffer);
  const safe = new AuthenticatedSafe({
    parsedValue: {
      safeContents: [
        { privacyMode: 0, value: new SafeContents({ safeBags: certs.map((der, i) => certBag(der, i === 0 ? attributes : undefined)) }) },
        { privacyMode: 0, value: new SafeContents({ safeBags: [new SafeBag({ bagId: P12_OID.keyBag, bagValue: shrouded, bagAttributes: attributes })] }) },
      ],
    },
  });
  await safe.makeInternalValues({ safeContents: [{}, {}] });
  const content = safe.toSchema().toBER(false);
  const mac = input.macKey ?? (await deriveMacKey(input.password, input.variant));
  const params = P12_PARAMETERS[input.variant];
  if (mac.hash !== params.macHash || mac.iterations !== params.macIterations) throw new Error(`the MAC key was derived for another variant than ${input.variant}`);
  const pfx = new PFX({
    version: 3,
    authSafe: new ContentInfo({ contentType: P12_OID.data, content: new asn1js.OctetString({ valueHex: content }) }),
    macData: await macData(content, mac),
  });
  return new Uint8Array(pfx.toSchema().toBER(false));
}

/** The PKCS#12 file (DER) for `input`: `shroudKey` then `assembleP12`. */
export async function buildP12(input: P12Input): Promise<Uint8Array<ArrayBuffer>> {
  checkPassword(input.password);
  const shroudedKey = await shroudKey(input.privateKey, input.password, input.variant);
  return assembleP12({ ...input, shroudedKey });
}

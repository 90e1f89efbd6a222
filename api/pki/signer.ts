/**
 * The one interface that hides a private key (spec 03 §Where signing happens). The software signer
 * holds a WebCrypto key decrypted from PKCS#8; a PKCS#11 token can implement the same interface later
 * without touching workflows.
 */
export type SignatureAlgorithm =
  | { readonly name: 'RSASSA-PKCS1-v1_5'; readonly hash: 'SHA-256' | 'SHA-384' }
  | { readonly name: 'ECDSA'; readonly hash: 'SHA-256' | 'SHA-384' };

export interface Signer {
  /** Stable name, e.g. `root`, `issuing`, `ocsp`, `mail`, `tls`. */
  readonly name: string;
  readonly algorithm: SignatureAlgorithm;
  /** The signer's certificate (DER). */
  readonly certificate: Uint8Array<ArrayBuffer>;
  readonly publicKey: CryptoKey;
  /**
   * Signs `data` with the key's algorithm (hashing included). ECDSA signatures come back in the
   * X.509/CMS DER `Ecdsa-Sig-Value` form, ready to be placed into a signature field.
   */
  sign(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>>;
}

/**
 * The compatible variant's key encryption (spec 04 §PKCS#12 contents): pbeWithSHAAnd3-KeyTripleDES-CBC,
 * which WebCrypto lacks and pkijs cannot write — node-forge's PKCS#5/PKCS#12 PBE does it. This
 * module is imported dynamically, so forge is a chunk of its own that only a compatible build loads
 * (spec 08: the pickup page's JavaScript budget). forge's PKCS#12 writer is not used: it handles RSA
 * keys only (STACK.md), while encrypting the PKCS#8 works for RSA and P-256 alike.
 */
import forge from 'node-forge/lib/forge.js';
import 'node-forge/lib/asn1.js';
import 'node-forge/lib/pbe.js';

/**
 * The DER EncryptedPrivateKeyInfo of a PKCS#8 key under `password` with 3DES and the PKCS#12 KDF
 * (SHA-1), `iterations` rounds, a `saltBytes`-byte salt.
 */
export function encryptKey3des(pkcs8: Uint8Array, password: string, iterations: number, saltBytes: number): Uint8Array<ArrayBuffer> {
  let binary = '';
  for (const b of pkcs8) binary += String.fromCharCode(b);
  const info = forge.asn1.fromDer(binary);
  const encrypted = forge.pki.encryptPrivateKeyInfo(info, password, { algorithm: '3des', count: iterations, saltSize: saltBytes });
  const der = forge.asn1.toDer(encrypted).getBytes();
  binary = '';
  const out = new Uint8Array(der.length);
  for (let i = 0; i < der.length; i++) out[i] = der.charCodeAt(i);
  return out;
}

/**
 * What the running server needs from the CA (the lead's wiring contract with api/pki): certificates
 * for /pki and `ca show`, the signers, and TLS credentials for the HTTPS listener. `Ca`
 * (hierarchy.ts) implements it.
 */
import type { Signer } from './signer.ts';
import type { Issuer } from './builder.ts';
import type { SystemCertName } from './ca-certs.ts';
import type { CertInfo } from './certificate.ts';

/** A loaded system certificate. */
export interface CaEntity {
  readonly name: SystemCertName;
  /** Null when the store holds no key for it (an imported, offline root). */
  readonly signer: Signer | null;
  readonly certificate: CertInfo;
  readonly encryptedKey: Uint8Array<ArrayBuffer> | null;
  readonly pem: string;
  readonly sha256: string;
}

export interface CaEntityInfo {
  readonly subject: string;
  /** Hex SHA-256 of the DER. */
  readonly sha256: string;
  readonly pem: string;
}

export interface CaShow {
  readonly root: CaEntityInfo;
  readonly issuing: CaEntityInfo;
  readonly ocsp: CaEntityInfo;
  readonly mail: CaEntityInfo;
  readonly tls: CaEntityInfo;
}

/**
 * TLS credentials for `https.createServer({ cert, key, passphrase })`. Node's TLS accepts no
 * KeyObject, so the key is an encrypted PKCS#8 PEM (`ENCRYPTED PRIVATE KEY`) with its passphrase:
 * only OpenSSL decrypts it, in memory.
 */
export interface TlsCredentials {
  /** The TLS certificate followed by the issuing CA (PEM). */
  readonly cert: string;
  readonly key: string;
  readonly passphrase: string;
}

export interface CaRuntime {
  show(): CaShow;
  readonly rootDer: Uint8Array<ArrayBuffer>;
  readonly issuingDer: Uint8Array<ArrayBuffer>;
  /** Current signers; `ocsp` and `mail` change when renewed, so read them per use. */
  readonly signers: {
    readonly root: Signer;
    readonly issuing: Signer;
    readonly ocsp: Signer;
    readonly mail: Signer;
  };
  tlsCredentials(): TlsCredentials;
  /** The current mail signing certificate's signer (same as `signers.mail`). */
  readonly mailSigner: Signer;
  /** A loaded system certificate by name. */
  entity(name: SystemCertName): CaEntity;
  /** Policy OID arc (`2.25.…`). */
  readonly policyArc: string;
  /** The issuing CA, precomputed for end-entity issuance. */
  readonly issuer: Issuer;
  /** The root as an issuer (root CRL); null when the root key is not held. */
  readonly rootIssuer: Issuer | null;
  /** The current OCSP responder signer (renewed automatically: read per use). */
  readonly ocspSigner: Signer;
  /** Renews OCSP / mail / TLS certificates nearing expiry; returns the renewed names. */
  ensureFresh(now?: Date): Promise<string[]>;
}

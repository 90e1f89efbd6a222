/**
 * What the running server needs from the CA (the lead's wiring contract with api/pki): certificates
 * for /pki and `ca show`, the signers, and TLS credentials for the HTTPS listener.
 */
import type { Signer } from './signer.ts';

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

export interface CaRuntime {
  show(): CaShow;
  readonly rootDer: Uint8Array<ArrayBuffer>;
  readonly issuingDer: Uint8Array<ArrayBuffer>;
  readonly signers: {
    readonly root: Signer;
    readonly issuing: Signer;
    readonly ocsp: Signer;
    readonly mail: Signer;
  };
  /** Certificate chain PEM and private key for `https.createServer` (key kept in memory only). */
  tlsCredentials(): { readonly cert: string; readonly key: import('node:crypto').KeyObject };
  /** Policy OID arc (`2.25.…`). */
  readonly policyArc: string;
}

/**
 * The messages between a page and its crypto workers. Every task is self-contained (its inputs in
 * the message, its outputs in the answer; CryptoKeys travel by structured clone), so any worker of
 * a pool can serve any task: the individual pickup uses a pool of one, the bulk pickup (issue 11) a
 * pool of `navigator.hardwareConcurrency` workers with the same tasks.
 */
import type { KeyAlgorithm } from '$domain/profiles.ts';
import type { MacKey, P12Variant } from './p12.ts';

/** Load the worker's code and answer (the page warms its worker while the user types the PIN). */
export interface PingTask {
  readonly op: 'ping';
}

/** Generate a key pair and the CSR for `dn` (spec 04 §Pickup page 2). */
export interface KeyTask {
  readonly op: 'key';
  readonly keyAlgorithm: KeyAlgorithm;
  readonly dn: string;
}

/**
 * Encrypt a private key for a PKCS#12 (`shroudKey`) and derive the file's MAC key (`deriveMacKey`):
 * neither needs the certificate, so this runs while the CSR travels.
 */
export interface ShroudTask {
  readonly op: 'shroud';
  readonly privateKey: CryptoKey;
  readonly password: string;
  readonly variant: P12Variant;
}

/** Build a PKCS#12 (spec 04 §PKCS#12 contents) from the key, or from a `ShroudTask`'s result for the same password and variant. */
export interface P12Task {
  readonly op: 'p12';
  readonly privateKey?: CryptoKey;
  readonly shroudedKey?: Uint8Array;
  /** With `shroudedKey`: the MAC key of the same `ShroudResult`. */
  readonly macKey?: MacKey;
  /** PEM: end-entity, issuing CA, root. */
  readonly certificates: readonly string[];
  readonly password: string;
  readonly friendlyName: string;
  readonly variant: P12Variant;
  /**
   * The CSR the certificate was requested with: the worker refuses (`MISMATCH`) to pair the key
   * with a certificate for another key (STYLE.md: check again where it matters).
   */
  readonly csrPem?: string;
}

export type CryptoTask = PingTask | KeyTask | ShroudTask | P12Task;

export interface KeyResult {
  /** Extractable (keys.ts); the public key is not kept — the CSR carries it. */
  readonly privateKey: CryptoKey;
  readonly csrPem: string;
}

export interface ShroudResult {
  /** DER EncryptedPrivateKeyInfo. */
  readonly shroudedKey: Uint8Array<ArrayBuffer>;
  /** For the same password and variant. */
  readonly macKey: MacKey;
}

export interface P12Result {
  readonly p12: Uint8Array<ArrayBuffer>;
}

/** The result type of a task. */
export type ResultOf<T extends CryptoTask> = T extends KeyTask ? KeyResult : T extends ShroudTask ? ShroudResult : T extends P12Task ? P12Result : null;

/**
 * Why a task failed: WebCrypto missing (an old browser, or a page that is not a secure context),
 * the platform refusing the key algorithm, a certificate that is not for the CSR's key, anything else.
 */
export type CryptoFailure = 'NO_WEBCRYPTO' | 'KEY_GENERATION' | 'CSR' | 'MISMATCH' | 'P12' | 'WORKER';

/** Page → worker. */
export interface TaskMessage {
  readonly id: number;
  readonly task: CryptoTask;
}

/** Worker → page. */
export type AnswerMessage =
  | { readonly id: number; readonly ok: true; readonly result: KeyResult | ShroudResult | P12Result | null }
  | { readonly id: number; readonly ok: false; readonly failure: CryptoFailure; readonly detail: string };

/** A failed task as the page sees it. */
export class CryptoError extends Error {
  override name = 'CryptoError';
  readonly failure: CryptoFailure;
  constructor(failure: CryptoFailure, detail: string) {
    super(`${failure}: ${detail}`);
    this.failure = failure;
  }
}

/**
 * The issuance sequence of a pickup row (spec 04 §Pickup page 2–4, §Resuming), in this order:
 *
 *  1. key and CSR — the ones this browser stored before (resume), else new ones from a crypto
 *     worker, **stored before anything is sent**, so a reload or crash after sending loses nothing;
 *  2. the CSR sent, retried with backoff on network failures (the API returns the same certificate
 *     for the same CSR, so a repeat is harmless);
 *  3. the certificate stored with the row;
 *  4. the PKCS#12 built in a worker from the stored key, refused if the certificate is not for it.
 *
 * Steps 1, 3 and 4 are per row (`keyForRow`, `keepCertificate`, `p12ForRow`): the bulk pickup
 * (issue 11) runs them for every row of its group on a larger pool and sends the CSRs in batches.
 * Plain TypeScript (no Svelte), so unit tests drive it with fakes.
 */
import type { IssuedView, PickupInfo, PickupRow } from '$domain/pickup-api.ts';
import type { KeyAlgorithm } from '$domain/profiles.ts';
import { ApiError, type RetryPolicy } from '../api/client.ts';
import type { PickupApi } from '../api/pickup.ts';
import { keyAlgorithmOf } from '../crypto/keys.ts';
import type { P12Variant } from '../crypto/p12.ts';
import type { CryptoPool } from '../crypto/pool.ts';
import type { KeyResult, ShroudResult } from '../crypto/protocol.ts';
import type { PickupRecord, RowRecord, StoredCertificate } from '../storage/pickup-records.ts';
import type { PickupStore } from '../storage/pickup-store.ts';

export interface SequenceDeps {
  readonly store: PickupStore;
  readonly pool: CryptoPool;
  readonly api: PickupApi;
  readonly now: () => Date;
}

/** A row whose certificate is stored: everything a PKCS#12 is built from. */
export type IssuedRow = RowRecord & { readonly certificate: StoredCertificate };

/** Refusals of a CSR after which this key must not be sent again: the next attempt makes a new one. */
export const KEY_REFUSALS: ReadonlySet<string> = new Set(['CSR_MALFORMED', 'CSR_SIGNATURE', 'KEY_UNSUPPORTED', 'KEY_REUSED', 'KEY_SAME_AS_REPLACED']);

/** The network retry of CSR submission: 5 attempts, 0.5 s doubling to 8 s (spec 04 §Resuming). */
export const SUBMIT_RETRY: Omit<RetryPolicy, 'onRetry'> = { attempts: 5, baseDelayMs: 500, maxDelayMs: 8000 };

/** The pickup URL's record, written once (its expiry lets the store purge it later). */
export async function ensurePickupRecord(deps: Pick<SequenceDeps, 'store' | 'now'>, pickup: string, info: PickupInfo): Promise<PickupRecord> {
  const found = await deps.store.getPickup(pickup);
  if (found) return found;
  const record: PickupRecord = { pickup, method: info.method, keyAlgorithm: keyAlgorithmOf(info.keyAlgorithm), expiresAt: info.expiresAt, createdAt: deps.now().toISOString() };
  await deps.store.putPickup(record);
  return record;
}

type KeyDeps = Pick<SequenceDeps, 'store' | 'pool' | 'now'>;
type KeyRow = Pick<PickupRow, 'id' | 'dn'>;

/** Step 1: the stored key and CSR of the row, or new ones, stored before they are used. */
export async function keyForRow(deps: KeyDeps, pickup: string, keyAlgorithm: KeyAlgorithm, row: KeyRow): Promise<RowRecord> {
  const stored = await deps.store.getRow(pickup, row.id);
  if (stored) return stored;
  return newKeyForRow(deps, pickup, keyAlgorithm, row);
}

/**
 * `keyForRow` once the store is known to hold no key for the row. `prepared` is a key task started
 * earlier for this row (the individual page starts one while the PIN is typed); if it failed, a new
 * key is made here.
 */
async function newKeyForRow(deps: KeyDeps, pickup: string, keyAlgorithm: KeyAlgorithm, row: KeyRow, prepared?: Promise<KeyResult>): Promise<RowRecord> {
  const fresh = () => deps.pool.run({ op: 'key', keyAlgorithm, dn: row.dn });
  const made = prepared ? await prepared.catch(fresh) : await fresh();
  const record: RowRecord = { pickup, rowId: row.id, privateKey: made.privateKey, csrPem: made.csrPem, createdAt: deps.now().toISOString() };
  await deps.store.putRow(record);
  return record;
}

/** Step 3: the certificate the API returned, kept with the row's key. */
export async function keepCertificate(store: PickupStore, record: RowRecord, issued: IssuedView): Promise<IssuedRow> {
  const withCert: IssuedRow = { ...record, certificate: { serial: issued.serial, pem: issued.certificate, chain: [...issued.chain] } };
  await store.putRow(withCert);
  return withCert;
}

/**
 * Step 4: the PKCS#12 of an issued row (the worker checks the certificate against the CSR). With
 * `shrouded` (a `shroud` task's result for the same password and variant) only the certificate
 * bags and the MAC's HMAC remain to be made.
 */
export async function p12ForRow(pool: CryptoPool, row: IssuedRow, opts: { password: string; variant: P12Variant; friendlyName: string; shrouded?: ShroudResult }): Promise<Uint8Array<ArrayBuffer>> {
  const { p12 } = await pool.run({
    op: 'p12',
    ...(opts.shrouded ? { shroudedKey: opts.shrouded.shroudedKey, macKey: opts.shrouded.macKey } : { privateKey: row.privateKey }),
    certificates: [row.certificate.pem, ...row.certificate.chain],
    password: opts.password,
    friendlyName: opts.friendlyName,
    variant: opts.variant,
    csrPem: row.csrPem,
  });
  return p12;
}

export interface IndividualInput {
  readonly token: string;
  /** `pickupKey(token)`. */
  readonly pickup: string;
  readonly info: PickupInfo;
  readonly pin: string;
  /**
   * A key task for this row started before the click (see `newKeyForRow`); used only when this
   * browser has no stored key for the row, and never twice.
   */
  readonly prepared?: Promise<KeyResult>;
}

export interface SequenceEvents {
  /** The step now running. */
  step(step: 'key' | 'send'): void;
  /** A network failure; the next attempt follows after `delayMs`. */
  retry(info: { attempt: number; attempts: number; delayMs: number }): void;
  /** The key is stored and its CSR is about to leave: work that needs only the key may start now. */
  keyReady?(record: RowRecord): void;
}

/**
 * Steps 1–3 for an individual pickup (methods 1 and 3, enrollment): returns the stored row with its
 * certificate. A key refusal deletes the stored key before the error goes up, so trying again
 * starts with a new key; every other failure keeps it, so trying again sends the same CSR.
 */
export async function issueIndividual(deps: SequenceDeps, input: IndividualInput, events: SequenceEvents): Promise<IssuedRow> {
  const row = input.info.rows[0]!;
  const [pickupRecord, stored] = await Promise.all([ensurePickupRecord(deps, input.pickup, input.info), deps.store.getRow(input.pickup, row.id)]);
  if (stored?.certificate) return stored as IssuedRow;
  events.step('key');
  const prepared = pickupRecord.keyAlgorithm === keyAlgorithmOf(input.info.keyAlgorithm) ? input.prepared : undefined;
  const record = stored ?? (await newKeyForRow(deps, input.pickup, pickupRecord.keyAlgorithm, row, prepared));
  events.step('send');
  events.keyReady?.(record);
  let answer;
  try {
    answer = await deps.api.submitCsr(input.token, { pin: input.pin, csr: record.csrPem }, { ...SUBMIT_RETRY, onRetry: (i) => events.retry(i) });
  } catch (e) {
    if (e instanceof ApiError && KEY_REFUSALS.has(e.code)) await deps.store.deleteRow(input.pickup, row.id);
    throw e;
  }
  const issued = answer.certificates.find((c) => c.id === row.id) ?? answer.certificates[0];
  if (!issued) throw new ApiError(0, 'BAD_RESPONSE', { ja: '証明書が返されませんでした。', en: 'No certificate came back.' });
  return keepCertificate(deps.store, record, issued);
}

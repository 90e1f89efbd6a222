/**
 * The kit the pickup page hands to the bulk view (kit.ts) with its members named. In the bulk chunk
 * only: the page's chunk carries the tuple alone.
 */
import type { BulkKitTuple } from './kit.ts';

export function kitByName(kit: BulkKitTuple) {
  const [CryptoPool, pickupApi, openPickupStore, pickupKey, linkProblemOf, cnOf, p12FileName, ensurePickupRecord, keepCertificate, keyForRow, p12ForRow, KEY_REFUSALS] = kit;
  return { CryptoPool, pickupApi, openPickupStore, pickupKey, linkProblemOf, cnOf, p12FileName, ensurePickupRecord, keepCertificate, keyForRow, p12ForRow, KEY_REFUSALS };
}

/** The individual pickup's code, by name, as the bulk modules use it. */
export type BulkKit = ReturnType<typeof kitByName>;

/**
 * What the bulk pickup (issue 11) uses of the individual pickup's code — the crypto pool, the
 * store, the API, the issuance steps, the file names, the download — handed to it by the pickup
 * page as one object instead of imported by the bulk modules themselves. The reason is the
 * method-1 page's JavaScript budget (spec 08: ≤ 150 KB gzip): a module imported both by the page
 * and by the lazily loaded bulk chunk is split by the bundler into a chunk of its own, which
 * method 1 then loads as extra files; handed over like this, the shared code stays inside the
 * page's own chunk and the bulk chunk holds only bulk code. The bulk modules import these modules
 * for their types only (`import type`), so it is still one implementation, not a fork. Errors are
 * told apart by their `name` (`ApiError`, `CryptoError`: see bulk-job.ts `apiErrorOf`) for the same reason.
 */
import { pickupApi } from '../api/pickup.ts';
import { cnOf, p12FileName } from '../crypto/file-name.ts';
import { CryptoPool } from '../crypto/pool.ts';
import { linkProblemOf } from '../state/link-problem.ts';
import { ensurePickupRecord, keepCertificate, KEY_REFUSALS, keyForRow, p12ForRow } from '../state/pickup-sequence.ts';
import { pickupKey } from '../storage/pickup-records.ts';
import { openPickupStore } from '../storage/pickup-store.ts';

/**
 * A tuple rather than an object: property names would be bytes in the method-1 page's chunk, positions
 * are not. `kitByName` (kit-names.ts, bulk chunk) turns it into named members; the types keep both in step.
 */
export const bulkKit = [CryptoPool, pickupApi, openPickupStore, pickupKey, linkProblemOf, cnOf, p12FileName, ensurePickupRecord, keepCertificate, keyForRow, p12ForRow, KEY_REFUSALS] as const;

export type BulkKitTuple = typeof bulkKit;

/**
 * Reads and writes of the start-up key migration (api/workflows/instance-keys.ts): everything stored
 * under a key derived from HAKKO_CA_PASSPHRASE — private keys, escrowed PINs and PIN hashes, sealed
 * links in the outbox, mailbox bodies.
 */
import { and, asc, eq, gt, isNotNull, or, sql } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { caEntities, mailbox, outbox, requests, settings } from '../schema/index.ts';
import { bulkUpdate } from './bulk.ts';

/** Stored private keys (EncryptedPrivateKeyInfo) by entity name. */
export function storedPrivateKeys(db: Queryable): Promise<{ name: string; encryptedKey: Uint8Array | null }[]> {
  return db.select({ name: caEntities.name, encryptedKey: caEntities.encryptedKey }).from(caEntities).where(isNotNull(caEntities.encryptedKey));
}

export async function setStoredPrivateKey(db: Queryable, name: string, encryptedKey: Uint8Array, now: Date): Promise<void> {
  await db.update(caEntities).set({ encryptedKey, updatedAt: now }).where(eq(caEntities.name, name));
}

export interface RequestSecretRow {
  readonly id: number;
  readonly pinHash: Uint8Array | null;
  readonly pinEnc: Uint8Array | null;
}

/** Requests holding a PIN hash or an escrowed PIN, in id order after `afterId`. */
export function requestSecretsAfter(db: Queryable, afterId: number, limit: number): Promise<RequestSecretRow[]> {
  return db
    .select({ id: requests.id, pinHash: requests.pinHash, pinEnc: requests.pinEnc })
    .from(requests)
    .where(and(gt(requests.id, afterId), or(isNotNull(requests.pinHash), isNotNull(requests.pinEnc))))
    .orderBy(asc(requests.id))
    .limit(limit);
}

/** Writes PIN hashes and escrowed copies (null erases). */
export async function setRequestPinSecrets(db: Queryable, rows: readonly RequestSecretRow[]): Promise<void> {
  await bulkUpdate(db, requests, 'id', rows.map((r) => ({ id: r.id, pinHash: r.pinHash, pinEnc: r.pinEnc })));
}

/** Outbox rows whose data holds a sealed string (api/secrets/sealed.ts). */
export function outboxWithSealedData(db: Queryable): Promise<{ id: number; data: unknown }[]> {
  return db.select({ id: outbox.id, data: outbox.data }).from(outbox).where(sql`${outbox.data}::text like '%"sealed:v1:%'`).orderBy(asc(outbox.id));
}

export async function setOutboxData(db: Queryable, id: number, data: unknown): Promise<void> {
  await db.update(outbox).set({ data: data as object }).where(eq(outbox.id, id));
}

/** Mailbox messages in id order after `afterId`. */
export function mailboxBodiesAfter(db: Queryable, afterId: number, limit: number): Promise<{ id: number; messageId: string; raw: Uint8Array }[]> {
  return db.select({ id: mailbox.id, messageId: mailbox.messageId, raw: mailbox.raw }).from(mailbox).where(gt(mailbox.id, afterId)).orderBy(asc(mailbox.id)).limit(limit);
}

export async function setMailboxBody(db: Queryable, id: number, raw: Uint8Array): Promise<void> {
  await db.update(mailbox).set({ raw }).where(eq(mailbox.id, id));
}

export async function deleteInstanceValue(db: Queryable, key: `instance.${string}`): Promise<void> {
  await db.delete(settings).where(eq(settings.key, key));
}

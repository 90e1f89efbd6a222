/**
 * The instance's server keys at start (spec 03 §Hierarchy, spec 04 §Secrets, issue 9). The master
 * key is derived once from HAKKO_CA_PASSPHRASE with the scrypt parameters and salt stored in
 * `instance.secretKdf` (a fresh instance stores new ones); its key-check value refuses a wrong
 * passphrase. An instance made before the master key (`instance.keyCheck`, keys derived straight
 * from the passphrase) is migrated in the same transaction: private keys re-encrypted, escrowed PINs
 * re-encrypted and their hashes recomputed, PIN hashes without an escrowed PIN wrapped, sealed outbox
 * links re-sealed, mailbox bodies sealed.
 */
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { readInstanceValue, writeSetting } from '../../db/repos/settings.ts';
import {
  deleteInstanceValue, mailboxBodiesAfter, outboxWithSealedData, requestSecretsAfter, setMailboxBody, setOutboxData, setRequestPinSecrets, setStoredPrivateKey, storedPrivateKeys, type RequestSecretRow,
} from '../../db/repos/rekey.ts';
import type { Logger } from '../log.ts';
import { decryptPrivateKey, encryptPrivateKey } from '../pki/software-signer.ts';
import { deriveMasterKey, KDF_COST, legacyKeys, newKdfParams, serverKeys, type KdfCost, type KdfRecord, type ServerKeys } from '../secrets/keys.ts';
import { decryptPin, encryptPin, hashPin, wrapLegacyPinHash } from '../secrets/pin.ts';
import { isSealedMail, resealDeep, sealMail } from '../secrets/sealed.ts';
import { pinAad } from './retrieve-pin.ts';

const KDF_KEY = 'instance.secretKdf';
const LEGACY_CHECK_KEY = 'instance.keyCheck';
const BATCH = 1000;

export interface InstanceKeyOptions {
  /** scrypt cost for a new instance (default KDF_COST); an existing one keeps its stored parameters. */
  readonly cost?: KdfCost;
  readonly log: Logger;
  readonly now: Date;
}

/** The server keys, or null when HAKKO_CA_PASSPHRASE is not the one the instance was made with. */
export async function openInstanceKeys(db: Db, kind: 'pglite' | 'postgres', secret: string, opts: InstanceKeyOptions): Promise<ServerKeys | null> {
  const stored = await readInstanceValue<KdfRecord>(db, KDF_KEY);
  if (stored) return keysFor(stored, secret);
  // First start or migration: serialised, so that two processes on one PostgreSQL agree.
  return db.transaction(async (tx) => {
    if (kind === 'postgres') await tx.execute(sql`select pg_advisory_xact_lock(7351026)`);
    const again = await readInstanceValue<KdfRecord>(tx, KDF_KEY);
    if (again) return keysFor(again, secret);
    const legacyCheck = await readInstanceValue<string>(tx, LEGACY_CHECK_KEY);
    if (legacyCheck !== null && legacyCheck !== legacyKeys(secret).checkValue) return null;
    const params = newKdfParams(opts.cost ?? KDF_COST);
    const keys = serverKeys(await deriveMasterKey(secret, params), secret);
    if (legacyCheck !== null) {
      const counts = await migrateLegacy(tx, secret, keys, opts.now);
      await deleteInstanceValue(tx, LEGACY_CHECK_KEY);
      opts.log.info('instance secret migrated to a scrypt master key', counts);
    }
    await writeSetting(tx, KDF_KEY, { ...params, check: keys.checkValue } satisfies KdfRecord, opts.now);
    return keys;
  });
}

async function keysFor(rec: KdfRecord, secret: string): Promise<ServerKeys | null> {
  const keys = serverKeys(await deriveMasterKey(secret, rec), secret);
  return keys.checkValue === rec.check ? keys : null;
}

/** Re-encrypts everything the legacy keys protect under the new keys; returns what it touched. */
async function migrateLegacy(tx: Tx, secret: string, keys: ServerKeys, now: Date): Promise<Record<string, number>> {
  const old = legacyKeys(secret);
  const privateKeys = await storedPrivateKeys(tx);
  for (const k of privateKeys) {
    const key = decryptPrivateKey(k.encryptedKey!, old.privateKeyPassphrase);
    await setStoredPrivateKey(tx, k.name, encryptPrivateKey(key, keys.privateKeyPassphrase), now);
  }
  let requests = 0;
  for (let after = 0, batch = await requestSecretsAfter(tx, after, BATCH); batch.length > 0; batch = await requestSecretsAfter(tx, after, BATCH)) {
    await setRequestPinSecrets(tx, batch.map((r) => rekeyedPin(r, old, keys)));
    requests += batch.length;
    after = batch[batch.length - 1]!.id;
  }
  const mails = await outboxWithSealedData(tx);
  for (const m of mails) await setOutboxData(tx, m.id, resealDeep(old.pinEnc, keys.pinEnc, m.data));
  let mailbox = 0;
  for (let after = 0, batch = await mailboxBodiesAfter(tx, after, 200); batch.length > 0; batch = await mailboxBodiesAfter(tx, after, 200)) {
    for (const m of batch) if (!isSealedMail(m.raw)) await setMailboxBody(tx, m.id, sealMail(keys.mailbox, m.messageId, m.raw));
    mailbox += batch.length;
    after = batch[batch.length - 1]!.id;
  }
  return { privateKeys: privateKeys.length, requests, outbox: mails.length, mailbox };
}

/**
 * A request's PIN secrets under the new keys: with an escrowed PIN both are made afresh; a hash
 * alone (the PIN was retrieved, or an enrollment) is wrapped (`wrapLegacyPinHash`).
 */
function rekeyedPin(r: RequestSecretRow, old: ReturnType<typeof legacyKeys>, keys: ServerKeys): RequestSecretRow {
  if (r.pinEnc) {
    const pin = decryptPin(old.pinEnc, r.pinEnc, pinAad(r.id));
    return { id: r.id, pinHash: hashPin(keys.pinHash, pin), pinEnc: encryptPin(keys.pinEnc, pin, pinAad(r.id)) };
  }
  return { id: r.id, pinHash: r.pinHash ? wrapLegacyPinHash(keys.pinHash, r.pinHash) : null, pinEnc: null };
}

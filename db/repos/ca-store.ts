/** The database side of the CA key store: certificates and EncryptedPrivateKeyInfo blobs per entity. */
import { eq } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { caEntities } from '../schema/index.ts';

import type { CaKeyStore, CaRecord } from '../../api/pki/hierarchy.ts';

/** Records are PKCS#8 EncryptedPrivateKeyInfo (DER) plus certificate; never a clear key. */
export function dbCaStore(target: Queryable | (() => Queryable), clock: { now(): Date }): CaKeyStore {
  const q = typeof target === 'function' ? target : () => target;
  return {
    async get(name: string): Promise<CaRecord | null> {
      const [r] = await q().select().from(caEntities).where(eq(caEntities.name, name));
      if (!r) return null;
      return { certificate: copy(r.certificate), encryptedKey: r.encryptedKey ? copy(r.encryptedKey) : null, ...(r.meta ? { meta: r.meta as Record<string, string> } : {}) };
    },
    async put(name: string, rec: CaRecord): Promise<void> {
      const values = { certificate: rec.certificate, encryptedKey: rec.encryptedKey, meta: rec.meta ?? null, updatedAt: clock.now() };
      await q().insert(caEntities).values({ name, ...values }).onConflictDoUpdate({ target: caEntities.name, set: values });
    },
  };
}

function copy(u: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(u.byteLength);
  out.set(u);
  return out;
}

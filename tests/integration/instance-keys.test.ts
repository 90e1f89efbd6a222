/**
 * Keys at rest (issue 9 defects 4 and 10, spec 03 §Hierarchy, spec 04 §Secrets), on PGlite and
 * PostgreSQL:
 * - a new instance made on the production path stores scrypt N = 2^17, r = 8, p = 1 and a random
 *   salt, and its private keys open only with the derived passphrase, not HAKKO_CA_PASSPHRASE;
 * - an instance made the old way (tests/helpers/legacy-instance.ts) is refused with a wrong passphrase
 *   without being touched, then migrated on start: the enrollment and the pickups it had open go on
 *   working with their PINs and links, its mails are delivered with their links, its mailbox is sealed;
 *   a restart does not migrate again;
 * - a passphrase under 16 characters is refused (E_PASSPHRASE_SHORT);
 * - a data directory left readable by others is made owner-only at start.
 * Test servers are otherwise made with a cheaper scrypt cost (tests/helpers/keys.ts).
 */
import { chmodSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../../api/config.ts';
import { silentLogger, createLogger } from '../../api/log.ts';
import { startServer } from '../../api/main.ts';
import { openServices } from '../../api/runtime/bootstrap.ts';
import { KDF_COST } from '../../api/secrets/keys.ts';
import { resultRows } from '../../db/repos/bulk.ts';
import type { Queryable } from '../../db/client.ts';
import { backends, tempDir } from '../helpers/db.ts';
import { api, keyAndCsr, pickUp } from '../helpers/pickup-client.ts';
import { freePort, httpsRequest, startTestServer, type TestServer } from '../helpers/server.ts';
import { makeLegacyInstance, type LegacyInstance } from '../helpers/legacy-instance.ts';
import { linksIn, parseMail } from '../helpers/world.ts';

async function rows<T>(db: Queryable, q: ReturnType<typeof sql>): Promise<T[]> {
  return resultRows<T>(await db.execute(q));
}

const setting = async (db: Queryable, key: string) => (await rows<{ value: unknown }>(db, sql`select value from settings where key = ${key}`))[0]?.value ?? null;

function opens(encryptedKey: Uint8Array, passphrase: string): boolean {
  try {
    createPrivateKey({ key: Buffer.from(encryptedKey), format: 'der', type: 'pkcs8', passphrase });
    return true;
  } catch {
    return false;
  }
}

describe.each(await backends())('keys at rest on $name', (backend) => {
  it('ok a new instance on the production path: scrypt N=2^17 r=8 p=1, random salt, keys under the derived passphrase only', async () => {
    const dataDir = tempDir('hakko-kdf-');
    const db = backend.createUrl ? await backend.createUrl() : null;
    const env = { PORT: String(await freePort()), HTTPS_PORT: String(await freePort()), HAKKO_DATA_DIR: dataDir, HAKKO_CA_PASSPHRASE: 'production-path passphrase', ...(db ? { DATABASE_URL: db.url } : {}) };
    // No kdfCost: what `npm start` does.
    const srv = await startServer(loadConfig(env), silentLogger, { webRoot: null });
    try {
      expect(KDF_COST).toEqual({ N: 2 ** 17, r: 8, p: 1 });
      const rec = (await setting(srv.services.db, 'instance.secretKdf')) as Record<string, unknown>;
      expect(rec).toMatchObject({ alg: 'scrypt', N: 131072, r: 8, p: 1, check: srv.services.keys.checkValue });
      expect(Buffer.from(rec.salt as string, 'base64url')).toHaveLength(16);
      expect(await setting(srv.services.db, 'instance.keyCheck')).toBeNull();
      const keys = await rows<{ name: string; encrypted_key: Uint8Array }>(srv.services.db, sql`select name, encrypted_key from ca_entities`);
      expect(keys).toHaveLength(5);
      for (const k of keys) {
        expect(opens(k.encrypted_key, srv.services.keys.privateKeyPassphrase), k.name).toBe(true);
        expect(opens(k.encrypted_key, env.HAKKO_CA_PASSPHRASE), k.name).toBe(false);
      }
    } finally {
      await srv.stop();
      await db?.dispose();
    }
  });

  it('NG a passphrase shorter than 16 characters is refused at start (E_PASSPHRASE_SHORT)', async () => {
    const dataDir = tempDir('hakko-short-');
    await expect(openServices(loadConfig({ HAKKO_DATA_DIR: dataDir, HAKKO_CA_PASSPHRASE: 'fifteen chars!!' }), silentLogger)).rejects.toMatchObject({ code: 'E_PASSPHRASE_SHORT', message: expect.stringMatching(/HAKKO_CA_PASSPHRASE has fewer than 16 characters/) });
  });

  describe('an instance made before the master key', () => {
    let legacy: LegacyInstance;
    let srv: TestServer;
    const log: string[] = [];
    beforeAll(async () => {
      legacy = await makeLegacyInstance(backend);
    });
    afterAll(async () => {
      await srv?.dispose();
      await legacy?.dispose();
    });

    it('NG a wrong passphrase is refused (E_SECRET_MISMATCH) and changes nothing', async () => {
      const config = loadConfig({ ...legacy.env, HAKKO_CA_PASSPHRASE: 'a different passphrase, long enough' });
      await expect(openServices(config, silentLogger)).rejects.toMatchObject({ code: 'E_SECRET_MISMATCH' });
      // Still the old format: reopen it raw and look.
      const { openDatabase } = await import('../../db/client.ts');
      const d = await openDatabase({ databaseUrl: legacy.databaseUrl, dataDir: legacy.dataDir });
      try {
        expect(await setting(d.db, 'instance.keyCheck')).not.toBeNull();
        expect(await setting(d.db, 'instance.secretKdf')).toBeNull();
        const [root] = await rows<{ encrypted_key: Uint8Array }>(d.db, sql`select encrypted_key from ca_entities where name = 'root'`);
        expect(opens(root!.encrypted_key, legacy.secret)).toBe(true);
      } finally {
        await d.close();
      }
    });

    it('ok start migrates it: private keys, key check, PINs, sealed links and the mailbox under the new keys', async () => {
      chmodSync(legacy.dataDir, 0o755); // defect 10: left readable by others
      if (backend.name === 'pglite') chmodSync(path.join(legacy.dataDir, 'pglite'), 0o755);
      srv = await startTestServer({ existing: legacy, env: legacy.env, log: createLogger('debug', (l) => log.push(l)) });
      expect(log.filter((l) => l.includes('instance secret migrated'))).toHaveLength(1);
      const db = srv.services.db;
      expect(await setting(db, 'instance.keyCheck')).toBeNull();
      expect(await setting(db, 'instance.secretKdf')).toMatchObject({ alg: 'scrypt', check: srv.services.keys.checkValue });
      for (const k of await rows<{ name: string; encrypted_key: Uint8Array }>(db, sql`select name, encrypted_key from ca_entities`)) {
        expect(opens(k.encrypted_key, legacy.secret), k.name).toBe(false);
        expect(opens(k.encrypted_key, srv.services.keys.privateKeyPassphrase), k.name).toBe(true);
      }
      // The stored mail bodies no longer show a link; the outbox holds no token in clear either.
      const dump = JSON.stringify(await rows(db, sql`select * from outbox`)) + Buffer.concat((await rows<{ raw: Uint8Array }>(db, sql`select raw from mailbox`)).map((r) => Buffer.from(r.raw))).toString('latin1');
      for (const t of [...legacy.outboxTokens, legacy.mailboxToken]) expect(dump).not.toContain(t);
      expect((statSync(legacy.dataDir).mode & 0o777).toString(8)).toBe('700');
      if (backend.name === 'pglite') expect((statSync(path.join(legacy.dataDir, 'pglite')).mode & 0o777).toString(8)).toBe('700');
    });

    it('ok the enrollment made before the migration (PIN hash only) picks up, and the officer signs in', async () => {
      const officer = await pickUp(srv.httpUrl, `${srv.httpUrl}/pickup/${legacy.enrollment.token}`, legacy.enrollment.pin, 'CN=ignored');
      const me = await httpsRequest(srv.httpsUrl + '/api/me', { cert: officer.certPem, key: officer.keyPem, ca: srv.services.ca.show().root.pem });
      expect(me.status).toBe(200);
      expect(me.json().email).toBe(legacy.enrollment.email);
    });

    it('ok a method-1 pickup whose PIN was retrieved before: the PIN still opens it; a wrong one does not', async () => {
      const t = legacy.retrieved.pickupToken;
      expect((await api(srv.httpUrl, 'POST', `/api/pickup/${t}/verify`, { pin: 'Wrong-Pin-0000000' })).status).toBe(401);
      expect((await api(srv.httpUrl, 'POST', `/api/pickup/${t}/verify`, { pin: legacy.retrieved.pin })).status).toBe(204);
    });

    it('ok a method-1 PIN not yet retrieved: its PIN URL gives the same PIN, which opens the pickup', async () => {
      const r = await api(srv.httpUrl, 'POST', `/api/pin/${legacy.pending.pinToken}/retrieve`);
      expect(r.status).toBe(200);
      expect(r.json.pins[0].pin).toBe(legacy.pending.pin);
      const k = await keyAndCsr('CN=ignored');
      expect((await api(srv.httpUrl, 'POST', `/api/pickup/${legacy.pending.pickupToken}/csr`, { pin: legacy.pending.pin, csr: k.csrPem })).status).toBe(201);
    });

    it('ok a method-2 group: the bulk page gets the same PINs (supplied and generated)', async () => {
      const r = await api(srv.httpUrl, 'POST', `/api/pickup/${legacy.bulk.pickupToken}/pins`, {});
      expect(r.status).toBe(200);
      expect(new Map(r.json.pins.map((p: { id: string; pin: string }) => [p.id, p.pin]))).toEqual(legacy.bulk.pins);
      expect([...legacy.bulk.pins.values()]).toContain('OwnPin-Legacy-3');
    });

    it('ok the mails queued before are delivered with their links; the old mailbox mail still reads', async () => {
      const expected = new Set(legacy.outboxTokens);
      const deadline = Date.now() + 15_000;
      let seen = new Set<string>();
      while (Date.now() < deadline) {
        const page = await (await fetch(`${srv.httpUrl}/dev/mailbox`)).text();
        const ids = [...page.matchAll(/href="\/dev\/mailbox\/(\d+)"/g)].map((m) => m[1]!);
        const texts = await Promise.all(ids.map(async (id) => {
          const raw = Buffer.from(await (await fetch(`${srv.httpUrl}/dev/mailbox/${id}.eml`)).arrayBuffer());
          return raw.includes('multipart/signed') ? parseMail({ from: '', to: [], raw }).text : raw.toString('utf8');
        }));
        seen = new Set(texts.flatMap((t) => [...linksIn(t).pin, ...linksIn(t).pickup]));
        if ([...expected].every((t) => seen.has(t))) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect([...expected].filter((t) => !seen.has(t))).toEqual([]);
    });

    it('ok a restart opens the migrated instance without migrating again', async () => {
      log.length = 0;
      srv = await srv.restart();
      expect(log.filter((l) => l.includes('instance secret migrated'))).toEqual([]);
      expect((await api(srv.httpUrl, 'POST', `/api/pickup/${legacy.retrieved.pickupToken}/verify`, { pin: legacy.retrieved.pin })).status).toBe(204);
    });
  });

  it('ok a data directory made readable by others is made owner-only at start (directory, secret file)', async () => {
    const dataDir = tempDir('hakko-mode-');
    const pg = backend.createUrl ? await backend.createUrl() : null;
    chmodSync(dataDir, 0o755);
    writeFileSync(path.join(dataDir, 'secret'), 'a secret written by hand, long enough\n', { mode: 0o644 });
    const srv = await startTestServer({ existing: { dataDir, databaseUrl: pg?.url ?? null }, env: { HAKKO_CA_PASSPHRASE: '' } });
    try {
      expect((statSync(dataDir).mode & 0o777).toString(8)).toBe('700');
      expect((statSync(path.join(dataDir, 'secret')).mode & 0o777).toString(8)).toBe('600');
      if (backend.name === 'pglite') expect((statSync(path.join(dataDir, 'pglite')).mode & 0o777).toString(8)).toBe('700');
    } finally {
      await srv.dispose();
      await pg?.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

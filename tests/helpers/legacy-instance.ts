/**
 * An instance in the format Hakko wrote before the scrypt master key (issue 9), for the start-up
 * migration test: the key-check value `instance.keyCheck` and the PIN-hash / PIN-encryption keys
 * derived by HKDF straight from HAKKO_CA_PASSPHRASE (`legacyKeys`, pinned to main's derivation by a
 * known-answer test in tests/unit/secrets.test.ts), every private key encrypted under the passphrase
 * itself, and the built-in mailbox holding raw mails. It is made the way the old start-up made it —
 * the same CA, enrollment, upload and PIN-retrieval code, given the old keys — and holds one of each
 * thing the migration must carry over: an enrollment (PIN hash only), method-1 requests before and
 * after PIN retrieval, a method-2 group with a supplied and a generated PIN, sealed links in the
 * outbox, and a plain mailbox mail.
 */
import { eq } from 'drizzle-orm';
import { loadConfig } from '../../api/config.ts';
import { silentLogger } from '../../api/log.ts';
import { systemClock } from '../../api/clock.ts';
import { noSignals } from '../../api/signals.ts';
import { loadOrCreateCa } from '../../api/pki/hierarchy.ts';
import { recordSystem } from '../../api/runtime/bootstrap.ts';
import { legacyKeys, type ServerKeys } from '../../api/secrets/keys.ts';
import { decryptPin } from '../../api/secrets/pin.ts';
import { unsealDeep } from '../../api/secrets/sealed.ts';
import type { Services } from '../../api/services.ts';
import { addInstitution } from '../../api/workflows/institutions.ts';
import { enrollOfficer } from '../../api/workflows/enroll-officer.ts';
import { uploadTsv } from '../../api/workflows/upload-tsv.ts';
import { pinAad, retrievePins } from '../../api/workflows/retrieve-pin.ts';
import { openDatabase } from '../../db/client.ts';
import { dbCaStore } from '../../db/repos/ca-store.ts';
import { saveToMailbox } from '../../db/repos/mailbox.ts';
import { writeSetting } from '../../db/repos/settings.ts';
import { officers, outbox, requests } from '../../db/schema/index.ts';
import { tempDir, type Backend } from './db.ts';
import { SAMPLE_INSTITUTION } from './officer.ts';
import { freePort } from './server.ts';
import { ADMIN_A, dnOf, linksIn, requestTsv } from './world.ts';

export interface LegacyInstance {
  readonly dataDir: string;
  readonly databaseUrl: string | null;
  readonly env: Record<string, string>;
  readonly secret: string;
  readonly enrollment: { readonly token: string; readonly pin: string; readonly email: string };
  /** Method 1, PIN retrieved under the old keys: only the PIN hash is left. */
  readonly retrieved: { readonly pickupToken: string; readonly pin: string };
  /** Method 1, PIN not retrieved: the escrowed PIN is re-encrypted by the migration. */
  readonly pending: { readonly pinToken: string; readonly pickupToken: string; readonly pin: string };
  /** Method 2, PIN URL retrieved: one pickup URL for both rows; request id → PIN. */
  readonly bulk: { readonly pickupToken: string; readonly pins: ReadonlyMap<string, string> };
  /** Every token whose link sits sealed in the outbox (not yet delivered). */
  readonly outboxTokens: readonly string[];
  /** The token inside the plain mailbox mail. */
  readonly mailboxToken: string;
  dispose(): Promise<void>;
}

export const LEGACY_SECRET = 'legacy instance passphrase (before issue 9)';

export async function makeLegacyInstance(backend: Backend): Promise<LegacyInstance> {
  const dataDir = tempDir('hakko-legacy-');
  const pg = backend.createUrl ? await backend.createUrl() : null;
  const env: Record<string, string> = { PORT: String(await freePort()), HTTPS_PORT: String(await freePort()), HAKKO_DATA_DIR: dataDir, HAKKO_CA_PASSPHRASE: LEGACY_SECRET, ...(pg ? { DATABASE_URL: pg.url } : {}) };
  const config = loadConfig(env);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir });
  const db = database.db;
  const clock = systemClock;
  const old = legacyKeys(LEGACY_SECRET);
  // What the old start-up did: the key-check value, then the CA with keys under the passphrase.
  await writeSetting(db, 'instance.keyCheck', old.checkValue, clock.now());
  const ca = await db.transaction((tx) =>
    loadOrCreateCa(dbCaStore(tx, clock), {
      passphrase: LEGACY_SECRET, clock, publicUrl: config.publicUrl, publicHttpsUrl: config.publicHttpsUrl, publicPkiUrl: config.publicPkiUrl,
      mailFrom: config.mailFrom, organisation: 'Hakko', onIssued: (name, der) => recordSystem(tx, name, der, clock.now()),
    }),
  );
  // The old ServerKeys were { pinHash, pinEnc, checkValue }: the workflows read only the first two.
  const keys = { pinHash: old.pinHash, pinEnc: old.pinEnc, checkValue: old.checkValue } as unknown as ServerKeys;
  const s: Services = { config, db, dbKind: database.kind, clock, log: silentLogger, keys, ca, signals: noSignals };

  const inst = await addInstitution(s, SAMPLE_INSTITUTION, 'operator-cli');
  const enrolled = await enrollOfficer(s, { institution: SAMPLE_INSTITUTION.code, operator: false, name: '移行 担当', email: 'migrated@sample.ac.jp' }, 'operator-cli');
  const [uploader] = await db.insert(officers).values({ institutionId: inst.id, role: 'officer', name: '旧 担当', email: 'old-ra@sample.ac.jp', status: 'active', createdAt: clock.now() }).returning();
  const officer = { officerId: uploader!.id, role: 'officer' as const, name: uploader!.name, email: uploader!.email, institutionId: inst.id, institution: { code: inst.code, ja: inst.ja, en: inst.en }, certSerial: '1' };
  const person = (n: number) => ({ name: `移行 利用者${n}`, mail: `legacy-user${n}@sample.ac.jp` });
  const rows = [
    { cn: 'LEGACY ONE', method: 1 as const, admin: ADMIN_A, user: person(1) },
    { cn: 'LEGACY TWO', method: 1 as const, admin: ADMIN_A, user: person(2) },
  ];
  const bulkRows = [
    { cn: 'LEGACY THREE', method: 2 as const, admin: ADMIN_A, user: person(3), p12FileName: 'three', pin: 'OwnPin-Legacy-3' },
    { cn: 'LEGACY FOUR', method: 2 as const, admin: ADMIN_A, user: person(4), p12FileName: 'four' },
  ];
  for (const r of [rows, bulkRows]) {
    const a = await uploadTsv(s, officer, { file: { name: 'legacy.tsv', bytes: requestTsv(r) }, kind: 'issue', mode: 'abort', lang: 'ja' });
    if (a.registered !== r.length) throw new Error(`legacy upload: ${JSON.stringify(a)}`);
  }
  // The links as the old worker would have opened them from the outbox.
  const mails = (await db.select().from(outbox)).map((m) => JSON.stringify(unsealDeep(old.pinEnc, m.data)));
  const linkFor = (cn: string, kind: 'pin' | 'pickup') => linksIn(mails.find((m) => m.includes(`"${dnOf(cn)}"`) && linksIn(m)[kind].length > 0)!)[kind][0]!;
  const reqs = await db.select().from(requests).where(eq(requests.kind, 'issue'));
  const pinOf = (mail: string) => {
    const r = reqs.find((x) => x.userMail === mail)!;
    return { id: String(r.id), pin: decryptPin(old.pinEnc, r.pinEnc!, pinAad(r.id)) };
  };
  const one = { pinToken: linkFor('LEGACY ONE', 'pin'), pickupToken: linkFor('LEGACY ONE', 'pickup') };
  const retrieved = await retrievePins(s, one.pinToken, '192.0.2.1');
  const bulkPickup = linkFor('LEGACY THREE', 'pickup');
  await retrievePins(s, linkFor('LEGACY THREE', 'pin'), '192.0.2.1'); // method 2 keeps the escrowed PINs for the bulk page
  const enrollmentToken = enrolled.url.split('/').pop()!;
  await saveToMailbox(db, { messageId: '<legacy-mail@localhost>', recipients: ['migrated@sample.ac.jp'], subject: 'legacy', raw: Buffer.from(`Subject: legacy\r\n\r\n${enrolled.url}\r\n`) }, clock.now());
  const outboxTokens = mails.flatMap((m) => [...linksIn(m).pin, ...linksIn(m).pickup]);
  const result: LegacyInstance = {
    dataDir, databaseUrl: pg?.url ?? null, env, secret: LEGACY_SECRET,
    enrollment: { token: enrollmentToken, pin: enrolled.pin, email: 'migrated@sample.ac.jp' },
    retrieved: { pickupToken: one.pickupToken, pin: retrieved.pins[0]!.pin },
    pending: { pinToken: linkFor('LEGACY TWO', 'pin'), pickupToken: linkFor('LEGACY TWO', 'pickup'), pin: pinOf(person(2).mail).pin },
    bulk: { pickupToken: bulkPickup, pins: new Map([pinOf(person(3).mail), pinOf(person(4).mail)].map((p) => [p.id, p.pin])) },
    outboxTokens: [...outboxTokens, enrollmentToken],
    mailboxToken: enrollmentToken,
    async dispose() {
      await pg?.dispose();
      const { rmSync } = await import('node:fs');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await database.close();
  return result;
}

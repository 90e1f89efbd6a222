/**
 * The bulk writes under the upload (db/repos/bulk.ts) on PGlite and PostgreSQL: values survive the
 * JSON trip exactly (bytea, jsonb, timestamps, nulls, non-ASCII), ids reserved up front, per-row
 * updates, and the once-per-statement foreign-key check refusing a dangling reference like the
 * per-row triggers would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray, sql } from 'drizzle-orm';
import { backends, type TestDatabase } from '../helpers/db.ts';
import { bulkInsert, bulkUpdate, reserveIds } from '../../db/repos/bulk.ts';
import { insertRequests, reserveRequestIds } from '../../db/repos/uploads.ts';
import { insertUrlTokens, reserveUrlTokenIds } from '../../db/repos/requests.ts';
import { enqueueMails } from '../../db/repos/outbox.ts';
import { addInstitution } from '../../api/workflows/institutions.ts';
import { outbox, requests, urlTokens } from '../../db/schema/index.ts';
import { FakeClock } from '../helpers/clock.ts';

describe.each(await backends())('bulk writes on $name', (backend) => {
  let t: TestDatabase;
  let institutionId: number;
  const clock = new FakeClock('2026-11-21T12:34:56.789Z');
  beforeAll(async () => {
    t = await backend.create();
    institutionId = (await addInstitution({ db: t.database.db, clock }, { code: 'bulk-u', ja: '一括大学', en: 'Bulk University', o: 'Bulk University', l: 'Bunkyo-ku', domains: ['bulk.ac.jp'] }, 'test')).id;
  });
  afterAll(async () => {
    await t?.dispose();
  });
  const db = () => t.database.db;

  const request = (id: number, pinUrlId: number | null, n: number) => ({
    id, institutionId, kind: 'issue' as const, seq: n, state: 'pin-pending' as const, dn: `CN=U${n},O=Bulk University,L=Bunkyo-ku,C=JP`, cnOuKey: `U${n}`,
    profile: 5, method: 1, adminName: '管理 花子①', adminMail: 'a@bulk.ac.jp', userName: n % 2 ? null : '利用者 "quoted" \\ \t tab', userMail: `u${n}@bulk.ac.jp`,
    pinHash: new Uint8Array([0, 1, 2, 254, 255, n & 255]), pinUrlId, createdAt: clock.now(), updatedAt: clock.now(), extra: n === 1 ? { nested: { a: [1, 'ü'] } } : null,
  });

  it('ok: reserved ids are distinct and unused; rows come back exactly as written', async () => {
    const ids = await reserveRequestIds(db(), 3);
    expect(new Set(ids).size).toBe(3);
    const tokenIds = await reserveUrlTokenIds(db(), 1);
    await insertUrlTokens(db(), [{ id: tokenIds[0]!, purpose: 'pin', tokenHash: new Uint8Array(32).fill(7), state: 'active', expiresAt: clock.now(), createdAt: clock.now() }]);
    await db().transaction((tx) => insertRequests(tx, ids.map((id, i) => request(id, i === 0 ? tokenIds[0]! : null, i + 1))));
    const rows = await db().select().from(requests).where(inArray(requests.id, ids)).orderBy(requests.seq);
    expect(rows.map((r) => r.id)).toEqual(ids);
    expect(rows[0]).toMatchObject({ userName: null, adminName: '管理 花子①', pinUrlId: tokenIds[0], extra: { nested: { a: [1, 'ü'] } }, officerId: null, pinEnc: null });
    expect(rows[1]!.userName).toBe('利用者 "quoted" \\ \t tab');
    expect(Buffer.from(rows[2]!.pinHash!)).toEqual(Buffer.from([0, 1, 2, 254, 255, 3]));
    expect(rows[0]!.createdAt.toISOString()).toBe('2026-11-21T12:34:56.789Z');
    const [tok] = await db().select().from(urlTokens).where(eq(urlTokens.id, tokenIds[0]!));
    expect(tok).toMatchObject({ failedAttempts: 0, usedAt: null, state: 'active' });
    // A later insert without explicit ids does not collide with the reserved ones.
    const more = await reserveIds(db(), requests, 'id', 2);
    expect(more.every((x) => !ids.includes(x))).toBe(true);
  });

  it('ok: bulkUpdate sets per-row values; bulkInsert without ids returns what it is asked for', async () => {
    const ids = (await db().select({ id: requests.id }).from(requests)).map((r) => r.id);
    await bulkUpdate(db(), requests, 'id', ids.map((id) => ({ id, adminMail: `changed-${id}@bulk.ac.jp`, pinEnc: new Uint8Array([id & 255]) })));
    const rows = await db().select().from(requests).where(inArray(requests.id, ids));
    for (const r of rows) {
      expect(r.adminMail).toBe(`changed-${r.id}@bulk.ac.jp`);
      expect([...r.pinEnc!]).toEqual([r.id & 255]);
    }
    const ret = await bulkInsert<typeof outbox, { id: string; message_id: string }>(db(), outbox, [1, 2].map((n) => ({
      kind: 'test', institutionId, recipients: [{ address: `x${n}@bulk.ac.jp`, name: null }], data: { n, s: 'ü\n"' }, messageId: `<m${n}@bulk>`, state: 'pending' as const, nextAttemptAt: clock.now(), createdAt: clock.now(),
    })), { returning: 'id::text as id, message_id' });
    expect(ret.map((r) => r.message_id)).toEqual(['<m1@bulk>', '<m2@bulk>']);
    const [o] = await db().select().from(outbox).where(eq(outbox.messageId, '<m1@bulk>'));
    expect(o).toMatchObject({ attempts: 0, data: { n: 1, s: 'ü\n"' }, requestId: null });
  });

  it('NG a dangling reference is refused (23503) with the per-statement check, and the transaction rolls back', async () => {
    const [id] = await reserveRequestIds(db(), 1);
    const before = await db().select({ n: sql<number>`count(*)::int` }).from(requests);
    await expect(db().transaction((tx) => insertRequests(tx, [request(id!, 999_999_999, 50)], { referencesOnce: true }))).rejects.toMatchObject({ code: '23503' });
    await expect(db().transaction((tx) => insertRequests(tx, [request(id!, 999_999_999, 50)]))).rejects.toThrow();
    await expect(db().transaction((tx) => enqueueMails(tx, clock.now(), 'bulk', [{ kind: 'test', to: [{ address: 'x@bulk.ac.jp' }], data: {}, institutionId: 424242 }], { referencesOnce: true }))).rejects.toMatchObject({ code: '23503' });
    expect(await db().select({ n: sql<number>`count(*)::int` }).from(requests)).toEqual(before);
    // And valid rows pass the same check; the triggers are back on afterwards in the transaction.
    const [ok] = await reserveRequestIds(db(), 1);
    await db().transaction(async (tx) => {
      await insertRequests(tx, [request(ok!, null, 51)], { referencesOnce: true });
      const r = await tx.execute(sql`select current_setting('session_replication_role') as r`);
      const [role] = ((r as unknown as { rows?: { r: string }[] }).rows ?? (r as unknown as { r: string }[]));
      expect(role!.r).toBe('origin');
    });
  });
});

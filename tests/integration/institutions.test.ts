/** Institution workflows and the audit chain on PGlite and PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { backends, type TestDatabase } from '../helpers/db.ts';
import { FakeClock } from '../helpers/clock.ts';
import { addInstitution, getInstitution, updateInstitution } from '../../api/workflows/institutions.ts';
import { verifyAudit, appendAudit } from '../../api/audit/audit.ts';
import { HakkoError } from '../../api/errors.ts';
import { readSettings, writeSetting } from '../../db/repos/settings.ts';

const TEST_U = { code: 'test-u', ja: 'テスト大学', en: 'Test University', o: 'Test University', l: 'Academe', st: 'Tokyo', domains: ['test-u.ac.jp'] };

describe.each(await backends())('institutions on $name', (backend) => {
  let t: TestDatabase;
  const clock = new FakeClock();
  beforeAll(async () => {
    t = await backend.create();
  });
  afterAll(async () => {
    await t?.dispose();
  });
  const deps = () => ({ db: t.database.db, clock });

  it('ok: add applies the defaults of the spec (review complete, all profiles and methods, RSA-2048)', async () => {
    const i = await addInstitution(deps(), TEST_U, 'test');
    expect(i).toMatchObject({ code: 'test-u', review: 'complete', status: 'active', approvalExpires: null, whoisOrg: null, profiles: [5, 7, 13, 14, 15, 16], methods: [1, 2, 3], keyAlgorithm: 'RSA-2048' });
  });

  it('NG duplicate code: refused, nothing changed', async () => {
    const before = await getInstitution(deps(), 'test-u');
    await expect(addInstitution(deps(), { ...TEST_U, ja: '別の大学' }, 'test')).rejects.toMatchObject({ code: 'VALIDATION', extra: { duplicate: true } });
    expect(await getInstitution(deps(), 'test-u')).toEqual(before);
  });

  it('NG bad date: nothing written', async () => {
    await expect(addInstitution(deps(), { ...TEST_U, code: 'bad-date', approvalExpires: '2026-02-30' }, 'test')).rejects.toBeInstanceOf(HakkoError);
    await expect(getInstitution(deps(), 'bad-date')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('ok: update changes only the given fields; suspend and resume', async () => {
    await updateInstitution(deps(), 'test-u', { domains: ['test-u.ac.jp', 'mail.test-u.jp'], approvalExpires: '2027-03-31' }, 'test');
    await updateInstitution(deps(), 'test-u', { status: 'suspended' }, 'test');
    const i = await getInstitution(deps(), 'test-u');
    expect(i).toMatchObject({ o: 'Test University', domains: ['test-u.ac.jp', 'mail.test-u.jp'], approvalExpires: '2027-03-31', status: 'suspended' });
    await updateInstitution(deps(), 'test-u', { status: 'active' }, 'test');
    expect((await getInstitution(deps(), 'test-u')).status).toBe('active');
  });

  it('NG unknown institution on update', async () => {
    await expect(updateInstitution(deps(), 'nope', { l: 'X' }, 'test')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('ok: the audit chain verifies; a tampered record is found', async () => {
    const v = await verifyAudit(t.database.db);
    expect(v.ok).toBe(true);
    expect(v.records).toBeGreaterThanOrEqual(4);
    await t.database.db.transaction((tx) => appendAudit(tx, clock.now(), [{ actor: 'x', action: 'test', details: { b: 1, a: [1, { z: 2, y: 1 }] } }]));
    expect((await verifyAudit(t.database.db)).ok).toBe(true);
    await t.database.db.execute(sql`update audit_log set actor = 'mallory' where id = 2`);
    expect(await verifyAudit(t.database.db)).toMatchObject({ ok: false, brokenAt: 2 });
    await t.database.db.execute(sql`update audit_log set actor = 'operator' where id = 2`);
  });

  it('ok: settings default, set and read back', async () => {
    expect((await readSettings(t.database.db))['pin.maxAttempts']).toBe(5);
    await writeSetting(t.database.db, 'reminder.expiryDays', [60, 7], clock.now());
    expect((await readSettings(t.database.db))['reminder.expiryDays']).toEqual([60, 7]);
  });
});

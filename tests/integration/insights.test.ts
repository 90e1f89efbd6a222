/**
 * The officer's statistics and audit view (spec 06 §Dashboard: Statistics, §Audit log; issue 13) on
 * PGlite and PostgreSQL: the statistics of a seeded mix of months (across a JST month boundary),
 * profiles and states agree with the certificates in the database counted one by one here; other
 * institutions, officer certificates and unsigned reservations never count; the CSV says the same.
 * The audit view filters by action, actor and date, stays in the officer's institution, and its
 * chain status is `hakko audit verify`'s (a tampered record makes both say broken).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { backends, type TestDatabase } from '../helpers/db.ts';
import { FakeClock } from '../helpers/clock.ts';
import { addInstitution } from '../../api/workflows/institutions.ts';
import { auditVerification, auditView, officerStatistics, statisticsCsv } from '../../api/workflows/insights.ts';
import { appendAudit, verifyAudit } from '../../api/audit/audit.ts';
import { certificates, officers } from '../../db/schema/index.ts';
import type { AuthenticatedOfficer } from '../../api/domain/officer.ts';

const A = { code: 'stat-a', ja: '統計大学', en: 'Stat University', o: 'Stat University', l: 'Bunkyo-ku', st: 'Tokyo', domains: ['stat-a.ac.jp'] };
const B = { code: 'stat-b', ja: '別大学', en: 'Other University', o: 'Other University', l: 'Chiyoda-ku', st: 'Tokyo', domains: ['stat-b.ac.jp'] };
const PROFILES = [5, 7, 13, 14, 15, 16] as const;
const NOW = new Date('2026-04-15T03:00:00Z');

/** The JST month of an instant, by the platform's time-zone data (not the code under test's arithmetic). */
const jstMonth = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit' }).format(d).slice(0, 7);

interface Seed {
  institutionId: number;
  kind: 'subscriber' | 'officer';
  state: 'issued' | 'reserved';
  profile: number | null;
  issuedAt: Date;
  notAfter: Date;
  revokedAt: Date | null;
  renewedBy: string | null;
}

describe.each(await backends())('statistics and audit view on $name', (backend) => {
  let t: TestDatabase;
  const clock = new FakeClock(NOW);
  const seeds: Seed[] = [];
  let officerA: AuthenticatedOfficer;
  let operator: AuthenticatedOfficer;

  beforeAll(async () => {
    t = await backend.create();
    const deps = { db: t.database.db, clock };
    const a = await addInstitution(deps, A, 'test');
    const b = await addInstitution(deps, B, 'test');
    const [oa] = await t.database.db.insert(officers).values({ institutionId: a.id, role: 'officer', name: '統計 担当', email: 'ra@stat-a.ac.jp', status: 'active', createdAt: NOW }).returning();
    const [op] = await t.database.db.insert(officers).values({ institutionId: null, role: 'operator', name: '運用 担当', email: 'op@hakko.example', status: 'active', createdAt: NOW }).returning();
    officerA = { officerId: oa!.id, role: 'officer', name: oa!.name, email: oa!.email, institutionId: a.id, institution: { code: a.code, ja: a.ja, en: a.en }, certSerial: '1001' };
    operator = { officerId: op!.id, role: 'operator', name: op!.name, email: op!.email, institutionId: null, institution: null, certSerial: '9001' };
    // 15 months × 6 profiles, states in turn; plus the JST boundary: 2026-01-31T15:00Z is February in Japan.
    let i = 0;
    for (let m = 0; m < 15; m++) {
      for (const profile of PROFILES) {
        i++;
        const issuedAt = new Date(Date.UTC(2025, m, 1 + (i % 27), i % 24, 0, 0));
        const which = i % 5;
        seeds.push({
          institutionId: a.id, kind: 'subscriber', state: 'issued', profile, issuedAt,
          notAfter: which === 2 ? new Date(NOW.getTime() - 86_400_000 * (1 + (i % 30))) : which === 4 ? NOW : new Date(NOW.getTime() + 86_400_000 * 300),
          revokedAt: which === 1 || (which === 2 && i % 2 === 0) ? new Date(issuedAt.getTime() + 86_400_000) : null,
          renewedBy: which === 3 ? String(900_000 + i) : null,
        });
      }
    }
    for (const at of ['2026-01-31T14:59:59Z', '2026-01-31T15:00:00Z', '2026-03-31T15:00:00Z', '2024-12-31T15:00:00Z']) {
      seeds.push({ institutionId: a.id, kind: 'subscriber', state: 'issued', profile: 13, issuedAt: new Date(at), notAfter: new Date('2027-01-01T00:00:00Z'), revokedAt: null, renewedBy: null });
    }
    // Never counted for A: another institution, A's officer certificates, an unsigned reservation.
    for (let k = 0; k < 10; k++) seeds.push({ institutionId: b.id, kind: 'subscriber', state: 'issued', profile: 13, issuedAt: new Date(Date.UTC(2026, 1, 2 + k)), notAfter: new Date('2027-01-01T00:00:00Z'), revokedAt: null, renewedBy: null });
    seeds.push({ institutionId: a.id, kind: 'officer', state: 'issued', profile: null, issuedAt: new Date('2026-02-03T00:00:00Z'), notAfter: new Date('2027-01-01T00:00:00Z'), revokedAt: null, renewedBy: null });
    seeds.push({ institutionId: a.id, kind: 'subscriber', state: 'reserved', profile: 13, issuedAt: new Date('2026-02-03T00:00:00Z'), notAfter: new Date('2027-01-01T00:00:00Z'), revokedAt: null, renewedBy: null });
    await t.database.db.insert(certificates).values(seeds.map((s, k) => ({
      ca: 'issuing', serial: String(500_000 + k), state: s.state, kind: s.kind, institutionId: s.institutionId, profile: s.profile, requestDn: `CN=Seed ${k},O=X,C=JP`,
      spkiSha256: `spki-${k}`, notBefore: s.issuedAt, notAfter: s.notAfter, issuedAt: s.issuedAt, revokedAt: s.revokedAt, revocationReason: s.revokedAt ? 3 : null, renewedBy: s.renewedBy,
    })));
  }, 120_000);
  afterAll(async () => {
    await t?.dispose();
  });

  /** The expected counts, one certificate at a time. */
  function expected(institutionId: number, from: string, to: string) {
    const rows = new Map<string, { month: string; profile: number | null; issued: number; valid: number; revoked: number; expired: number }>();
    for (const s of seeds) {
      if (s.institutionId !== institutionId || s.kind !== 'subscriber' || s.state !== 'issued') continue;
      const month = jstMonth(s.issuedAt);
      if (month < from || month > to) continue;
      const key = `${month}|${s.profile}`;
      const r = rows.get(key) ?? { month, profile: s.profile, issued: 0, valid: 0, revoked: 0, expired: 0 };
      r.issued++;
      if (s.revokedAt) r.revoked++;
      else if (s.notAfter.getTime() <= NOW.getTime()) r.expired++;
      else r.valid++;
      rows.set(key, r);
    }
    return [...rows.values()].sort((x, y) => (x.month === y.month ? (x.profile ?? -1) - (y.profile ?? -1) : x.month < y.month ? -1 : 1));
  }

  it('ok every month and profile of a 16-month range agrees with the certificates counted one by one', async () => {
    const st = await officerStatistics({ db: t.database.db, clock }, officerA, { from: '2025-01', to: '2026-04' });
    const want = expected(officerA.institutionId!, '2025-01', '2026-04');
    expect(st.rows).toEqual(want);
    expect(st.months.map((m) => m.month)).toHaveLength(16);
    expect(st.total.issued).toBe(want.reduce((n, r) => n + r.issued, 0));
    // 90 + the four boundary ones (2024-12-31T15:00Z is January 2025 in Japan; 2026-03-31T15:00Z is April).
    expect(st.total.issued).toBe(15 * 6 + 4);
    expect(st.total).toEqual({ issued: st.total.valid + st.total.revoked + st.total.expired, valid: st.total.valid, revoked: st.total.revoked, expired: st.total.expired });
    for (const p of st.profiles) expect(p.issued).toBe(want.filter((r) => r.profile === p.profile).reduce((n, r) => n + r.issued, 0));
    // The mix really has every state in it.
    expect(Math.min(st.total.valid, st.total.revoked, st.total.expired)).toBeGreaterThan(5);
  });

  it('ok months are Japan time: 2026-01-31T15:00Z counts in February, 14:59:59Z in January; a range excludes its neighbours', async () => {
    const feb = await officerStatistics({ db: t.database.db, clock }, officerA, { from: '2026-02', to: '2026-02' });
    expect(feb.rows).toEqual(expected(officerA.institutionId!, '2026-02', '2026-02'));
    expect(feb.rows.find((r) => r.profile === 13)?.issued).toBe(expected(officerA.institutionId!, '2026-02', '2026-02').find((r) => r.profile === 13)!.issued);
    const jan = await officerStatistics({ db: t.database.db, clock }, officerA, { from: '2026-01', to: '2026-01' });
    expect(jan.rows).toEqual(expected(officerA.institutionId!, '2026-01', '2026-01'));
    const seededBoundary = seeds.filter((s) => s.issuedAt.toISOString().startsWith('2026-01-31T1'));
    expect(seededBoundary.map((s) => jstMonth(s.issuedAt))).toEqual(['2026-01', '2026-02']);
  });

  it('ok default range is the 12 months up to now; NG from after to, and more than 120 months → VALIDATION', async () => {
    const st = await officerStatistics({ db: t.database.db, clock }, officerA, {});
    expect([st.from, st.to]).toEqual(['2025-05', '2026-04']);
    expect(st.rows).toEqual(expected(officerA.institutionId!, '2025-05', '2026-04'));
    await expect(officerStatistics({ db: t.database.db, clock }, officerA, { from: '2026-04', to: '2026-01' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(officerStatistics({ db: t.database.db, clock }, officerA, { from: '2010-01', to: '2026-01' })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('ok the CSV has one line per row, in the language asked, UTF-8 with BOM and CRLF', async () => {
    const st = await officerStatistics({ db: t.database.db, clock }, officerA, { from: '2026-01', to: '2026-03' });
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(statisticsCsv(st, 'en').bytes);
    expect(csv.startsWith('\uFEFFMonth,Profile,Profile name,Issued,Valid,Revoked,Expired\r\n')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(st.rows.length + 1);
    const r = st.rows[0]!;
    expect(lines[1]).toBe([r.month, r.profile, '', r.issued, r.valid, r.revoked, r.expired].join(',').replace(',,', `,${csvName(r.profile)},`));
    expect(new TextDecoder().decode(statisticsCsv(st, 'ja').bytes)).toContain('月,プロファイル,プロファイル名,発行,有効,失効,期限切れ');
  });

  it('ok audit view: own institution only, filters by action (exact and prefix), actor and day; operators see all', async () => {
    const at = (d: string) => new Date(d);
    await t.database.db.transaction((tx) => appendAudit(tx, at('2026-04-01T01:00:00Z'), [
      { actor: 'cert:1001', institutionId: officerA.institutionId, action: 'certificate.revoked', object: 'serial:500001', details: { reason: 3 } },
      { actor: 'system', institutionId: officerA.institutionId, action: 'certificate.issued', object: 'serial:500002' },
    ]));
    await t.database.db.transaction((tx) => appendAudit(tx, at('2026-04-02T16:00:00Z'), [{ actor: 'cert:1001', institutionId: officerA.institutionId, action: 'upload', object: 'upload:1' }]));
    const page = { page: 1, size: 50 };
    const all = await auditView({ db: t.database.db }, officerA, page);
    expect(all.items.every((r) => r.institution === 'stat-a')).toBe(true);
    expect(all.items.map((r) => r.action)).toEqual(['upload', 'certificate.issued', 'certificate.revoked', 'institution.add']);
    expect(all.actions).toEqual(['certificate.issued', 'certificate.revoked', 'institution.add', 'upload']);
    expect((await auditView({ db: t.database.db }, officerA, { ...page, action: 'certificate.revoked' })).items.map((r) => r.object)).toEqual(['serial:500001']);
    expect((await auditView({ db: t.database.db }, officerA, { ...page, action: 'certificate.' })).total).toBe(2);
    expect((await auditView({ db: t.database.db }, officerA, { ...page, actor: 'cert:1001' })).items.map((r) => r.action)).toEqual(['upload', 'certificate.revoked']);
    // 2026-04-02T16:00Z is 04-03 in Japan.
    expect((await auditView({ db: t.database.db }, officerA, { ...page, from: '2026-04-03', to: '2026-04-03' })).items.map((r) => r.action)).toEqual(['upload']);
    expect((await auditView({ db: t.database.db }, officerA, { ...page, from: '2026-04-01', to: '2026-04-02' })).total).toBe(2);
    // The operator sees both institutions; `institution` narrows to one; an officer's `institution` is the officer's own anyway.
    const op = await auditView({ db: t.database.db }, operator, page);
    expect(new Set(op.items.map((r) => r.institution))).toEqual(new Set(['stat-a', 'stat-b']));
    expect((await auditView({ db: t.database.db }, operator, { ...page, institution: 'stat-b' })).items.map((r) => r.action)).toEqual(['institution.add']);
    expect((await auditView({ db: t.database.db }, officerA, { ...page, institution: 'stat-b' })).items.every((r) => r.institution === 'stat-a')).toBe(true);
    await expect(auditView({ db: t.database.db }, operator, { ...page, institution: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('ok the chain status is hakko audit verify\'s: ok, then broken at the record someone altered', async () => {
    const before = await auditVerification({ db: t.database.db, clock });
    const cli = await verifyAudit(t.database.db);
    expect(before).toMatchObject({ ok: true, records: cli.records, brokenAt: null });
    const [victim] = (await auditView({ db: t.database.db }, operator, { page: 1, size: 1, action: 'upload' })).items;
    await t.database.db.execute(sql`update audit_log set actor = 'someone-else' where id = ${Number(victim!.id)}`);
    const after = await auditVerification({ db: t.database.db, clock });
    expect(after).toMatchObject({ ok: false, brokenAt: victim!.id });
    expect((await verifyAudit(t.database.db)).brokenAt).toBe(Number(victim!.id));
  });
});

function csvName(p: number | null): string {
  return p === 5 ? 'Client authentication (48 months)' : p === 7 ? 'S/MIME (823 days)' : p === 13 ? 'Client authentication (13 months)' : p === 14 ? 'Client authentication (25 months)' : p === 15 ? 'S/MIME (13 months)' : 'S/MIME (25 months)';
}

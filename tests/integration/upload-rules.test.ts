/**
 * Upload rules that need the institution's state or the answer's language, on PGlite and PostgreSQL
 * (spec 02 §Validation against the system, §Error messages; spec 06 `POST /api/officer/uploads`): 215
 * for a suspended institution and 302 for an approval expired by the JST calendar — both file-level,
 * with every row still reported and nothing registered — and `lang=en` in the answer and report.tsv.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { backends } from '../helpers/db.ts';
import { FakeClock } from '../helpers/clock.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import {
  addTestInstitution, authenticatedOfficer, enrollTestOfficer, officerRequest, SAMPLE_INSTITUTION, uploadViaApi, type OfficerCredentials,
} from '../helpers/officer.ts';
import { person } from '../unit/tsv-builders.ts';
import { encodeTsv } from '../../api/domain/tsv/codec.ts';
import { formatProblem } from '../../api/domain/errors/format.ts';
import { jstToday, uploadTsv, type UploadAnswer, type UploadInput } from '../../api/workflows/upload-tsv.ts';
import { updateInstitution } from '../../api/workflows/institutions.ts';
import type { AuthenticatedOfficer } from '../../api/domain/officer.ts';

describe.each(await backends())('upload rules on $name', (backend) => {
  let srv: TestServer;
  let a: OfficerCredentials;
  let officerA: AuthenticatedOfficer;
  const clock = new FakeClock(new Date());

  beforeAll(async () => {
    srv = await startTestServer({ backend, clock });
    await addTestInstitution(srv);
    a = await enrollTestOfficer(srv, SAMPLE_INSTITUTION.code, '登録 太郎', 'ra@sample.ac.jp');
    officerA = await authenticatedOfficer(srv, a);
  });
  afterAll(async () => {
    await srv?.dispose();
  });

  async function requestCount(): Promise<number> {
    const r = await srv.services.db.execute(sql`select count(*)::int as n from requests`);
    return (((r as unknown as { rows?: { n: number }[] }).rows ?? (r as unknown as { n: number }[]))[0]!).n;
  }
  const direct = (input: Partial<UploadInput> & Pick<UploadInput, 'file'>): Promise<UploadAnswer> =>
    uploadTsv(srv.services, officerA, { kind: 'issue', mode: 'abort', lang: 'ja', ...input });
  const tsv = (rows: readonly (readonly string[])[], name = 'req.tsv') => ({ name, bytes: encodeTsv(rows) });
  const codes = (ans: Pick<UploadAnswer, 'rows'>) => ans.rows.map((r) => r.errors.map((e) => `${e.code}:${e.column}`).join(' '));
  const fileCodes = (ans: Pick<UploadAnswer, 'errors'>) => ans.errors.map((e) => [e.code, e.level, e.line, e.column]);
  const change = (patch: Parameters<typeof updateInstitution>[2]) => updateInstitution({ db: srv.services.db, clock }, SAMPLE_INSTITUTION.code, patch, 'test');

  it.each(['abort', 'valid-only'] as const)('NG 215 suspended institution (%s): file-level 215, every row still reported, nothing registered; active again → registers', async (mode) => {
    const n = mode === 'abort' ? 100 : 110;
    const rows = [person(n), person(n + 1, { 14: 'x@elsewhere.example.jp' })];
    await change({ status: 'suspended' });
    try {
      const before = await requestCount();
      const ans = await direct({ file: tsv(rows), mode });
      expect(fileCodes(ans)).toEqual([['215', 'error', 0, 0]]);
      expect(ans).toMatchObject({ registered: 0, rejected: 2 });
      expect(ans.rows.map((r) => [r.seq, r.ok, r.requestId])).toEqual([[1, true, null], [2, false, null]]);
      expect(codes(ans)).toEqual(['', '301:14']);
      // Renewal is refused the same way (spec 02: renewal checks 215 too).
      const renew = await direct({ file: tsv([person(n + 2)]), kind: 'renew', mode });
      expect(fileCodes(renew)).toContainEqual(['215', 'error', 0, 0]);
      expect(await requestCount()).toBe(before);
    } finally {
      await change({ status: 'active' });
    }
    const ok = await direct({ file: tsv([rows[0]!]), mode });
    expect(ok).toMatchObject({ registered: 1, errors: [] });
  });

  it('NG 302 the approval expired by the JST calendar day: at 01:00 JST on the next day (still the expiry date in UTC) refused, rows reported; on the day itself accepted', async () => {
    const real = clock.now();
    // 16:00 UTC = 01:00 JST of the next calendar day; ahead of now, where the officer certificate is valid.
    const at = new Date(real.getTime() + 86_400_000);
    at.setUTCHours(16, 0, 0, 0);
    const utcDate = at.toISOString().slice(0, 10);
    expect(jstToday(at)).not.toBe(utcDate);
    clock.set(at);
    try {
      await change({ approvalExpires: utcDate });
      const before = await requestCount();
      const res = await uploadViaApi(srv, a, { file: tsv([person(200), person(201, { 14: 'x@elsewhere.example.jp' })]), kind: 'issue', mode: 'valid-only', reviewed: 'true' });
      expect(res.status).toBe(422);
      const ans = res.json<UploadAnswer>();
      expect(fileCodes(ans)).toEqual([['302', 'error', 0, 0]]);
      expect(ans).toMatchObject({ registered: 0, rejected: 2 });
      expect(codes(ans)).toEqual(['', '301:14']);
      expect(await requestCount()).toBe(before);
      await change({ approvalExpires: jstToday(at) });
      const onTheDay = await direct({ file: tsv([person(200)]) });
      expect(onTheDay).toMatchObject({ registered: 1, errors: [] });
    } finally {
      await change({ approvalExpires: null });
      clock.set(real);
    }
  });

  it('ok lang=en: English messages in the answer (file-level and rows) and report.tsv with the English header and institution name', async () => {
    const res = await uploadViaApi(srv, a, { file: tsv([person(300), person(301, { 14: 'x@elsewhere.example.jp' })], 'en.txt'), kind: 'issue', mode: 'valid-only', reviewed: 'true', lang: 'en' });
    expect(res.status).toBe(200);
    const ans = res.json<UploadAnswer>();
    expect(ans).toMatchObject({ registered: 1, rejected: 1, errors: [] });
    const en301 = formatProblem('301', 14, {}, 'en');
    expect(en301).not.toBe(formatProblem('301', 14, {}, 'ja'));
    expect(ans.rows[1]!.errors).toEqual([{ code: '301', level: 'error', line: 2, column: 14, message: en301 }]);
    const report = await officerRequest(srv, a, 'GET', `/api/officer/uploads/${ans.upload}/report.tsv`);
    expect(report.status).toBe(200);
    const lines = new TextDecoder('shift_jis', { fatal: true }).decode(report.bytes).split('\r\n').filter((l) => l !== '').map((l) => l.split('\t'));
    expect(lines[0]).toEqual(['SEQ', 'OK/NG', 'Errors', 'Institution', 'Affiliation', 'Name', 'Mail']);
    expect(lines.slice(1).map((c) => [c[0], c[1], c[2], c[3], c[6]])).toEqual([
      ['1', 'OK', '', 'Sample University', 'u300@sample.ac.jp'],
      ['2', 'NG', en301, 'Sample University', 'x@elsewhere.example.jp'],
    ]);
    // A file-level problem in English too (209 keeps the rows: spec 02, all problems of all rows).
    const named = await uploadViaApi(srv, a, { file: tsv([person(302)], 'req.csv'), kind: 'issue', mode: 'abort', reviewed: 'true', lang: 'en' });
    expect(named.status).toBe(422);
    expect(named.json<UploadAnswer>().errors.map((e) => e.message)).toEqual([formatProblem('209', 0, {}, 'en')]);
  });
});

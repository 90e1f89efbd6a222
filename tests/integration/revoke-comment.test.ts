/**
 * `POST /api/officer/certificates/{serial}/revoke` takes the revocation comment by the same rule as
 * TSV column 6 (spec 02 §Value rules: ≤ 128 characters of the name character set; reason 0 without
 * a comment is W227, an error only when the operator set `tsv.w227IsError`). The comment is checked
 * before the certificate is looked up, so an unknown serial shows that a comment was accepted (404).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSetting } from '../../db/repos/settings.ts';
import { backends } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addTestInstitution, enrollTestOfficer, officerRequest, SAMPLE_INSTITUTION, type OfficerCredentials } from '../helpers/officer.ts';

const UNKNOWN_SERIAL = '123456789012345678901234567890';

describe.each(await backends())('revocation comment on the revoke API on $name', (backend) => {
  let srv: TestServer;
  let officer: OfficerCredentials;
  beforeAll(async () => {
    srv = await startTestServer({ backend });
    await addTestInstitution(srv);
    officer = await enrollTestOfficer(srv, SAMPLE_INSTITUTION.code);
  });
  afterAll(async () => {
    await srv?.dispose();
  });

  const revoke = (body: unknown) =>
    officerRequest(srv, officer, 'POST', `/api/officer/certificates/${UNKNOWN_SERIAL}/revoke`, { bytes: Buffer.from(JSON.stringify(body)), contentType: 'application/json' });

  it.each([
    ['a TAB', 'moved\tto another lab', '205'],
    ['a line break', 'line one\r\nline two', '205'],
    ['a private-use character (CP932 user-defined area)', 'key lost \uE000', '205'],
    ['a character CP932 cannot encode', 'lost 🔑', '205'],
    ['129 characters', 'あ'.repeat(129), '202'],
  ])('NG a comment with %s → 422 VALIDATION naming the TSV code in both languages', async (_what, comment, code) => {
    const r = await revoke({ reason: 1, comment });
    expect(r.status, r.text).toBe(422);
    const body = r.json();
    expect(body.code).toBe('VALIDATION');
    expect(body.problems).toEqual([code]);
    expect(body.message.ja).toMatch(new RegExp(`^${code}: .*コメント`));
    expect(body.message.en).toMatch(new RegExp(`^${code}: .*comment`, 'i'));
  });

  it('ok 128 characters with NEC specials and Japanese pass the comment rule (→ 404 for the unknown serial)', async () => {
    const r = await revoke({ reason: 3, comment: '①'.repeat(64) + '所属変更'.repeat(16) });
    expect(r.status, r.text).toBe(404);
    expect(r.json().code).toBe('NOT_FOUND');
  });

  it('NG a comment that is not a string, or a reason that is not one of 0 1 3 4 5 → 400 BAD_REQUEST (the schema), naming the field', async () => {
    const r = await revoke({ reason: 1, comment: 42 });
    expect(r.status, r.text).toBe(400);
    expect(r.json()).toMatchObject({ code: 'BAD_REQUEST', issues: [{ in: 'json', field: 'comment' }] });
    const bad = await revoke({ reason: 2 });
    expect([bad.status, bad.json().issues[0].field]).toEqual([400, 'reason']);
  });

  it('ok reason 0 without a comment by default (W227 is a warning); NG once the operator makes W227 an error', async () => {
    expect((await revoke({ reason: 0 })).status).toBe(404);
    expect((await revoke({ reason: 0, comment: '   ' })).status).toBe(404);
    await writeSetting(srv.services.db, 'tsv.w227IsError', true, new Date());
    try {
      const r = await revoke({ reason: 0, comment: '' });
      expect(r.status, r.text).toBe(422);
      expect(r.json()).toMatchObject({ code: 'VALIDATION', problems: ['W227'] });
      expect((await revoke({ reason: 0, comment: '退職のため' })).status).toBe(404);
      expect((await revoke({ reason: 1 })).status).toBe(404);
    } finally {
      await writeSetting(srv.services.db, 'tsv.w227IsError', false, new Date());
    }
  });
});

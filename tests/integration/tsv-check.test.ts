/**
 * `hakko tsv check FILE --institution CODE [--kind] [--lang] [--json]` (spec README §CLI) as a child
 * process: exit 0 clean or warnings only, 1 errors, 2 unknown institution / unreadable file; the
 * exact `--json` shape; `--lang en`; nothing written. On PGlite while a server runs (the command
 * travels over the socket) and without one (the CLI opens the database), and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { backends } from '../helpers/db.ts';
import { runCli, startTestServer, type TestServer } from '../helpers/server.ts';
import { addTestInstitution, SAMPLE_INSTITUTION } from '../helpers/officer.ts';
import { encodeTsv } from '../../api/domain/tsv/codec.ts';
import { certificates, institutions } from '../../db/schema/index.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/tsv');
const REVOKE_DN = 'CN=SATO TARO,OU=20261234,OU=Graduate School of Engineering,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP';
const SERIAL = '424242424242';

describe.each(await backends())('hakko tsv check on $name', (backend) => {
  let srv: TestServer;
  const file = (name: string) => path.join(srv.dataDir, name);
  const check = (args: string[]) => runCli(srv.env, ['tsv', 'check', ...args]);
  async function writes() {
    const r = await srv.services.db.execute(sql`select (select count(*)::int from uploads) + (select count(*)::int from requests) + (select count(*)::int from outbox) as n`);
    return (((r as unknown as { rows?: unknown[] }).rows ?? r) as { n: number }[])[0]!.n;
  }

  beforeAll(async () => {
    srv = await startTestServer({ backend });
    await addTestInstitution(srv);
    for (const f of ['issue-p12-individual.tsv', 'legacy-14-columns.txt']) copyFileSync(path.join(FIXTURES, f), file(f));
    // A certificate of the institution to revoke (the request DN is what revocation rows are compared with).
    const [inst] = await srv.services.db.select().from(institutions).where(eq(institutions.code, SAMPLE_INSTITUTION.code));
    const now = new Date();
    await srv.services.db.insert(certificates).values({
      serial: SERIAL, state: 'issued', kind: 'subscriber', institutionId: inst!.id, profile: 5, requestDn: REVOKE_DN, cnOuKey: 'x',
      spkiSha256: randomBytes(32).toString('hex'), notBefore: now, notAfter: new Date(now.getTime() + 86_400_000 * 365), issuedAt: now,
    });
    const row = [REVOKE_DN, '', '', SERIAL, '0', '', '', '', '', '', '', '', '', '', ''];
    writeFileSync(file('revoke-w227.tsv'), encodeTsv([row]));
  });
  afterAll(async () => {
    await srv?.dispose();
  });

  it('ok exit 0: a clean file; the summary says so; nothing written', async () => {
    const before = await writes();
    const r = await check([file('issue-p12-individual.tsv'), '--institution', 'sample-u']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('3行: エラー0件、警告0件(登録可能)\n');
    expect(await writes()).toBe(before);
  });

  it('ok exit 0 with warnings only: reason 0 without a comment → W227', async () => {
    const r = await check([file('revoke-w227.tsv'), '--institution', 'sample-u', '--kind', 'revoke', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toEqual({ ok: true, lines: 1, errors: [{ code: 'W227', level: 'warning', line: 1, column: 6, message: expect.stringMatching(/^W227:6,/) }] });
  });

  it('NG exit 1 with errors; --json is exactly {ok, lines, errors:[{code, level, line, column, message}]}', async () => {
    const r = await check([file('legacy-14-columns.txt'), '--institution', 'sample-u', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['ok', 'lines', 'errors']);
    expect(j.ok).toBe(false);
    expect(j.lines).toBe(1);
    for (const e of j.errors) expect(Object.keys(e).sort()).toEqual(['code', 'column', 'level', 'line', 'message']);
    expect(j.errors.map((e: { code: string; line: number; column: number; level: string }) => [e.code, e.line, e.column, e.level])).toEqual([['305', 1, 1, 'error'], ['306', 1, 1, 'error']]);
    expect(j.errors[0].message).toMatch(/^305:1,主体者DN,/);
  });

  it('ok --lang en: English items and messages, English summary', async () => {
    const j = JSON.parse((await check([file('legacy-14-columns.txt'), '--institution', 'sample-u', '--json', '--lang', 'en'])).stdout);
    expect(j.errors[0].message).toMatch(/^305:1,Subject DN,/i);
    expect(j.errors.every((e: { message: string }) => !/[\u3040-\u30ff\u4e00-\u9fff]/.test(e.message))).toBe(true);
    const text = await check([file('legacy-14-columns.txt'), '--institution', 'sample-u', '--lang', 'en']);
    expect(text.code).toBe(1);
    expect(text.stdout.trim().split('\n').at(-1)).toBe('1 line: 2 errors, 0 warnings');
    expect(text.stdout).toMatch(/^1\tNG\t305:1,/);
  });

  it('NG exit 2: unknown institution, unreadable file, wrong usage — one line on stderr', async () => {
    const unknown = await check([file('issue-p12-individual.tsv'), '--institution', 'nope-u']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^hakko: unknown institution: nope-u\n$/);
    const missing = await check([file('does-not-exist.tsv'), '--institution', 'sample-u']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/cannot read/);
    const usage = await check([file('issue-p12-individual.tsv')]);
    expect(usage.code).toBe(2);
  });

  it('ok: works without a running server too (the CLI opens the database itself)', async () => {
    await srv.stop();
    const r = await check([file('issue-p12-individual.tsv'), '--institution', 'sample-u', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, lines: 3, errors: [] });
    const bad = await check([file('legacy-14-columns.txt'), '--institution', 'sample-u', '--json']);
    expect(bad.code).toBe(1);
    srv = await srv.restart();
  });
});

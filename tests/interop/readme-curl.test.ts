/**
 * The README's curl automation example, run exactly as written (issue 12): the block is taken from
 * README.md and run by bash with curl presenting the officer's PKCS#12 — upload a TSV, read the
 * requests, download the information file and the ZIP; then the files it left are checked.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTsv, encodeTsv } from '../../api/domain/tsv/codec.ts';
import { infoFileHeader } from '../../api/domain/tsv/info-file.ts';
import { addTestInstitution, enrollTestOfficer, SAMPLE_INSTITUTION, type OfficerCredentials } from '../helpers/officer.ts';
import { pfxOf } from '../helpers/officer-browser.ts';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.ts';
import { dnOf } from '../helpers/world.ts';

/**
 * Runs the block with bash, asynchronously: the server lives in this process and must keep
 * answering while curl talks to it.
 */
function runBlock(block: string, cwd: string, env: Record<string, string>): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-c', block], { cwd, encoding: 'utf8', env: { ...process.env, ...env } }, (err, _stdout, stderr) => {
      resolve({ status: err ? ((err as { code?: number }).code ?? -1) : 0, stderr });
    });
  });
}

/** The first ```sh block after the heading that introduces it. */
function readmeCurlBlock(readme: string): string {
  const at = readme.indexOf('## The API and automation with curl');
  const m = /```sh\n([\s\S]*?)```/.exec(readme.slice(at));
  if (at < 0 || !m) throw new Error('README: the curl example is missing');
  return m[1]!;
}

describe('README curl example', () => {
  let srv: TestServer;
  let officer: OfficerCredentials;
  let dir: string;

  beforeAll(async () => {
    srv = await startTestServer();
    await addTestInstitution(srv);
    officer = await enrollTestOfficer(srv, SAMPLE_INSTITUTION.code);
    dir = mkdtempSync(path.join(tmpdir(), 'hakko-readme-'));
  }, 120_000);
  afterAll(async () => {
    await srv?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ok as written: upload, requests, information file and ZIP with curl and the officer\'s P12', async () => {
    const { pfxPath, passphrase } = pfxOf(officer);
    copyFileSync(pfxPath, path.join(dir, 'officer.p12'));
    writeFileSync(path.join(dir, 'root.pem'), srv.services.ca.show().root.pem);
    const rows = ['README ONE', 'README TWO'].map((cn, i) => [dnOf(cn), '13', '3', '', '', '', '', '管理 花子', '情報基盤センター', 'admin@sample.ac.jp', `利用者 ${i}`, '', '工学部', `readme${i}@sample.ac.jp`, '']);
    writeFileSync(path.join(dir, 'requests.tsv'), encodeTsv(rows));
    const block = readmeCurlBlock(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
    const run = await runBlock(block, dir, { HAKKO_URL: srv.services.config.publicHttpsUrl, OFFICER_PIN: passphrase });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const upload = JSON.parse(readFileSync(path.join(dir, 'upload.json'), 'utf8'));
    expect(upload).toMatchObject({ registered: 2, rejected: 0 });
    const requests = JSON.parse(readFileSync(path.join(dir, 'requests.json'), 'utf8'));
    expect(requests.total).toBe(2);
    expect(requests.items.map((r: { state: string; uploadId: string }) => [r.state, r.uploadId])).toEqual([['pin-pending', upload.upload], ['pin-pending', upload.upload]]);
    const tsv = decodeTsv(new Uint8Array(readFileSync(path.join(dir, 'certificates.tsv'))));
    if (!tsv.ok) throw new Error('certificates.tsv is not CP932');
    const lines = tsv.text.trim().split('\r\n').map((l) => l.split('\t'));
    expect(lines[0]).toEqual(infoFileHeader('ja'));
    expect(lines.slice(1).map((l) => l[3])).toEqual(rows.map((r) => r[0]));
    expect(execFileSync('unzip', ['-t', 'certificates.zip'], { cwd: dir, encoding: 'utf8' })).toMatch(/No errors detected/);
  });

  it('NG the same block refuses a file with an error: curl fails with the 422 answer, nothing registered', async () => {
    writeFileSync(path.join(dir, 'requests.tsv'), encodeTsv([[dnOf('README BAD'), '13', '3', '', '', '', '', '管理 花子', '情報基盤センター', 'admin@sample.ac.jp', '利用者', '', '工学部', 'bad@elsewhere.example', '']]));
    const block = readmeCurlBlock(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
    const run = await runBlock(block, dir, { HAKKO_URL: srv.services.config.publicHttpsUrl, OFFICER_PIN: pfxOf(officer).passphrase });
    expect(run.status).toBe(22);
    expect(JSON.parse(readFileSync(path.join(dir, 'upload.json'), 'utf8'))).toMatchObject({ registered: 0, rows: [{ ok: false, errors: [{ code: '301' }] }] });
  });
});

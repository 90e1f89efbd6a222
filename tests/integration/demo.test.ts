/**
 * `hakko demo` (issue 12: a first run that reaches the dashboard), against a running server on
 * PGlite (the CLI goes over the socket): it prints the enrollment URL, PIN and sample file; the URL
 * and PIN really enroll the officer; the sample file passes `hakko tsv check` and uploads cleanly as
 * that officer; a second run refuses with exit 2 and says what to do instead.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickUp } from '../helpers/pickup-client.ts';
import { officerRequest, uploadViaApi } from '../helpers/officer.ts';
import { runCli, startTestServer, type TestServer } from '../helpers/server.ts';

describe('hakko demo', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer();
  }, 60_000);
  afterAll(async () => {
    await srv?.dispose();
  });

  it('ok: institution, officer enrollment (URL and PIN that work) and a clean sample request file', async () => {
    const r = await runCli(srv.env, ['demo', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const demo = JSON.parse(r.stdout) as { institution: string; url: string; pin: string; sampleFile: string };
    expect(demo.institution).toBe('demo-u');
    expect(demo.sampleFile.startsWith(srv.dataDir)).toBe(true);
    const check = await runCli(srv.env, ['tsv', 'check', demo.sampleFile, '--institution', 'demo-u', '--json']);
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ ok: true, lines: 3, errors: [] });
    const picked = await pickUp(srv.httpUrl, demo.url, demo.pin, 'CN=ignored');
    const officer = { certPem: picked.certPem, keyPem: picked.keyPem, rootPem: srv.services.ca.show().root.pem, serial: picked.serial, email: 'officer@demo.example' };
    const me = await officerRequest(srv, officer, 'GET', '/api/me');
    expect(me.json()).toMatchObject({ email: 'officer@demo.example', role: 'officer', institution: { code: 'demo-u' } });
    const up = await uploadViaApi(srv, officer, { file: { name: 'demo-issue.tsv', bytes: readFileSync(demo.sampleFile) }, kind: 'issue', mode: 'abort', reviewed: 'true' });
    expect(up.status, up.text).toBe(200);
    expect(up.json()).toMatchObject({ registered: 3, rejected: 0 });
  });

  it('NG a second run: exit 2, naming the command for another enrollment', async () => {
    const r = await runCli(srv.env, ['demo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/set up already .*hakko officer enroll --institution demo-u/);
  });

  it('ok the text output names every next step', async () => {
    const fresh = await startTestServer();
    try {
      const r = await runCli(fresh.env, ['demo']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^URL: http:\/\/localhost:\d+\/pickup\/[A-Za-z0-9_-]{43}$/m);
      expect(r.stdout).toMatch(/^PIN: \S{8,}$/m);
      expect(r.stdout).toMatch(/^Sample request file: \/.+demo-issue\.tsv$/m);
      expect(r.stdout).toContain(`${fresh.services.config.publicHttpsUrl}/officer`);
      expect(r.stdout).toContain('/dev/mailbox');
    } finally {
      await fresh.dispose();
    }
  });
});

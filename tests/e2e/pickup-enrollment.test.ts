/**
 * Officer and operator enrollment end to end in Chromium (spec 01 §Setting up an institution, spec 04
 * method 3 rules): the URL and PIN `hakko officer enroll` prints, the pickup page with a password of
 * the officer's choosing, then the README's "Reaching the officer dashboard" steps: `curl --cert-type
 * P12 … /api/me` answers 200 once the saving is confirmed (403 before: the officer is still pending),
 * and "check my certificate" accepts the file in Chromium.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTestInstitution, SAMPLE_INSTITUTION } from '../helpers/officer.ts';
import { privateKeyMaterial, type WatchedPage } from '../helpers/browser.ts';
import { checkP12 } from '../helpers/p12-tools.ts';
import { pageTracker, confirmSaved, createAndDownload, curlWithP12, enterPin, keep, openPickup, startPickupBed, type PickupBed } from '../helpers/pickup-e2e.ts';
import { runCli } from '../helpers/server.ts';
import { ja } from '../../web/lib/i18n/all.ts';

let bed: PickupBed;
const pages = pageTracker(() => bed);

beforeAll(async () => {
  bed = await startPickupBed({ institutions: [] });
  await addTestInstitution(bed.srv, SAMPLE_INSTITUTION);
});

afterAll(async () => {
  await pages.closeAll();
  await bed?.dispose();
});

async function enroll(args: string[]): Promise<{ url: string; pin: string }> {
  const r = await runCli(bed.srv.env, ['officer', 'enroll', ...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { url: string; pin: string };
}

describe('enrollment', () => {
  it('ok officer: the printed URL works in the browser; /api/me answers 200 with the P12 once saving is confirmed', async () => {
    const { url, pin } = await enroll(['--institution', SAMPLE_INSTITUTION.code, '--name', '山田 花子', '--email', 'hanako@sample.ac.jp']);
    expect(url.startsWith(bed.srv.services.config.publicUrl)).toBe(true);
    const w = await pages.open();
    await openPickup(bed, w.page, url.split('/').pop()!);
    expect(await w.page.locator('main').textContent()).toContain(ja['pickup.lead.officer']);
    expect(await w.page.locator('main').textContent()).toContain(ja['summary.officer']);
    await enterPin(w.page, pin);
    const password = 'Officer-pass 2026!';
    const file = await keep(bed, await createAndDownload(w.page, { ownPassword: password }));
    const tools = checkP12(readFileSync(file), password, false);
    expect(tools.openssl.status, tools.openssl.out).toBe(0);
    expect(tools.keytool.out).toMatch(/Alias name: hanako@sample\.ac\.jp/);

    const before = await curlWithP12(bed, file, password, '/api/me');
    expect(before.status).toBe(403);
    expect(JSON.parse(before.body).code).toBe('NOT_AN_OFFICER');
    await confirmSaved(w.page);
    const me = await curlWithP12(bed, file, password, '/api/me');
    expect(me.status, me.body).toBe(200);
    expect(JSON.parse(me.body)).toMatchObject({ email: 'hanako@sample.ac.jp', role: 'officer' });
    expect(await w.page.getByRole('link', { name: ja['pickup.done.dashboard'] }).getAttribute('href')).toBe(`${bed.srv.services.config.publicHttpsUrl}/officer`);

    const withCert = await pages.open({ context: { clientCertificates: [{ origin: new URL(bed.srv.httpsUrl).origin, pfxPath: file, passphrase: password }] } });
    await withCert.page.goto(`${bed.srv.httpsUrl}/check`);
    await withCert.page.locator('[data-testid=check-result][data-outcome=valid]').waitFor();
    for (const s of w.sent) expect(privateKeyMaterial(s.body), s.url).toBeNull();
    expect(w.problems).toEqual([]);
  });

  it('ok operator (compatible file, the PIN as password): /api/me answers 200 as operator', async () => {
    const { url, pin } = await enroll(['--operator', '--name', 'Operator One', '--email', 'operator@hakko.example']);
    const w = await pages.open({ lang: 'en' });
    await openPickup(bed, w.page, url.split('/').pop()!);
    await enterPin(w.page, pin);
    const file = await keep(bed, await createAndDownload(w.page, { variant: 'compatible' }));
    expect(checkP12(readFileSync(file), pin, true).nss.status).toBe(0);
    await confirmSaved(w.page);
    const me = await curlWithP12(bed, file, pin, '/api/me');
    expect(me.status, me.body).toBe(200);
    expect(JSON.parse(me.body)).toMatchObject({ role: 'operator' });
    for (const s of w.sent) expect(privateKeyMaterial(s.body), s.url).toBeNull();
  });

  it('ok "check my certificate" without a certificate, and opened on plain HTTP', async () => {
    const w = await pages.open();
    await w.page.goto(`${bed.srv.httpUrl}/check?serial=123`);
    const link = w.page.getByRole('link', { name: ja['check.openHttps'] });
    expect(await link.getAttribute('href')).toBe(`${bed.srv.services.config.publicHttpsUrl}/check?serial=123`);
    const insecure = await pages.open({ context: { ignoreHTTPSErrors: true } });
    await insecure.page.goto(`${bed.srv.httpsUrl}/check`);
    await insecure.page.locator('[data-testid=check-result][data-outcome=none]').waitFor();
    expect(await insecure.page.getByTestId('check-result').textContent()).toContain(ja['check.none.remembered']);
  });
});

/**
 * P12一括 with the server stopped and started again in the middle (spec 04 §Resuming, spec 08
 * §Reliability; issue 11): the page says it is waiting for the server, keeps what it made, and
 * finishes once the server is back — one certificate per row in the database, every row's file in
 * certs.zip, client.txt matching the database. In a file of its own so that the fault suite can run it.
 */
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_INSTITUTION } from '../helpers/officer.ts';
import { privateKeyMaterial } from '../helpers/browser.ts';
import { checkP12 } from '../helpers/p12-tools.ts';
import { certificatesOf, keep, pageTracker, retrieveBulkPins, startPickupBed, uploadBulk, type PickupBed } from '../helpers/pickup-e2e.ts';

let bed: PickupBed;
const pages = pageTracker(() => bed);

beforeAll(async () => {
  bed = await startPickupBed({ institutions: [SAMPLE_INSTITUTION] });
});

afterAll(async () => {
  await pages.closeAll();
  await bed?.dispose();
});

describe('bulk pickup across a server restart', () => {
  it('ok the server stops after the first keys and comes back: the page waits, then finishes; one certificate per row', async () => {
    const up = await uploadBulk(bed, SAMPLE_INSTITUTION, Array.from({ length: 8 }, () => ({})));
    const pins = await retrieveBulkPins(bed, up.pinToken);
    const w = await pages.open();
    const p = w.page;
    await p.goto(`${bed.srv.httpUrl}/pickup/${up.pickupToken}`);
    await p.getByTestId('bulk-start').waitFor();
    const download = p.waitForEvent('download', { timeout: 180_000 });
    await p.getByTestId('bulk-start').click();
    await p.locator('[data-testid=bulk-rows] td.state[data-state=key]').first().waitFor();
    // Down until the page has said so (its retries with backoff ran out), then up again.
    await bed.restartServer!({ whileDown: () => p.getByTestId('bulk-waiting').waitFor({ timeout: 60_000 }) });
    const file = await keep(bed, await download);
    await p.getByTestId('bulk-ready').waitFor();
    const entries = unzipSync(new Uint8Array(readFileSync(file)));
    const serials: string[] = [];
    for (const r of up.rows) {
      const certs = await certificatesOf(bed, r.dn);
      expect(certs, r.dn).toHaveLength(1);
      serials.push(certs[0]!.serial);
    }
    const client = new TextDecoder('shift_jis').decode(entries['client.txt']!).split('\r\n').slice(1, -1);
    expect(client.map((l) => l.split('\t')[0])).toEqual(serials);
    expect(Object.keys(entries).filter((n) => n.endsWith('.p12'))).toHaveLength(8);
    const last = up.rows.length - 1;
    const report = checkP12(entries[`${up.rows[last]!.cn.replace(/ /g, '')}.p12`]!, pins[last]!.pin, true);
    expect(report.openssl.status, report.openssl.out).toBe(0);
    for (const s of w.sent) expect(privateKeyMaterial(s.body), s.url).toBeNull();
    expect(w.problems).toEqual([]);
    // Finishing works against the restarted server.
    await p.getByTestId('saved-check').check();
    await p.getByTestId('confirm').click();
    await p.getByTestId('done').waitFor();
  });
});

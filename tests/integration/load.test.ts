/**
 * Issue 15, load on loopback, bounded: the bench's load run (bench/load.ts) at a small size — real
 * Hakko processes (`api/main.ts`), one and then two on one PostgreSQL, 8 concurrent autocannon clients
 * doing whole pickups (verify + CSR + confirm with real RSA-2048 CSRs), then 32 clients asking OCSP by
 * GET and POST. Asserted: nothing lost or doubled — every answer had its expected status, each pickup
 * made exactly one certificate (distinct serials) and completed its request in the database — never
 * a speed (speed targets live in `npm run bench`). Two processes need a shared database, so this runs
 * on PostgreSQL only; where none answers (a newcomer's `npm test` without PostgreSQL; CI requires it),
 * the file checks instead that the bench reports the load figure as not measured, naming the address.
 */
import { describe, expect, it } from 'vitest';
import { benchLoad } from '../../bench/load.ts';
import { backends } from '../helpers/db.ts';

const onPostgres = (await backends()).some((b) => b.name === 'postgres');

describe('load on loopback, one and two processes on one PostgreSQL', () => {
  if (onPostgres) it('ok 24 pickups per run by 8 concurrent clients: every answer as expected, one certificate per pickup; OCSP GET and POST answer 200 to 32 clients', async () => {
    const figures = await benchLoad({ sizes: { pickups: 24, connections: 8, ocspSeconds: 1 } });
    expect(figures.map((f) => f.name)).toEqual([
      expect.stringContaining('pickups (verify + CSR + confirm), 1 process'), expect.stringContaining('OCSP GET'), expect.stringContaining('OCSP POST'),
      expect.stringContaining('pickups (verify + CSR + confirm), 2 processes'), expect.stringContaining('OCSP GET'), expect.stringContaining('OCSP POST'),
    ]);
    for (const f of figures) expect(f.sound, `${f.name}: ${f.note}`).toBe(true);
    for (const f of figures.filter((x) => x.unit === 'pickups/s')) expect(f.note).toContain('database: 24 certificates for 24 requests, 24 completed, 24 distinct serials');
  });
  if (!onPostgres) it('no PostgreSQL: the load figure is reported as not measured, with the address it tried', async () => {
    const figures = await benchLoad({ sizes: { pickups: 24, connections: 8, ocspSeconds: 1 } });
    expect(figures).toHaveLength(1);
    expect(figures[0]).toMatchObject({ ok: false, sound: false });
    expect(figures[0]!.note).toMatch(/^PostgreSQL at postgres:\/\/.+ does not answer$/);
  });
});

/**
 * Starting on a port that is taken is the usual first-start mistake: one coded line
 * (E_PORT_IN_USE, naming the port), no stack trace, and nothing left open (the embedded database
 * and its lock are released, so the same data directory starts once the port is free).
 */
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../api/config.ts';
import { silentLogger } from '../../api/log.ts';
import { startServer } from '../../api/main.ts';
import { tempDir } from '../helpers/db.ts';
import { freePort } from '../helpers/server.ts';

describe('a port in use at start', () => {
  const blockers: net.Server[] = [];
  afterAll(async () => {
    for (const b of blockers) await new Promise((r) => b.close(r));
  });

  it.each(['PORT', 'HTTPS_PORT'] as const)('NG %s taken → StartupError E_PORT_IN_USE; the data directory starts once it is free', async (which) => {
    const blocker = net.createServer();
    blockers.push(blocker);
    const taken = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)));
    const dataDir = tempDir('hakko-port-');
    const env = { PORT: String(await freePort()), HTTPS_PORT: String(await freePort()), HAKKO_DATA_DIR: dataDir, HAKKO_CA_PASSPHRASE: 'port test passphrase, long enough', [which]: String(taken) };
    await expect(startServer(loadConfig(env), silentLogger, { webRoot: null })).rejects.toMatchObject({ code: 'E_PORT_IN_USE', message: expect.stringContaining(`port ${taken}`) });
    // Released: with a free port the same directory starts (no E_LOCKED, the database reopens).
    const srv = await startServer(loadConfig({ ...env, [which]: String(await freePort()) }), silentLogger, { webRoot: null });
    await srv.stop();
  }, 60_000);
});

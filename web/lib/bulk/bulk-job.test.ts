/**
 * The P12一括 job with fakes (memory store, a pool that records tasks, an API that records calls):
 * keys stored before their CSRs leave, CSRs in batches, per-row refusals reported while the other
 * rows carry on (a refused key forgotten), a 422 batch read as its report, a stored certificate or
 * key reused after a reload (nothing made or issued twice), a server away waited out, a link
 * problem stopping the job, and certs.zip holding one file per issued row plus client.txt in upload
 * order with -2 for a repeated name.
 */
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { PickupInfo } from '$domain/pickup-api.ts';
import { ApiError } from '../api/client.ts';
import type { PickupApi } from '../api/pickup.ts';
import type { CryptoPool } from '../crypto/pool.ts';
import type { CryptoTask } from '../crypto/protocol.ts';
import { MemoryPickupStore } from '../storage/pickup-store.ts';
import { batchSize, BulkStop, runBulk, type BulkEvents, type RowStatus } from './bulk-job.ts';
import { bulkKit } from './kit.ts';
import { kitByName } from './kit-names.ts';

const row = (id: string, extra: Partial<PickupInfo['rows'][number]> = {}) => ({ id, dn: `CN=User ${id},O=X,C=JP`, profile: 13, name: `利用者${id}`, mail: `u${id}@x.ac.jp`, p12FileName: null, state: 'ready', ...extra });
const info = (rows: PickupInfo['rows']): PickupInfo => ({ kind: 'user', method: 2, keyAlgorithm: 'RSA-2048', expiresAt: '2099-01-01T00:00:00Z', institution: { code: 'x', ja: 'X大学', en: 'X University' }, rows });
const cert = (id: string) => ({ id, serial: `${1000 + Number(id)}`, certificate: `CERT-${id}`, chain: ['I', 'R'] as [string, string] });
const transient = () => new ApiError(0, 'NETWORK', { ja: 'n', en: 'n' });

type Submit = (csrs: readonly { id: string; csr: string }[], call: number) => Promise<unknown>;

function fakes(submit: Submit, opts: { pins?: (call: number) => Promise<{ id: string; pin: string }[]> } = {}) {
  const store = new MemoryPickupStore();
  const tasks: CryptoTask[] = [];
  const calls: { id: string; csr: string }[][] = [];
  const storedAtSend: number[] = [];
  let keys = 0;
  let pinCalls = 0;
  const pool = {
    size: 2,
    async run(task: CryptoTask) {
      tasks.push(task);
      if (task.op === 'key') return { privateKey: { fake: ++keys } as unknown as CryptoKey, csrPem: `CSR-${task.dn}` };
      if (task.op === 'p12') return { p12: new TextEncoder().encode(`P12 ${task.certificates[0]} ${task.password} ${task.variant}`) };
      return null;
    },
  } as unknown as CryptoPool;
  const api = {
    bulkPins: async () => (opts.pins ? opts.pins(++pinCalls) : [{ id: '1', pin: 'PIN-1' }, { id: '2', pin: 'PIN-2' }, { id: '3', pin: 'PIN-3' }]),
    submitCsrs: async (_t: string, csrs: { id: string; csr: string }[]) => {
      calls.push(csrs);
      storedAtSend.push((await store.rows('pk')).length);
      return submit(csrs, calls.length);
    },
  } as unknown as PickupApi;
  const seen = new Map<string, RowStatus['kind'][]>();
  const waits: unknown[] = [];
  const events: BulkEvents = {
    row: (id, s) => seen.set(id, [...(seen.get(id) ?? []), s.kind]),
    retry: () => {},
    waiting: (w) => waits.push(w),
  };
  const deps = { kit: kitByName(bulkKit), store, pool, api, now: () => new Date('2026-06-01T00:00:00Z'), pause: async () => {} };
  return { deps, store, tasks, calls, storedAtSend, seen, waits, events };
}

const all = (csrs: readonly { id: string }[]) => ({ certificates: csrs.map((c) => cert(c.id)), errors: [] });

async function entries(blob: Blob) {
  return unzipSync(new Uint8Array(await blob.arrayBuffer()));
}

describe('runBulk', () => {
  it('ok new group: keys stored before sending, one batch, a P12 per user with its own PIN, client.txt in upload order, -2 for a repeat', async () => {
    const f = fakes(async (csrs) => all(csrs));
    const rows = [row('1', { p12FileName: 'same' }), row('2', { p12FileName: 'same' }), row('3')];
    const out = await runBulk(f.deps, { token: 't', pickup: 'pk', info: info(rows), variant: 'modern' }, f.events);
    expect(f.tasks.filter((t) => t.op === 'key')).toHaveLength(3);
    expect(f.calls).toHaveLength(1);
    expect(f.storedAtSend).toEqual([3]);
    const zip = await entries(out.zip);
    expect(Object.keys(zip).sort()).toEqual(['User3.p12', 'client.txt', 'same-2.p12', 'same.p12'].sort());
    expect(new TextDecoder().decode(zip['same-2.p12'])).toBe('P12 CERT-2 PIN-2 modern');
    const client = new TextDecoder('shift_jis').decode(zip['client.txt']);
    expect(client).toBe('シリアル番号\t氏名\tメールアドレス\t主体者DN\r\n1001\t利用者1\tu1@x.ac.jp\tCN=User 1,O=X,C=JP\r\n1002\t利用者2\tu2@x.ac.jp\tCN=User 2,O=X,C=JP\r\n1003\t利用者3\tu3@x.ac.jp\tCN=User 3,O=X,C=JP\r\n');
    expect(out.files.map((x) => x.id)).toEqual(['1', '2', '3']);
    expect(f.seen.get('1')).toEqual(['waiting', 'key', 'issued', 'file']);
    expect((await f.store.getPickup('pk'))?.progress).toMatchObject({ phase: 'built' });
    expect((await f.store.getPickup('pk'))?.variant).toBe('modern');
  });

  it('NG per-row refusals: the others carry on; a refused key is forgotten, ALREADY_ISSUED is "elsewhere"; a 422 batch is read as its report', async () => {
    const f = fakes(async (csrs, call) => {
      if (call === 1) {
        return {
          certificates: [cert('1')],
          errors: [{ id: '2', code: 'KEY_REUSED', message: { ja: '鍵', en: 'key' } }, { id: '3', code: 'ALREADY_ISSUED', message: { ja: '済', en: 'done' } }],
        };
      }
      throw new ApiError(422, 'KEY_REUSED', { ja: '鍵', en: 'key' }, { certificates: [], errors: csrs.map((c) => ({ id: c.id, code: 'KEY_REUSED', message: { ja: '鍵', en: 'key' } })) });
    });
    const out = await runBulk(f.deps, { token: 't', pickup: 'pk', info: info([row('1'), row('2'), row('3')]), variant: 'compatible' }, f.events);
    expect(out.refused).toBe(1);
    expect(out.elsewhere).toBe(1);
    expect(out.files.map((x) => x.id)).toEqual(['1']);
    expect(f.seen.get('2')!.at(-1)).toBe('refused');
    expect(f.seen.get('3')!.at(-1)).toBe('elsewhere');
    expect(await f.store.getRow('pk', '2')).toBeUndefined();
    expect(await f.store.getRow('pk', '3')).toBeDefined();
    // Again: only row 2 gets a new key and is sent; the 422 answer is its report.
    const f2 = { ...f, deps: { ...f.deps } };
    const again = await runBulk(f2.deps, { token: 't', pickup: 'pk', info: info([row('1', { state: 'issued' }), row('2'), row('3', { state: 'issued' })]), variant: 'compatible' }, f.events);
    expect(f.calls[1]!.map((c) => c.id).sort()).toEqual(['2', '3']);
    expect(again.refused).toBe(2);
  });

  it('ok resume: a stored certificate is not sent, a stored key is sent again without a new key, nothing else is made', async () => {
    const f = fakes(async (csrs) => all(csrs));
    await f.store.putRow({ pickup: 'pk', rowId: '1', privateKey: {} as CryptoKey, csrPem: 'OLD-1', createdAt: 'x', certificate: { serial: '1001', pem: 'CERT-1', chain: ['I', 'R'] } });
    await f.store.putRow({ pickup: 'pk', rowId: '2', privateKey: {} as CryptoKey, csrPem: 'OLD-2', createdAt: 'x' });
    const out = await runBulk(f.deps, { token: 't', pickup: 'pk', info: info([row('1', { state: 'issued' }), row('2'), row('3')]), variant: 'compatible' }, f.events);
    expect(f.tasks.filter((t) => t.op === 'key').map((t) => (t as { dn: string }).dn)).toEqual(['CN=User 3,O=X,C=JP']);
    expect(f.calls.flat().map((c) => c.csr)).toEqual(['OLD-2', 'CSR-CN=User 3,O=X,C=JP']);
    expect(out.files).toHaveLength(3);
  });

  it('ok an issued row with nothing stored here gets no file and is reported; expired rows are skipped', async () => {
    const f = fakes(async (csrs) => all(csrs));
    const out = await runBulk(f.deps, { token: 't', pickup: 'pk', info: info([row('1', { state: 'issued' }), row('2', { state: 'expired' }), row('3')]), variant: 'compatible' }, f.events);
    expect(out.elsewhere).toBe(1);
    expect(f.seen.get('2')).toEqual(['skipped']);
    expect(out.files.map((x) => x.id)).toEqual(['3']);
  });

  it('ok the server away: the job waits (patient retry) and finishes when it answers; PINs too', async () => {
    const f = fakes(async (csrs, call) => {
      if (call <= 2) throw transient();
      return all(csrs);
    }, { pins: async (call) => { if (call === 1) throw transient(); return [{ id: '1', pin: 'P' }]; } });
    const out = await runBulk(f.deps, { token: 't', pickup: 'pk', info: info([row('1')]), variant: 'compatible' }, f.events);
    expect(out.files).toHaveLength(1);
    expect(f.waits.filter((w) => w !== null)).toHaveLength(3);
    expect(f.waits.at(-1)).toBeNull();
  });

  it('NG a link problem (410 COMPLETED) stops the job with that error', async () => {
    const f = fakes(async () => {
      throw new ApiError(410, 'COMPLETED', { ja: '完了', en: 'completed' });
    });
    const err = await runBulk(f.deps, { token: 't', pickup: 'pk', info: info([row('1')]), variant: 'compatible' }, f.events).catch((e) => e);
    expect(err).toBeInstanceOf(BulkStop);
    expect((err as BulkStop).cause).toMatchObject({ code: 'COMPLETED' });
  });

  it('ok batch sizes: about ten calls for any group, 5–100 CSRs each', () => {
    expect([1, 3, 50, 200, 1000, 5000].map(batchSize)).toEqual([5, 5, 5, 20, 100, 100]);
  });
});

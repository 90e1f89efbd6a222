/**
 * Security suite — bounded property-based fuzzing (fast-check) in CI (spec 08 §Security: "parsers
 * are fuzzed"; the ≥ 100,000-input runs are in `npm run bench`, and tests/unit/tsv-property.test.ts
 * runs the TSV decoder and validator directly on 100,000 inputs):
 * - CSR parsing (`checkCsr`): random DER, random text, PEM-armoured random base64, and a valid CSR
 *   mutated (bytes flipped, cut, inserted): every input ends in a certificate request that checks out
 *   or a coded refusal (CSR_MALFORMED, CSR_SIGNATURE, KEY_UNSUPPORTED), each within a bound;
 * - PEM decoding of hostile text (regression: quadratic time on many BEGIN lines);
 * - the same through the server: mutated CSRs to a real enrollment pickup URL → coded 4xx;
 * - TSV uploads through the server: random bytes and TSV-shaped text → 200/422 answers whose every
 *   problem code is in the catalogue; the server stays healthy.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCsr } from '../../api/pki/csr.ts';
import { fromPem } from '../../api/pki/pem.ts';
import { HakkoError } from '../../api/errors.ts';
import { isProblemCode } from '../../api/domain/errors/catalogue.ts';
import { encodeTsv } from '../../api/domain/tsv/codec.ts';
import { keyAndCsr } from '../helpers/pickup-client.ts';
import { addTestInstitution, enrollTestOfficer, uploadViaApi, type OfficerCredentials } from '../helpers/officer.ts';
import { runCli, startTestServer, type TestServer } from '../helpers/server.ts';
import { recordSecrets } from '../helpers/test-logs.ts';
import { person } from '../unit/tsv-builders.ts';

const CSR_CODES = new Set(['CSR_MALFORMED', 'CSR_SIGNATURE', 'KEY_UNSUPPORTED']);
/** Longest any single input may take (a hang shows as a failure, not as a stuck run). */
const BOUND_MS = 1_000;

let slowest = 0;
/** checkCsr must return or refuse with a CSR code, in bounded time. */
function csrTotal(input: string | Uint8Array): boolean {
  const t0 = performance.now();
  try {
    checkCsr(input);
  } catch (e) {
    if (!(e instanceof HakkoError) || !CSR_CODES.has(e.code)) throw e;
  }
  const ms = performance.now() - t0;
  slowest = Math.max(slowest, ms);
  return ms < BOUND_MS;
}

let valid: { der: Uint8Array; pem: string };
beforeAll(async () => {
  const k = await keyAndCsr('CN=fuzz');
  valid = { pem: k.csrPem, der: fromPem(k.csrPem, ['CERTIFICATE REQUEST'])! };
});

describe('CSR parsing, property-based', () => {
  it('ok the valid CSR itself checks out (the fuzzing starts from a real one)', () => {
    expect(checkCsr(valid.pem).key).toBeTruthy();
  });

  it('ok random DER and random text → a coded refusal, bounded', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2048 }), csrTotal), { numRuns: 2_000 });
    fc.assert(fc.property(fc.string({ maxLength: 2048 }), csrTotal), { numRuns: 2_000 });
  });

  it('ok PEM-armoured random base64 and DER-like prefixes → a coded refusal, bounded', () => {
    const armoured = fc.uint8Array({ maxLength: 1500 }).map((b) => `-----BEGIN CERTIFICATE REQUEST-----\n${Buffer.from(b).toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`);
    fc.assert(fc.property(armoured, csrTotal), { numRuns: 2_000 });
    // SEQUENCE headers with random (also huge or indefinite) lengths around random content.
    const derLike = fc.tuple(fc.constantFrom(0x30, 0x31, 0xa0, 0x02, 0x03), fc.uint8Array({ minLength: 1, maxLength: 5 }), fc.uint8Array({ maxLength: 600 })).map(([t, len, rest]) => Uint8Array.from([t, ...len, ...rest]));
    fc.assert(fc.property(derLike, csrTotal), { numRuns: 2_000 });
  });

  it('ok a valid CSR mutated (flips, cuts, insertions) → it still checks out only if untouched in substance, else a coded refusal', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
    );
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
        let der = Uint8Array.from(valid.der);
        for (const m of ms) {
          const at = m.at % Math.max(1, der.length);
          if (m.kind === 'flip') der[at] = der[at]! ^ m.bits;
          else if (m.kind === 'cut') der = der.slice(0, at);
          else der = Uint8Array.from([...der.slice(0, at), ...m.bytes, ...der.slice(at)]);
        }
        return csrTotal(der);
      }),
      { numRuns: 3_000 },
    );
    console.info(`CSR fuzzing: 13,000 inputs, slowest ${slowest.toFixed(1)} ms`);
  });

  it('NG hostile PEM text (8 MiB of BEGIN lines, nested and unterminated blocks) is decoded in linear time', () => {
    const hostile = [
      '-----BEGIN A-----'.repeat(500_000),
      '-----BEGIN CERTIFICATE REQUEST-----'.repeat(240_000),
      '-----BEGIN CERTIFICATE REQUEST-----\n' + 'QUFB'.repeat(2_000_000),
      '-----BEGIN X-----\n-----BEGIN CERTIFICATE REQUEST-----\n'.repeat(150_000) + '-----END X-----',
    ];
    for (const text of hostile) {
      const t0 = performance.now();
      expect(fromPem(text, ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'])).toBeNull();
      expect(() => checkCsr(text)).toThrow(HakkoError);
      expect(performance.now() - t0).toBeLessThan(BOUND_MS);
    }
  });
});

describe('through the server', () => {
  let srv: TestServer;
  let officer: OfficerCredentials;
  let enrollment: { token: string; pin: string };
  beforeAll(async () => {
    srv = await startTestServer({ env: { TRUSTED_PROXIES: '127.0.0.1' } });
    await addTestInstitution(srv);
    officer = await enrollTestOfficer(srv, 'sample-u');
    const e = await runCli(srv.env, ['officer', 'enroll', '--institution', 'sample-u', '--name', '試験 二郎', '--email', 'second@sample.ac.jp', '--json']);
    const { url, pin } = JSON.parse(e.stdout) as { url: string; pin: string };
    enrollment = { token: url.split('/').pop()!, pin };
    recordSecrets(enrollment.token, pin);
  });
  afterAll(async () => {
    await srv?.dispose();
  });

  let n = 0;
  const from = () => `192.0.2.${(++n % 250) + 1}`; // spread over addresses: the rate limit is not what is tested here

  it('NG mutated and random CSRs to a real pickup URL → coded 4xx (or 201 when the change left a CSR that verifies), never 5xx', async () => {
    const csr = fc.oneof(
      fc.string({ maxLength: 3000 }),
      fc.uint8Array({ maxLength: 1500 }).map((b) => `-----BEGIN CERTIFICATE REQUEST-----\n${Buffer.from(b).toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`),
      fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([at, bits]) => {
        const der = Uint8Array.from(valid.der);
        der[at % der.length] ^= bits;
        return `-----BEGIN CERTIFICATE REQUEST-----\n${Buffer.from(der).toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
      }),
    );
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(csr, async (text) => {
        const r = await fetch(`${srv.httpUrl}/api/pickup/${enrollment.token}/csr`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': from() }, body: JSON.stringify({ pin: enrollment.pin, csr: text }) });
        const body = (await r.json()) as { code?: string; message?: { ja?: string; en?: string } };
        seen.set(`${r.status} ${body.code}`, (seen.get(`${r.status} ${body.code}`) ?? 0) + 1);
        // A flipped bit in the signature or an unused field can leave a CSR that still verifies: then it is issued (201).
        if (r.status === 201) return true;
        return r.status >= 400 && r.status < 500 && typeof body.code === 'string' && !!body.message?.ja && !!body.message?.en;
      }),
      { numRuns: 150 },
    );
    console.info(`CSR fuzzing through the server: ${[...seen].map(([k, v]) => `${k} ×${v}`).join(', ')}`);
    expect((await fetch(`${srv.httpUrl}/api/health`)).status).toBe(200);
  });

  it('NG random and TSV-shaped uploads → 200/422 with catalogue codes only, never 5xx', async () => {
    const cell = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', 'CN=X,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP', '5', '1', '＝', '"', '\\,', 'u@sample.ac.jp'));
    const file = fc.oneof(
      fc.uint8Array({ maxLength: 800 }),
      fc.array(fc.array(cell, { minLength: 1, maxLength: 17 }), { minLength: 1, maxLength: 6 }).map((rows) => encodeTsv(rows)),
      fc.array(fc.tuple(fc.integer({ min: 1, max: 15 }), fc.string({ maxLength: 20 })), { maxLength: 3 }).map((changes) => encodeTsv([person(1, Object.fromEntries(changes))])),
    );
    const codes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(file, fc.constantFrom('issue', 'renew', 'revoke', 'admin'), fc.constantFrom('abort', 'valid-only'), async (bytes, kind, mode) => {
        const r = await uploadViaApi(srv, officer, { file: { name: 'fuzz.tsv', bytes }, kind, mode, reviewed: 'true' });
        if (r.status !== 200 && r.status !== 422) return false;
        const ans = r.json() as { errors: { code: string }[]; rows: { errors: { code: string }[] }[] };
        const all = [...ans.errors, ...ans.rows.flatMap((x) => x.errors)].map((e) => e.code);
        for (const c of all) codes.add(c);
        return all.every((c) => isProblemCode(c));
      }),
      { numRuns: 150 },
    );
    console.info(`upload fuzzing through the server: 150 files, problem codes seen: ${[...codes].sort().join(' ')}`);
    expect((await fetch(`${srv.httpUrl}/api/health`)).status).toBe(200);
  });
});

// Property-based tests (fast-check): CP932 round trip, the DN parser is total, the validator is total
// and terminates on 100,000 random files (spec 08 §Security: parsers are fuzzed).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDn, parseDn } from '../../api/domain/dn.ts';
import type { Institution } from '../../api/domain/institution.ts';
import { isProblemCode } from '../../api/domain/errors/catalogue.ts';
import { decodeTsv, encodeTsv, joinTsv, splitTsv } from '../../api/domain/tsv/codec.ts';
import { encodeCp932 } from '../../api/domain/tsv/cp932.ts';
import type { CertificateFacts, SystemLookup, TsvKind, TsvValidation } from '../../api/domain/tsv/types.ts';
import { validateTsv, validateRowsOffline } from '../../api/domain/tsv/validate.ts';
import { DN, row, SAMPLE } from './tsv-builders.ts';

/**
 * Every character CP932 can encode except the user-defined area and control characters, taken from
 * the decoder itself. Controls are left out because Node's (ICU's) Shift_JIS decoder rotates 1A, 1C
 * and 7F (0x1A → U+001C …) where WHATWG maps them straight; every rule refuses controls anyway.
 */
function cp932Alphabet(): string[] {
  const decoder = new TextDecoder('shift_jis', { fatal: true });
  const chars = new Set<string>();
  const add = (bytes: number[]) => {
    try {
      const s = decoder.decode(Uint8Array.from(bytes));
      const cp = s.codePointAt(0)!;
      if ([...s].length === 1 && !(cp >= 0xe000 && cp <= 0xf8ff) && cp >= 0x20 && cp !== 0x7f) chars.add(s);
    } catch {
      // not a character
    }
  };
  for (let b = 0; b < 0x100; b++) add([b]);
  for (let lead = 0x81; lead <= 0xfc; lead++) for (let trail = 0x40; trail <= 0xfc; trail++) add([lead, trail]);
  return [...chars];
}

describe('CP932 codec properties', () => {
  const alphabet = cp932Alphabet();
  const cp932Text = fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }).map((a) => a.join(''));

  it('ok encode → decode round trip for CP932-encodable strings', () => {
    const decoder = new TextDecoder('shift_jis', { fatal: true });
    fc.assert(fc.property(cp932Text, (s) => decoder.decode(encodeCp932(s)) === s), { numRuns: 5_000 });
  });

  it('ok decodeTsv gives the text back (read as UTF-8 only when the bytes are valid UTF-8)', () => {
    fc.assert(
      fc.property(cp932Text, (s) => {
        const bytes = encodeCp932(s);
        const r = decodeTsv(bytes);
        if (!r.ok) return false;
        if (r.encoding === 'cp932') return r.text === s;
        return new TextDecoder('utf-8').decode(bytes) === r.text; // spec 02: valid UTF-8 wins
      }),
      { numRuns: 5_000 },
    );
  });

  it('ok rows → encodeTsv → decode → splitTsv round trip', () => {
    const cell = fc.array(fc.constantFrom(...alphabet.filter((c) => !'\t\r\n'.includes(c))), { maxLength: 6 }).map((a) => a.join(''));
    const rows = fc.array(fc.array(cell, { minLength: 15, maxLength: 15 }).filter((r) => r.some((c) => c !== '')), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(rows, (rs) => {
        const text = new TextDecoder('shift_jis').decode(encodeTsv(rs));
        return JSON.stringify(splitTsv(text).lines.map((l) => l.columns)) === JSON.stringify(rs) && text === joinTsv(rs);
      }),
      { numRuns: 2_000 },
    );
  });
});

const DN_TOKENS = ['CN=', 'OU=', 'O=', 'L=', 'ST=', 'C=', ',', '=', ' ', 'JP', 'Tokyo', 'A', '+', '@', '\\', 'cn=', 'É', '😀', ',CN='];
const dnLike = fc.array(fc.constantFrom(...DN_TOKENS), { maxLength: 14 }).map((a) => a.join(''));

describe('DN parser properties', () => {
  it('ok never throws, on arbitrary strings and DN-like token soup', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), dnLike), (s) => {
        const r = parseDn(s, { plusAllowedIfCnIs: s.slice(3, 10) });
        return Array.isArray(r.problems) && (r.dn === null || typeof r.dn.cn === 'string');
      }),
      { numRuns: 20_000 },
    );
  });

  it('ok formatDn(parseDn(x)) === x whenever the structure is valid', () => {
    fc.assert(
      fc.property(dnLike, (s) => {
        const { dn } = parseDn(s);
        return dn === null || s.startsWith(' ') || formatDn(dn) === s;
      }),
      { numRuns: 10_000 },
    );
  });
});

// ---- the validator on 100,000 random files --------------------------------------------------------

const KINDS: readonly TsvKind[] = ['issue', 'renew', 'revoke', 'admin'];
const CELLS = [
  '', DN, 'CN=A,O=Sample University,L=Bunkyo-ku,C=JP', 'CN=a@sample.ac.jp,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP',
  '5', '7', '13', '4', '99', '0', '1', '2', '3', '05', ' 5', '１', '123456789', '0000', '9'.repeat(41),
  'taro@sample.ac.jp', 'a@b', '@', 'x@example.com', '管理 花子', '事務局①', '\u0000', '\ue000', '😀', 'Abcdefgh12', 'pin',
  'a'.repeat(200), 'file.p12', 'a b', '"', '〜',
];
const cell = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...CELLS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
);
const line = fc
  .oneof(fc.array(cell, { minLength: 15, maxLength: 15 }), fc.array(cell, { maxLength: 17 }))
  .map((cs) => cs.join('\t'));
const textFile = fc
  .tuple(fc.array(line, { maxLength: 5 }), fc.constantFrom('\n', '\r\n'))
  .map(([ls, eol]) => ls.join(eol));

/** A system that answers from hashes of its keys: every branch of the system rules gets exercised. */
function chaoticLookup(seed: number): SystemLookup {
  const h = (s: string) => [...s].reduce((a, c) => (a * 31 + c.charCodeAt(0) + seed) >>> 0, 7);
  const facts = (s: string): CertificateFacts => ({
    requestDn: [DN, 'CN=SATO TARO,OU=20261234,O=Sample University,L=Academe,C=JP', 'garbage'][h(s) % 3]!,
    profile: [4, 5, 6, 7, 13, 99][h(s) % 6]!, revoked: h(s) % 2 === 0, hasOpenRenewal: h(s) % 5 === 0,
  });
  return {
    existingCnOu: async (keys) => new Set(keys.filter((k) => h(k) % 2 === 0)),
    certificates: async (serials) => new Map(serials.filter((s) => h(s) % 3 !== 0).map((s) => [s, facts(s)])),
    whois: async (d) => [{ status: 'off' as const }, { status: 'unreachable' as const }, { status: 'found' as const, organisations: ['Sample University'] }][h(d) % 3]!,
  };
}

interface Setup {
  readonly kind: TsvKind;
  readonly lang: 'ja' | 'en';
  readonly institution: Institution | null;
  readonly seed: number | null;
  readonly w227IsError: boolean;
}

const setup: fc.Arbitrary<Setup> = fc.record({
  kind: fc.constantFrom(...KINDS),
  lang: fc.constantFrom('ja' as const, 'en' as const),
  institution: fc.constantFrom(null, SAMPLE, { ...SAMPLE, whoisOrg: 'Sample University', st: null, status: 'suspended' as const }),
  seed: fc.option(fc.nat(1000), { nil: null }),
  w227IsError: fc.boolean(),
});

function wellFormed(r: TsvValidation): boolean {
  const errors = r.problems.filter((p) => p.level === 'error').length;
  return (
    r.ok === (errors === 0) &&
    r.problems.every(
      (p) => isProblemCode(p.code) && p.message.startsWith(`${p.code}:${p.column},`) && p.line >= 0 && p.line <= r.lines && p.column >= 0 && p.column <= 15,
    ) &&
    r.rows.every((row) => row.ok === (row.request !== null))
  );
}

async function validateAny(bytes: Uint8Array | null, s: Setup): Promise<boolean> {
  const lookup = s.seed === null ? null : chaoticLookup(s.seed);
  const r = await validateTsv(bytes, { ...s, lookup, today: '2026-11-21', fileName: 'f.tsv', maxLines: 4 });
  return wellFormed(r);
}

describe('validator properties (100,000 random files)', () => {
  it('ok random bytes: terminates, never throws, well-formed result', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 160 }), setup, validateAny), { numRuns: 35_000 });
  });

  it('ok random TSV-shaped text as UTF-8 or CP932', async () => {
    const bytes = fc.tuple(textFile, fc.boolean()).map(([t, cp]) => (cp ? encodeCp932(t) : new TextEncoder().encode(t)));
    await fc.assert(fc.asyncProperty(bytes, setup, validateAny), { numRuns: 35_000 });
  });

  it('ok valid rows with one or two columns replaced', async () => {
    const mutated = fc
      .tuple(fc.constantFrom(...KINDS), fc.array(fc.tuple(fc.integer({ min: 1, max: 16 }), cell), { minLength: 1, maxLength: 2 }), fc.nat(2))
      .map(([kind, changes, copies]) => {
        const r = row(kind, Object.fromEntries(changes));
        return Array.from({ length: copies + 1 }, () => r);
      });
    await fc.assert(
      fc.asyncProperty(mutated, setup, async (rows, s) => {
        const offline = validateRowsOffline(rows, s);
        return wellFormed(offline) && validateAny(new TextEncoder().encode(joinTsv(rows)), s);
      }),
      { numRuns: 30_000 },
    );
  });

  it('ok no file at all', async () => {
    expect(await validateAny(null, { kind: 'issue', lang: 'ja', institution: null, seed: null, w227IsError: false })).toBe(true);
  });
});

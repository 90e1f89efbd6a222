/** Builders for TSV rule tests: the sample institution of tests/fixtures/tsv, valid rows per kind, an in-memory lookup. */
import type { Institution } from '../../api/domain/institution.ts';
import { encodeTsv } from '../../api/domain/tsv/codec.ts';
import type { CertificateFacts, SystemLookup, TsvKind, ValidateOptions, WhoisAnswer } from '../../api/domain/tsv/types.ts';
import { validateTsv } from '../../api/domain/tsv/validate.ts';

/** `hakko institution add --code sample-u … --o "Sample University" --l Bunkyo-ku --st Tokyo --domain sample.ac.jp` */
export const SAMPLE: Institution = {
  code: 'sample-u', ja: '見本大学', en: 'Sample University', o: 'Sample University', l: 'Bunkyo-ku', st: 'Tokyo',
  domains: ['sample.ac.jp'], review: 'complete', approvalExpires: null, status: 'active', whoisOrg: null,
  profiles: [5, 7, 13, 14, 15, 16], methods: [1, 2, 3], keyAlgorithm: 'RSA-2048',
};

export const DN = 'CN=SATO TARO,OU=20261234,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP';
export const SERIAL = '123456789';

const BASE: Record<TsvKind, readonly string[]> = {
  issue: [DN, '5', '1', '', '', '', '', '管理 花子', '情報基盤センター', 'pki-admin@sample.ac.jp', '佐藤 太郎', '', '工学部', 'taro.sato@sample.ac.jp', ''],
  renew: [DN, '5', '1', SERIAL, '', '', '', '管理 花子', '情報基盤センター', 'pki-admin@sample.ac.jp', '佐藤 太郎', '', '工学部', 'taro.sato@sample.ac.jp', ''],
  revoke: [DN, '', '', SERIAL, '1', '', '', '', '', '', '', '', '', '', ''],
  admin: [DN, '', '', SERIAL, '', '', '', '新任 管理者', '情報基盤センター', 'new-admin@sample.ac.jp', '', '', '', '', ''],
};

/** A valid row of `kind` with some columns (1-based) replaced. */
export function row(kind: TsvKind, changes: Readonly<Record<number, string>> = {}): string[] {
  const cols = [...BASE[kind]];
  for (const [col, value] of Object.entries(changes)) cols[Number(col) - 1] = value;
  return cols;
}

/** A valid issuance row for another person (CN and mail derived from `n`). */
export function person(n: number, changes: Readonly<Record<number, string>> = {}): string[] {
  return row('issue', { 1: `CN=USER ${n},O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP`, 14: `u${n}@sample.ac.jp`, ...changes });
}

export interface FakeSystem {
  readonly existing?: readonly string[];
  readonly certificates?: Readonly<Record<string, CertificateFacts>>;
  readonly whois?: Readonly<Record<string, WhoisAnswer>>;
}

/** An in-memory lookup that also counts its calls (to prove batching). */
export function fakeLookup(system: FakeSystem = {}): SystemLookup & { calls: Record<string, number> } {
  const calls: Record<string, number> = { existingCnOu: 0, certificates: 0, whois: 0 };
  return {
    calls,
    async existingCnOu(keys) {
      calls.existingCnOu!++;
      return new Set(keys.filter((k) => system.existing?.includes(k)));
    },
    async certificates(serials) {
      calls.certificates!++;
      const found = serials.flatMap((s) => (system.certificates?.[s] ? [[s, system.certificates[s]] as const] : []));
      return new Map(found);
    },
    async whois(domain) {
      calls.whois!++;
      return system.whois?.[domain] ?? { status: 'off' };
    },
  };
}

/** A certificate of the sample institution with DN `DN`, valid, profile 5. */
export function cert(changes: Partial<CertificateFacts> = {}): CertificateFacts {
  return { requestDn: DN, profile: 5, revoked: false, hasOpenRenewal: false, ...changes };
}

/** Validates rows written as a CP932 CRLF file, with the sample institution and an empty system by default. */
export function check(kind: TsvKind, rows: readonly (readonly string[])[], options: Partial<ValidateOptions> = {}) {
  return validateTsv(encodeTsv(rows), { kind, institution: SAMPLE, lookup: fakeLookup(), today: '2026-11-21', fileName: 'req.tsv', ...options });
}

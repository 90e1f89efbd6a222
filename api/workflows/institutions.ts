/** Operator use cases for institutions (`hakko institution …`, later the operator pages). */
import type { Db } from '../../db/client.ts';
import { findInstitutionByCode, insertInstitution, listInstitutions, updateInstitutionRow, type InstitutionRecord } from '../../db/repos/institutions.ts';
import { INSTITUTION_FIELDS, isInstitutionCode, type Institution, type InstitutionField, type InstitutionStatus, type ReviewStatus } from '../domain/institution.ts';
import { valueProblems } from '../domain/dn.ts';
import { ALL_METHODS, ALL_PROFILE_IDS, KEY_ALGORITHMS, isDownloadMethod, isProfileId, type KeyAlgorithm } from '../domain/profiles.ts';
import { appendAudit } from '../audit/audit.ts';
import { HakkoError, invalid } from '../errors.ts';
import type { Clock } from '../clock.ts';

/** Fields an operator sets; every one optional for `update`. */
export interface InstitutionInput {
  readonly code?: string;
  readonly ja?: string;
  readonly en?: string;
  readonly o?: string;
  readonly l?: string;
  readonly st?: string | null;
  readonly domains?: readonly string[];
  readonly review?: string;
  readonly approvalExpires?: string | null;
  readonly whoisOrg?: string | null;
  readonly profiles?: readonly number[];
  readonly methods?: readonly number[];
  readonly keyAlgorithm?: string;
}

export interface Deps {
  readonly db: Db;
  readonly clock: Clock;
}

const DOMAIN_RE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** The registered O, L and ST go into DNs: the DN value rules of spec 02 apply (shared domain code). */
const dnValueOk = (attr: 'O' | 'L' | 'ST', v: string) => v !== '' && valueProblems(attr, v).length === 0;

/** VALIDATION for `field`: its name, then what is wrong (`en` follows "The … ", `ja` follows "…は/が"). */
function bad(field: InstitutionField, en: string, ja: string): HakkoError {
  const name = INSTITUTION_FIELDS[field];
  return invalid(`${name.en} ${en}`, `${name.ja}${ja}`, { field });
}

const DN_VALUE = { en: 'has characters a DN does not allow, or is too long', ja: 'にDNで使えない文字が含まれているか、長すぎます' };

/** Checks and completes an institution; throws VALIDATION naming the first bad field. */
export function validateInstitution(i: InstitutionInput & { status?: InstitutionStatus }): Institution {
  const need = <T>(v: T | undefined, field: InstitutionField): T => {
    if (v === undefined || v === '') throw bad(field, 'is required.', 'は必須です。');
    return v;
  };
  const code = need(i.code, 'code');
  if (!isInstitutionCode(code)) throw bad('code', `must be 1–32 lower-case letters, digits and hyphens: ${code}`, `は英小文字・数字・ハイフン(1〜32文字)で指定してください: ${code}`);
  const o = need(i.o, 'o');
  if (!dnValueOk('O', o)) throw bad('o', `${DN_VALUE.en}: ${o}`, `${DN_VALUE.ja}: ${o}`);
  const l = need(i.l, 'l');
  if (!dnValueOk('L', l)) throw bad('l', `${DN_VALUE.en}: ${l}`, `${DN_VALUE.ja}: ${l}`);
  const st = i.st ?? null;
  if (st !== null && !dnValueOk('ST', st)) throw bad('st', `${DN_VALUE.en}: ${st}`, `${DN_VALUE.ja}: ${st}`);
  const domains = need(i.domains && i.domains.length ? i.domains.map((d) => d.toLowerCase()) : undefined, 'domain');
  for (const d of domains) if (!DOMAIN_RE.test(d)) throw bad('domain', `is not a domain name: ${d}`, `がドメイン名ではありません: ${d}`);
  const review = (i.review ?? 'complete') as ReviewStatus;
  if (review !== 'complete' && review !== 'pending') throw bad('review', `must be complete or pending: ${review}`, `は complete か pending です: ${review}`);
  const approvalExpires = i.approvalExpires ?? null;
  if (approvalExpires !== null && !isIsoDate(approvalExpires)) throw bad('approval-expires', `must be a date (YYYY-MM-DD): ${approvalExpires}`, `は YYYY-MM-DD 形式の日付です: ${approvalExpires}`);
  const profiles = i.profiles ?? ALL_PROFILE_IDS;
  if (profiles.length === 0 || !profiles.every(isProfileId)) throw bad('profiles', `must be one or more of ${ALL_PROFILE_IDS.join(', ')}.`, `は ${ALL_PROFILE_IDS.join(', ')} から1つ以上選んでください。`);
  const methods = i.methods ?? ALL_METHODS;
  if (methods.length === 0 || !methods.every(isDownloadMethod)) throw bad('methods', 'must be one or more of 1, 2, 3.', 'は 1, 2, 3 から1つ以上選んでください。');
  const keyAlgorithm = (i.keyAlgorithm ?? 'RSA-2048') as KeyAlgorithm;
  if (!KEY_ALGORITHMS.includes(keyAlgorithm)) throw bad('key-algorithm', `must be RSA-2048 or P-256: ${keyAlgorithm}`, `は RSA-2048 か P-256 です: ${keyAlgorithm}`);
  const ja = need(i.ja, 'name-ja');
  const en = need(i.en, 'name-en');
  const whoisOrg = i.whoisOrg ?? null;
  return {
    code, ja, en, o, l, st, domains: [...new Set(domains)], review, approvalExpires, status: i.status ?? 'active', whoisOrg,
    profiles: [...new Set(profiles)].sort((a, b) => a - b) as Institution['profiles'],
    methods: [...new Set(methods)].sort() as Institution['methods'],
    keyAlgorithm,
  };
}

function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(s + 'T00:00:00Z');
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export async function addInstitution(deps: Deps, input: InstitutionInput, actor: string): Promise<InstitutionRecord> {
  const inst = validateInstitution(input);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const row = await insertInstitution(tx, inst, now);
    if (!row) throw invalid(`An institution with the code ${inst.code} exists already.`, `機関コード ${inst.code} はすでに登録されています。`, { duplicate: true, field: 'code' });
    await appendAudit(tx, now, [{ actor, institutionId: row.id, action: 'institution.add', object: inst.code, details: { ...inst } }]);
    return row;
  });
}

/** Applies the given fields; the rest stays. */
export async function updateInstitution(deps: Deps, code: string, patch: InstitutionInput & { status?: InstitutionStatus }, actor: string): Promise<InstitutionRecord> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const cur = await findInstitutionByCode(tx, code);
    if (!cur) throw new HakkoError('NOT_FOUND', { text: { en: `unknown institution: ${code}`, ja: `機関が見つかりません: ${code}` } });
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const next = validateInstitution({ ...cur, ...defined, code: cur.code });
    await updateInstitutionRow(tx, cur.id, next, now);
    await appendAudit(tx, now, [{ actor, institutionId: cur.id, action: 'institution.update', object: code, details: defined }]);
    return { ...next, id: cur.id };
  });
}

export async function getInstitution(deps: Deps, code: string): Promise<InstitutionRecord> {
  const i = await findInstitutionByCode(deps.db, code);
  if (!i) throw new HakkoError('NOT_FOUND', { text: { en: `unknown institution: ${code}`, ja: `機関が見つかりません: ${code}` } });
  return i;
}

export const allInstitutions = (deps: Deps) => listInstitutions(deps.db);

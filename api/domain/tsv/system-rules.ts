/**
 * Rules that need the system's data, through the batched `SystemLookup` port: existing CN+OU (212),
 * the certificate named by a serial (223, 224, 225, 229, 230, renewal's 305–307) and WHOIS (303, 304)
 * (spec 02 §Validation against the system). Without a lookup the codes are reported as not checked.
 */
import { formatDn, parseDn, withRegisteredValues, type DnParts } from '../dn.ts';
import type { ProblemCode } from '../errors/catalogue.ts';
import { COL } from '../errors/columns.ts';
import type { Finding } from '../errors/format.ts';
import { PROFILES, profileFamily } from '../profiles.ts';
import { whoisMatches } from '../whois-parse.ts';
import { mailDomainAllowed, registeredValueFindings, type RowCheck } from './rows.ts';
import type { CertificateFacts, InstitutionForRules, ParsedRow, SystemLookup, TsvKind, WhoisAnswer } from './types.ts';
import { mailDomain } from './values.ts';

export interface SystemContext {
  readonly kind: TsvKind;
  readonly institution: InstitutionForRules | null;
  readonly lookup: SystemLookup | null;
  readonly notChecked: Set<ProblemCode>;
}

/** Findings per physical line. */
export type FindingsBySeq = Map<number, Finding[]>;

function push(out: FindingsBySeq, seq: number, findings: readonly Finding[]): void {
  if (findings.length === 0) return;
  const list = out.get(seq);
  if (list === undefined) out.set(seq, [...findings]);
  else list.push(...findings);
}

const REGISTERED_ATTRS = [
  ['O', (d: DnParts) => d.o],
  ['L', (d: DnParts) => d.l],
  ['ST', (d: DnParts) => d.st],
] as const;

/** 212: issuance of a CN+OU that already has a certificate or an open request (one batched query). */
async function existingDnFindings(rows: readonly ParsedRow[], lookup: SystemLookup, out: FindingsBySeq): Promise<void> {
  const keys = [...new Set(rows.flatMap((r) => (r.cnOuKey === null ? [] : [r.cnOuKey])))];
  if (keys.length === 0) return;
  const existing = await lookup.existingCnOu(keys);
  for (const r of rows) if (r.cnOuKey !== null && existing.has(r.cnOuKey)) push(out, r.seq, [{ code: '212', column: COL.dn }]);
}

/** 224: the row's DN is the certificate's request DN — for renewal also that DN with today's O, L, ST, C. */
function dnMatches(row: ParsedRow, facts: CertificateFacts, old: DnParts | null, ctx: SystemContext): boolean {
  if (row.dnText === facts.requestDn) return true;
  if (ctx.kind !== 'renew' || ctx.institution === null || old === null) return false;
  return formatDn(withRegisteredValues(old, ctx.institution)) === row.dnText;
}

/** Renewal: O, L and ST the row changes from the old request DN must be today's registered values. */
function renewalRegisteredFindings(row: ParsedRow, old: DnParts | null, institution: InstitutionForRules): Finding[] {
  if (row.dn === null) return [];
  const dn = row.dn;
  const changed = REGISTERED_ATTRS.filter(([, get]) => old === null || get(dn) !== get(old)).map(([attr]) => attr);
  return registeredValueFindings(dn, institution, changed);
}

function certificateFindings(row: ParsedRow, facts: CertificateFacts | undefined, ctx: SystemContext): Finding[] {
  if (facts === undefined) return [{ code: '223', column: COL.serial }];
  const findings: Finding[] = [];
  const old = parseDn(facts.requestDn).dn;
  if (row.dn !== null && !dnMatches(row, facts, old, ctx)) findings.push({ code: '224', column: COL.dn });
  if (ctx.kind === 'revoke' && facts.revoked) findings.push({ code: '225', column: COL.serial });
  if (ctx.kind === 'renew') {
    if (facts.hasOpenRenewal) findings.push({ code: '230', column: COL.serial });
    const oldFamily = profileFamily(facts.profile);
    if (row.profile !== null && oldFamily !== null && PROFILES[row.profile].family !== oldFamily) {
      findings.push({ code: '229', column: COL.profile });
    }
    if (ctx.institution !== null) findings.push(...renewalRegisteredFindings(row, old, ctx.institution));
  }
  return findings;
}

/** 223, 224, 225, 229, 230 and renewal's 305–307: one batched query for every serial of the file. */
async function serialFindings(rows: readonly ParsedRow[], ctx: SystemContext, lookup: SystemLookup, out: FindingsBySeq): Promise<void> {
  const serials = [...new Set(rows.flatMap((r) => (r.serial === null ? [] : [r.serial])))];
  if (serials.length === 0) return;
  const facts = await lookup.certificates(serials);
  for (const r of rows) if (r.serial !== null) push(out, r.seq, certificateFindings(r, facts.get(r.serial), ctx));
}

/** Offline renewal: O, L, ST equal to today's values are fine either way; others depend on the old certificate. */
function offlineRenewalNotChecked(rows: readonly ParsedRow[], institution: InstitutionForRules, notChecked: Set<ProblemCode>): void {
  for (const r of rows) {
    if (r.dn === null) continue;
    for (const f of registeredValueFindings(r.dn, institution)) notChecked.add(f.code);
  }
}

/** The registered domain a mail domain falls under (the longest match): WHOIS asks for it, not the subdomain. */
export function registeredDomainFor(domain: string, registered: readonly string[]): string | null {
  let best: string | null = null;
  for (const r of registered) {
    const reg = r.toLowerCase();
    if ((domain === reg || domain.endsWith('.' + reg)) && (best === null || reg.length > best.length)) best = r;
  }
  return best;
}

function whoisFinding(answer: WhoisAnswer, whoisOrg: string, notChecked: Set<ProblemCode>): Finding | null {
  if (answer.status === 'unreachable') return { code: '303', column: COL.userMail };
  if (answer.status === 'off') {
    notChecked.add('303').add('304');
    return null;
  }
  return whoisMatches(whoisOrg, answer.organisations) ? null : { code: '304', column: COL.userMail };
}

/** The rows WHOIS applies to, with the registered domain of their user mail. */
function whoisTargets(checks: readonly RowCheck[], institution: InstitutionForRules): Map<number, string> {
  const targets = new Map<number, string>();
  for (const { parsed, userMailOk } of checks) {
    const mail = parsed?.user.mail;
    if (parsed == null || !userMailOk || mail == null || !mailDomainAllowed(mail, institution)) continue;
    const domain = registeredDomainFor(mailDomain(mail) ?? '', institution.domains);
    if (domain !== null) targets.set(parsed.seq, domain);
  }
  return targets;
}

/** WHOIS applies when the institution has a registered WHOIS organisation; a public profile cannot tell. */
function whoisOrgOf(institution: InstitutionForRules | null): string | null | undefined {
  if (institution === null || !('whoisOrg' in institution)) return undefined;
  return institution.whoisOrg;
}

/** 303 / 304 for issuance and renewal when the institution has a registered WHOIS organisation. */
async function whoisFindings(checks: readonly RowCheck[], ctx: SystemContext, lookup: SystemLookup, out: FindingsBySeq): Promise<void> {
  const whoisOrg = whoisOrgOf(ctx.institution);
  if (whoisOrg === null) return;
  if (whoisOrg === undefined || lookup.whois === undefined || ctx.institution === null) {
    ctx.notChecked.add('303').add('304');
    return;
  }
  const targets = whoisTargets(checks, ctx.institution);
  const domains = [...new Set(targets.values())];
  const answers = await Promise.all(domains.map((d) => lookup.whois!(d)));
  const byDomain = new Map(domains.map((d, i) => [d, whoisFinding(answers[i]!, whoisOrg, ctx.notChecked)]));
  for (const [seq, domain] of targets) {
    const f = byDomain.get(domain);
    if (f != null) push(out, seq, [f]);
  }
}

function lookupCodes(kind: TsvKind): ProblemCode[] {
  if (kind === 'issue') return ['212'];
  if (kind === 'renew') return ['223', '224', '229', '230'];
  if (kind === 'revoke') return ['223', '224', '225'];
  return ['223', '224'];
}

/** Without a lookup (the offline tool): records which codes could not be checked. Synchronous. */
export function recordUnchecked(checks: readonly RowCheck[], ctx: Omit<SystemContext, 'lookup'>): void {
  const { kind, institution, notChecked } = ctx;
  for (const code of lookupCodes(kind)) notChecked.add(code);
  if (kind === 'renew' && institution !== null) {
    offlineRenewalNotChecked(checks.flatMap((c) => (c.parsed === null ? [] : [c.parsed])), institution, notChecked);
  }
  if ((kind === 'issue' || kind === 'renew') && whoisOrgOf(institution) !== null) notChecked.add('303').add('304');
}

/**
 * Runs the system rules of the kind: at most one query per lookup method (WHOIS: one per registered
 * domain), whatever the number of rows. Without a lookup only `notChecked` is filled in.
 */
export async function systemFindings(checks: readonly RowCheck[], ctx: SystemContext): Promise<FindingsBySeq> {
  const out: FindingsBySeq = new Map();
  const { lookup, kind } = ctx;
  if (lookup === null) {
    recordUnchecked(checks, ctx);
    return out;
  }
  const rows = checks.flatMap((c) => (c.parsed === null ? [] : [c.parsed]));
  // The queries are independent: run them side by side (findings land in different columns).
  await Promise.all([
    kind === 'issue' ? existingDnFindings(rows, lookup, out) : serialFindings(rows, ctx, lookup, out),
    kind === 'issue' || kind === 'renew' ? whoisFindings(checks, ctx, lookup, out) : undefined,
  ]);
  return out;
}

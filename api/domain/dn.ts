/**
 * Subject DN of request files: parse with the comma rule, check order, character sets and lengths,
 * format back, and derive the CN+OU identity (spec 02 §Value rules). Never throws: problems are returned.
 */
import type { DnAttr, ProblemParams } from './errors/format.ts';

/** A parsed DN. `st` is null when the DN has no ST (pre-2018 `L=Academe` DNs, institutions without ST). */
export interface DnParts {
  readonly cn: string;
  readonly ou: readonly string[];
  readonly o: string;
  readonly l: string;
  readonly st: string | null;
  readonly c: string;
}

/** A DN problem; the caller places it in column 1. */
export interface DnProblem {
  readonly code: '202' | '203' | '206' | '232';
  readonly params: ProblemParams;
}

export interface DnParseResult {
  /** Null when the structure is broken (206); set when only values are faulty (202, 203, 232). */
  readonly dn: DnParts | null;
  readonly problems: readonly DnProblem[];
}

export interface DnParseOptions {
  /** `+` is allowed in the CN when the CN equals this value (the user mail of an S/MIME row). */
  readonly plusAllowedIfCnIs?: string | null;
}

/** spec 02 §Value rules: DN ≤ 250 characters, each value 1–64 characters. */
export const DN_MAX_LENGTH = 250;
export const DN_VALUE_MAX_LENGTH = 64;

const RANK: Readonly<Record<DnAttr, number>> = { CN: 0, OU: 1, O: 2, L: 3, ST: 4, C: 5 };
// Disallowed characters per attribute (spec 02 §Value rules). `u`: a character outside the BMP is
// reported whole, not as two surrogate halves. The `g` twins collect every offending character.
const NOT_CN = /[^A-Za-z0-9 '(),\-./:=@_]/u;
const NOT_CN_PLUS = /[^A-Za-z0-9 '(),\-./:=@_+]/u;
const NOT_OU_O = /[^A-Za-z0-9 '(),\-./:=]/u;
const NOT_L_ST = /[^A-Za-z0-9 \-.]/u;

/** One attribute as written: its name and its value. */
export interface RawAttr {
  readonly attr: DnAttr;
  readonly value: string;
}

/** The attribute name starting at `i` when followed by `=` (`CN=`, `OU=`, `O=`, `L=`, `ST=`, `C=`), else null. */
function attrAt(text: string, i: number): DnAttr | null {
  const a = text.charCodeAt(i);
  const b = text.charCodeAt(i + 1);
  const eq2 = text.charCodeAt(i + 2) === 0x3d;
  if (a === 0x43) return b === 0x3d ? 'C' : b === 0x4e && eq2 ? 'CN' : null; // C= CN=
  if (a === 0x4f) return b === 0x3d ? 'O' : b === 0x55 && eq2 ? 'OU' : null; // O= OU=
  if (a === 0x4c) return b === 0x3d ? 'L' : null; // L=
  if (a === 0x53) return b === 0x54 && eq2 ? 'ST' : null; // ST=
  return null;
}

/**
 * Splits a DN into attributes by the comma rule: a comma starts a new attribute only when directly
 * followed by one of the six names and `=`. `unknown` holds a leading segment with no known name.
 */
export function splitDn(text: string): { readonly unknown: string | null; readonly attrs: readonly RawAttr[] } {
  const attrs: RawAttr[] = [];
  let unknown: string | null = null;
  let start = 0;
  for (let comma = text.indexOf(','); ; comma = text.indexOf(',', comma + 1)) {
    if (comma !== -1 && attrAt(text, comma + 1) === null) continue;
    const end = comma === -1 ? text.length : comma;
    const attr = attrAt(text, start);
    if (attr === null) unknown = text.slice(start, end);
    else attrs.push({ attr, value: text.slice(start + attr.length + 1, end) });
    if (comma === -1) return { unknown, attrs };
    start = comma + 1;
  }
}

function unknownName(segment: string): string {
  const eq = segment.indexOf('=');
  const name = eq >= 0 ? segment.slice(0, eq) : segment;
  return name.length > 20 ? name.slice(0, 20) + '…' : name;
}

/** The first structural problem (206) of the attribute list, or null. */
function structureProblem(unknown: string | null, attrs: readonly RawAttr[]): DnProblem | null {
  if (unknown !== null) return { code: '206', params: { detail: 'dn.unknownAttribute', value: unknownName(unknown) } };
  const seen = new Set<DnAttr>();
  let previous = -1;
  for (const { attr, value } of attrs) {
    if (attr !== 'OU' && seen.has(attr)) return { code: '206', params: { detail: 'dn.duplicate', value: attr } };
    if (RANK[attr] < previous) return { code: '206', params: { detail: 'dn.order' } };
    if (value === '') return { code: '206', params: { detail: 'dn.emptyValue', value: attr } };
    seen.add(attr);
    previous = RANK[attr];
  }
  for (const attr of ['CN', 'O', 'L', 'C'] as const) {
    if (!seen.has(attr)) return { code: '206', params: { detail: 'dn.missing', value: attr } };
  }
  return null;
}

function disallowedPattern(attr: DnAttr, plusAllowed: boolean): RegExp | null {
  switch (attr) {
    case 'CN':
      return plusAllowed ? NOT_CN_PLUS : NOT_CN;
    case 'OU':
    case 'O':
      return NOT_OU_O;
    case 'L':
    case 'ST':
      return NOT_L_ST;
    case 'C':
      return null;
  }
}

function distinctMatches(value: string, pattern: RegExp): string[] {
  if (!pattern.test(value)) return [];
  const found = new Set<string>();
  for (const m of value.matchAll(new RegExp(pattern.source, 'gu'))) found.add(m[0]);
  return [...found];
}

/** Length in characters; the DN is ASCII, so the code point count is needed only past the limit. */
function longerThan(value: string, max: number): boolean {
  return value.length > max && [...value].length > max;
}

/** Value problems of one attribute: length (202), characters (203), edge spaces (203), C=JP (232). */
/** Problems of one DN attribute value (length, edge spaces, character set; C must be JP). */
export function valueProblems(attr: DnAttr, value: string, plusAllowed = false): DnProblem[] {
  if (value === '') return [];
  const problems: DnProblem[] = [];
  if (longerThan(value, DN_VALUE_MAX_LENGTH)) problems.push({ code: '202', params: { attr, n: DN_VALUE_MAX_LENGTH } });
  if (value.startsWith(' ') || value.endsWith(' ')) {
    problems.push({ code: '203', params: { attr, chars: [' '], detail: 'space.edge' } });
  }
  const pattern = disallowedPattern(attr, plusAllowed);
  if (pattern === null) {
    if (value.trim() !== 'JP') problems.push({ code: '232', params: { attr } });
    return problems;
  }
  const bad = distinctMatches(value, pattern);
  if (bad.length > 0) problems.push({ code: '203', params: { attr, chars: bad } });
  return problems;
}

/** The parts of a structurally valid attribute list (each of CN, O, L, C once; ST at most once). */
function toParts(attrs: readonly RawAttr[]): DnParts {
  const parts = { cn: '', ou: [] as string[], o: '', l: '', st: null as string | null, c: '' };
  for (const { attr, value } of attrs) {
    if (attr === 'OU') parts.ou.push(value);
    else if (attr === 'ST') parts.st = value;
    else parts[attr === 'CN' ? 'cn' : attr === 'O' ? 'o' : attr === 'L' ? 'l' : 'c'] = value;
  }
  return parts;
}

/** Parses and checks a subject DN (spec 02 §Value rules); total on every string. */
export function parseDn(text: string, options: DnParseOptions = {}): DnParseResult {
  if (text === '') return { dn: null, problems: [{ code: '206', params: { detail: 'dn.empty' } }] };
  const problems: DnProblem[] = [];
  if (longerThan(text, DN_MAX_LENGTH)) problems.push({ code: '202', params: { n: DN_MAX_LENGTH } });
  const body = text.replace(/^ +/, '');
  if (body.length !== text.length) problems.push({ code: '203', params: { chars: [' '], detail: 'space.edge' } });
  const { unknown, attrs } = splitDn(body);
  const structure = structureProblem(unknown, attrs);
  if (structure !== null) problems.push(structure);
  const cn = attrs.find((a) => a.attr === 'CN')?.value;
  const plus = options.plusAllowedIfCnIs != null && cn === options.plusAllowedIfCnIs;
  for (const { attr, value } of attrs) problems.push(...valueProblems(attr, value, plus));
  return { dn: structure === null ? toParts(attrs) : null, problems };
}

/** `CN=…,OU=…` — the identity of a person's certificate: exact, case-sensitive, OU order kept (spec 02 §Validation). */
export function cnOuKey(dn: Pick<DnParts, 'cn' | 'ou'>): string {
  let key = 'CN=' + dn.cn;
  for (const ou of dn.ou) key += ',OU=' + ou;
  return key;
}

/** Writes a DN back as `CN=…,OU=…,O=…,L=…,ST=…,C=…` (ST left out when null); inverse of parseDn. */
export function formatDn(dn: DnParts): string {
  const st = dn.st === null ? '' : ',ST=' + dn.st;
  return `${cnOuKey(dn)},O=${dn.o},L=${dn.l}${st},C=${dn.c}`;
}

/** The registered values a DN's O, L and ST must carry (an institution or its public profile). */
export interface RegisteredDnValues {
  readonly o: string;
  readonly l: string;
  readonly st: string | null;
}

/**
 * The DN with O, L, ST and C replaced by today's registered values: how a renewal moves a person
 * from outdated values (`L=Academe`, a renamed O) to today's (spec 02 §Validation, 224).
 */
export function withRegisteredValues(dn: DnParts, registered: RegisteredDnValues): DnParts {
  return { ...dn, o: registered.o, l: registered.l, st: registered.st, c: 'JP' };
}

/**
 * A DN as the TSV tool's form edits it (spec 07 §Creating: "the DN built from fields"): one field per
 * attribute, OUs as a list. `st` is `''` when the DN has no ST.
 */
export interface DnFields {
  readonly cn: string;
  readonly ou: readonly string[];
  readonly o: string;
  readonly l: string;
  readonly st: string;
  readonly c: string;
}

/**
 * The fields of a DN as written, values untouched (faulty values included, so the form shows what
 * the row holds). Null when the text cannot be shown as fields without losing something: an unknown
 * attribute, an attribute twice (OU excepted) or out of order.
 */
export function dnFields(text: string): DnFields | null {
  if (text === '') return { cn: '', ou: [], o: '', l: '', st: '', c: '' };
  const { unknown, attrs } = splitDn(text);
  if (unknown !== null) return null;
  const seen = new Set<DnAttr>();
  let previous = -1;
  for (const { attr } of attrs) {
    if ((attr !== 'OU' && seen.has(attr)) || RANK[attr] < previous) return null;
    seen.add(attr);
    previous = RANK[attr];
  }
  const parts = toParts(attrs);
  return { cn: parts.cn, ou: parts.ou, o: parts.o, l: parts.l, st: parts.st ?? '', c: parts.c };
}

/**
 * The DN text of form fields: `CN=…,OU=…,O=…,L=…,ST=…,C=…` in the spec's order; ST left out when
 * empty (pre-2018 DNs, institutions without ST). Values are written as typed: the row rules then
 * report what is wrong with them, exactly as for a typed DN (spec 02 §Value rules).
 */
export function dnFromFields(f: DnFields): string {
  return formatDn({ cn: f.cn, ou: f.ou, o: f.o, l: f.l, st: f.st === '' ? null : f.st, c: f.c });
}

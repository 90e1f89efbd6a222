/**
 * `hakko` command-line grammar (spec README §CLI): argv → a typed command, or a usage error.
 * Pure: nothing is opened before the command line is known to be right.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type Command =
  | { kind: 'institution.add'; opts: InstitutionOpts }
  | { kind: 'institution.update'; code: string; opts: InstitutionOpts }
  | { kind: 'institution.suspend' | 'institution.resume'; code: string }
  | { kind: 'institution.list'; json: boolean }
  | { kind: 'institution.show'; code: string; json: boolean }
  | { kind: 'officer.enroll'; institution: string | null; operator: boolean; name: string; email: string; json: boolean }
  | { kind: 'officer.list'; institution: string | null; json: boolean }
  | { kind: 'officer.revoke'; email: string }
  | { kind: 'ca.show'; json: boolean }
  | { kind: 'config.get'; key: string | null }
  | { kind: 'config.set'; key: string; value: string }
  | { kind: 'tsv.check'; file: string; institution: string; tsvKind: 'issue' | 'renew' | 'revoke' | 'admin'; lang: 'ja' | 'en'; json: boolean }
  | { kind: 'audit.verify' }
  | { kind: 'demo'; json: boolean }
  | { kind: 'help' };

export interface InstitutionOpts {
  code?: string;
  ja?: string;
  en?: string;
  o?: string;
  l?: string;
  st?: string;
  domains?: string[];
  review?: string;
  approvalExpires?: string;
  whoisOrg?: string;
  profiles?: number[];
  methods?: number[];
  keyAlgorithm?: string;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `usage: hakko <command>
  institution add --code CODE --name-ja NAME --name-en NAME --o O --l L [--st ST]
                  --domain DOMAIN [--domain DOMAIN…] [--review complete|pending]
                  [--approval-expires YYYY-MM-DD] [--whois-org ORG]
                  [--profiles 5,7,13,14,15,16] [--methods 1,2,3] [--key-algorithm RSA-2048|P-256]
  institution update CODE [same options]
  institution suspend CODE | resume CODE
  institution list [--json]          institution show CODE [--json]
  officer enroll (--institution CODE | --operator) --name NAME --email MAIL [--json]
  officer list [--institution CODE] [--json]     officer revoke EMAIL
  ca show [--json]
  config get [KEY] | set KEY VALUE
  tsv check FILE --institution CODE [--kind issue|renew|revoke|admin] [--lang ja|en] [--json]
  audit verify
  demo [--json]                      (a demo institution, its officer's enrollment URL and PIN, a sample request file)`;

const INSTITUTION_OPTIONS = {
  code: { type: 'string' },
  'name-ja': { type: 'string' },
  'name-en': { type: 'string' },
  o: { type: 'string' },
  l: { type: 'string' },
  st: { type: 'string' },
  domain: { type: 'string', multiple: true },
  review: { type: 'string' },
  'approval-expires': { type: 'string' },
  'whois-org': { type: 'string' },
  profiles: { type: 'string' },
  methods: { type: 'string' },
  'key-algorithm': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, positionals: number) {
  let r;
  try {
    r = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]!.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
  if (r.positionals.length !== positionals) {
    throw new UsageError(positionals === 0 ? `unexpected argument: ${r.positionals[0]}` : r.positionals.length < positionals ? 'missing argument' : `unexpected argument: ${r.positionals[positionals]}`);
  }
  return r;
}

function numberList(v: string | undefined, flag: string): number[] | undefined {
  if (v === undefined) return undefined;
  const parts = v.split(',').map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p))) throw new UsageError(`--${flag} takes a comma-separated list of numbers: ${v}`);
  return parts.map(Number);
}

function institutionOpts(values: Record<string, string | string[] | boolean | undefined>): InstitutionOpts {
  const s = (k: string) => values[k] as string | undefined;
  return {
    code: s('code'), ja: s('name-ja'), en: s('name-en'), o: s('o'), l: s('l'), st: s('st'),
    domains: values.domain as string[] | undefined, review: s('review'), approvalExpires: s('approval-expires'),
    whoisOrg: s('whois-org'), profiles: numberList(s('profiles'), 'profiles'), methods: numberList(s('methods'), 'methods'),
    keyAlgorithm: s('key-algorithm'),
  };
}

const json = { json: { type: 'boolean' } } as const;

export function parseCommand(argv: readonly string[]): Command {
  const [group, verb, ...rest] = argv;
  if (group === 'demo') return { kind: 'demo', json: !!parse(argv.slice(1), json, 0).values.json };
  const key = `${group ?? ''} ${verb ?? ''}`.trim();
  switch (key) {
    case 'institution add': {
      const r = parse(rest, INSTITUTION_OPTIONS, 0);
      return { kind: 'institution.add', opts: institutionOpts(r.values) };
    }
    case 'institution update': {
      const r = parse(rest, INSTITUTION_OPTIONS, 1);
      if (r.values.code !== undefined) throw new UsageError('the code of an institution cannot be changed');
      return { kind: 'institution.update', code: r.positionals[0]!, opts: institutionOpts(r.values) };
    }
    case 'institution suspend':
    case 'institution resume':
      return { kind: verb === 'suspend' ? 'institution.suspend' : 'institution.resume', code: parse(rest, {}, 1).positionals[0]! };
    case 'institution list':
      return { kind: 'institution.list', json: !!parse(rest, json, 0).values.json };
    case 'institution show': {
      const r = parse(rest, json, 1);
      return { kind: 'institution.show', code: r.positionals[0]!, json: !!r.values.json };
    }
    case 'officer enroll': {
      const r = parse(rest, { institution: { type: 'string' }, operator: { type: 'boolean' }, name: { type: 'string' }, email: { type: 'string' }, ...json }, 0);
      const v = r.values;
      if (!!v.institution === !!v.operator) throw new UsageError('give exactly one of --institution CODE or --operator');
      if (!v.name) throw new UsageError('--name is required');
      if (!v.email) throw new UsageError('--email is required');
      return { kind: 'officer.enroll', institution: v.institution ?? null, operator: !!v.operator, name: v.name, email: v.email, json: !!v.json };
    }
    case 'officer list': {
      const r = parse(rest, { institution: { type: 'string' }, ...json }, 0);
      return { kind: 'officer.list', institution: r.values.institution ?? null, json: !!r.values.json };
    }
    case 'officer revoke':
      return { kind: 'officer.revoke', email: parse(rest, {}, 1).positionals[0]! };
    case 'ca show':
      return { kind: 'ca.show', json: !!parse(rest, json, 0).values.json };
    case 'config get': {
      const r = parse(rest, {}, rest.length > 0 ? 1 : 0);
      return { kind: 'config.get', key: r.positionals[0] ?? null };
    }
    case 'config set': {
      const r = parse(rest, {}, 2);
      return { kind: 'config.set', key: r.positionals[0]!, value: r.positionals[1]! };
    }
    case 'tsv check': {
      const r = parse(rest, { institution: { type: 'string' }, kind: { type: 'string' }, lang: { type: 'string' }, ...json }, 1);
      const v = r.values;
      if (!v.institution) throw new UsageError('--institution is required');
      const tsvKind = v.kind ?? 'issue';
      if (!['issue', 'renew', 'revoke', 'admin'].includes(tsvKind)) throw new UsageError(`--kind must be issue, renew, revoke or admin: ${tsvKind}`);
      const lang = v.lang ?? 'ja';
      if (lang !== 'ja' && lang !== 'en') throw new UsageError(`--lang must be ja or en: ${lang}`);
      return { kind: 'tsv.check', file: r.positionals[0]!, institution: v.institution, tsvKind: tsvKind as 'issue', lang, json: !!v.json };
    }
    case 'audit verify':
      parse(rest, {}, 0);
      return { kind: 'audit.verify' };
    default:
      if (group === undefined || group === 'help' || group === '--help' || group === '-h') return { kind: 'help' };
      throw new UsageError(`unknown command: ${key}`);
  }
}

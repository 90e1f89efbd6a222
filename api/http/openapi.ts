/**
 * The OpenAPI machinery (spec 06 §API): every `/api` route is declared with `createRoute` from the
 * same zod schemas that validate its path, query and body, so `/api/openapi.json` cannot drift from
 * what the server accepts. A request that does not fit its schema is 400 `BAD_REQUEST` with the
 * problems named in Japanese and English (`issues` lists them for programs).
 *
 * A new area (issue 13's `/api/operator/…`): a sub-app from `apiRouter()`, routes from
 * `defineRoute('operator', …)`, mounted in app.ts with `api.route('/operator', …)`.
 */
import { OpenAPIHono, createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { z, type ZodError } from 'zod';
import { API_ERRORS, type ApiErrorCode } from '../domain/api-errors.ts';
import { ErrorBody } from '../domain/api/common.ts';
import { HakkoError } from '../errors.ts';
import type { AppEnv } from './types.ts';

type Target = 'json' | 'form' | 'query' | 'param' | 'header' | 'cookie';
type Text = { ja: string; en: string };

const WHERE: Record<Target, Text> = {
  json: { ja: '本文', en: 'body' },
  form: { ja: 'フォーム', en: 'form' },
  query: { ja: 'クエリ', en: 'query' },
  param: { ja: 'パス', en: 'path' },
  header: { ja: 'ヘッダ', en: 'header' },
  cookie: { ja: 'Cookie', en: 'cookie' },
};

/** One problem of a malformed request, for programs. */
export interface InputIssue {
  readonly in: Target;
  readonly field: string;
  readonly problem: string;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** What is wrong with one field, in both languages. */
function describe(issue: ZodError['issues'][number], input: unknown): Text {
  const list = (vs: readonly unknown[]) => vs.map((v) => JSON.stringify(v)).join(', ');
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined ? { ja: '必須です', en: 'is required' } : { ja: `型が違います(${issue.expected})`, en: `must be of type ${issue.expected}` };
    case 'invalid_value':
      return { ja: `${list(issue.values)} のいずれかを指定してください`, en: `must be one of ${list(issue.values)}` };
    case 'too_small':
      return issue.origin === 'string'
        ? { ja: `${issue.minimum}文字以上にしてください`, en: `must have at least ${issue.minimum} characters` }
        : { ja: `${issue.minimum}以上にしてください`, en: `must be at least ${issue.minimum}` };
    case 'too_big':
      return issue.origin === 'string'
        ? { ja: `${issue.maximum}文字以内にしてください`, en: `must have at most ${issue.maximum} characters` }
        : { ja: `${issue.maximum}以下にしてください`, en: `must be at most ${issue.maximum}` };
    case 'invalid_format':
      return { ja: '形式が正しくありません', en: 'has the wrong format' };
    case 'unrecognized_keys':
      return { ja: `不明な項目があります: ${issue.keys.join(', ')}`, en: `has unknown fields: ${issue.keys.join(', ')}` };
    default:
      return { ja: '値が正しくありません', en: 'is not valid' };
  }
}

/** The 400 for a request that does not fit its schema (exported for the tests of the texts). */
export function malformedRequest(target: Target, error: ZodError, data: unknown): HakkoError {
  const issues: InputIssue[] = [];
  const ja: string[] = [];
  const en: string[] = [];
  for (const issue of error.issues.slice(0, 10)) {
    const field = issue.path.map(String).join('.') || '-';
    const d = describe(issue, valueAt(data, issue.path));
    issues.push({ in: target, field, problem: issue.code });
    ja.push(`${WHERE[target].ja}の ${field} は${d.ja}`);
    en.push(`${WHERE[target].en} field ${field} ${d.en}`);
  }
  const base = API_ERRORS.BAD_REQUEST;
  return new HakkoError('BAD_REQUEST', { text: { ja: `${base.ja}${ja.join('。')}。`, en: `${base.en} The ${en.join('; the ')}.` }, extra: { issues } });
}

/** The validation hook of every route: a failed schema throws, the error handler answers. */
function hook(result: { success: boolean; error?: ZodError; target: string; data?: unknown }, _c: Context<AppEnv>): void {
  if (!result.success) throw malformedRequest(result.target as Target, result.error!, result.data);
}

/** A sub-app whose routes validate with zod and land in the OpenAPI document when mounted. */
export function apiRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: hook as never });
}

/** Who may call a route: anyone, a token holder (spec 04), an officer, an operator (issue 13). */
export type Audience = 'public' | 'pickup' | 'officer' | 'operator';

const TAGS: Record<Audience, string> = { public: 'Public', pickup: 'PIN and pickup', officer: 'Officer', operator: 'Operator' };

/** Errors every route of an audience may answer besides its own. */
function standardErrors(audience: Audience, method: string): ApiErrorCode[] {
  const out: ApiErrorCode[] = ['UNAVAILABLE'];
  if (audience === 'officer' || audience === 'operator') out.unshift('NO_CERTIFICATE', 'NOT_AN_OFFICER');
  if (audience === 'operator') out.unshift('NOT_AN_OPERATOR');
  if ((audience === 'officer' || audience === 'operator') && method !== 'get') out.unshift('CSRF');
  if (audience === 'pickup') out.unshift('RATE_LIMITED');
  return out;
}

/** The error answers of `codes`, grouped by status, each code as a named example. */
export function errorResponses(codes: readonly ApiErrorCode[]): NonNullable<RouteConfig['responses']> {
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = API_ERRORS[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: NonNullable<RouteConfig['responses']> = {};
  for (const [status, cs] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    const examples = Object.fromEntries(cs.map((c) => [c, { summary: API_ERRORS[c].en, value: { code: c, message: { ja: API_ERRORS[c].ja, en: API_ERRORS[c].en } } }]));
    out[status] = { description: cs.join(', '), content: { 'application/json': { schema: ErrorBody, examples } } };
  }
  return out;
}

/**
 * A route of an audience: its tag, its security (client certificate; `X-Hakko-Request` on state
 * changes), the standard errors, BAD_REQUEST whenever it takes input, and `errors`: the codes this
 * route answers besides those.
 */
export function defineRoute<const R extends RouteConfig>(audience: Audience, spec: R & { readonly errors?: readonly ApiErrorCode[] }) {
  const { errors = [], ...route } = spec;
  const takesInput = !!(route.request?.params || route.request?.query || route.request?.body);
  const codes = [...(takesInput ? (['BAD_REQUEST'] as const) : []), ...errors, ...standardErrors(audience, route.method)];
  const security = audience === 'officer' || audience === 'operator' ? [route.method === 'get' ? { clientCertificate: [] } : { clientCertificate: [], csrfHeader: [] }] : [];
  return createRoute({ ...route, tags: [TAGS[audience]], security, responses: mergeResponses(route.responses, errorResponses(codes)) } as unknown as R);
}

type Responses = NonNullable<RouteConfig['responses']>;

/**
 * A route's own answers and its error answers; where both use one status (the upload's and a bulk
 * pickup's 422 carry a result body, other 422s an error), the body is either, with the error examples.
 */
function mergeResponses(own: Responses, errors: Responses): Responses {
  const out: Responses = { ...errors, ...own };
  for (const [status, err] of Object.entries(errors)) {
    const mine = own[status] as { description: string; content?: Record<string, { schema: unknown }> } | undefined;
    const json = mine?.content?.['application/json'];
    if (!mine || !json) continue;
    const e = (err as { description: string; content: { 'application/json': { schema: unknown; examples: unknown } } }).content['application/json'];
    out[status] = { description: `${mine.description} Or an error: ${(err as { description: string }).description}.`, content: { 'application/json': { schema: z.union([json.schema as z.ZodType, e.schema as z.ZodType]), examples: e.examples } } } as never;
  }
  return out;
}

/** Registers the security schemes once on the top API router (spec 06 §Authentication, §API). */
export function registerSecuritySchemes(api: OpenAPIHono<AppEnv>): void {
  api.openAPIRegistry.registerComponent('securitySchemes', 'clientCertificate', {
    type: 'mutualTLS',
    description: 'A client certificate issued by this Hakko to an active registration officer (or operator), presented on PUBLIC_HTTPS_URL — or, behind a TLS-terminating proxy listed in TRUSTED_PROXIES, in X-SSL-Client-Cert (URL-encoded PEM). None: 401 NO_CERTIFICATE; not an active officer\'s valid certificate: 403 NOT_AN_OFFICER.',
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'csrfHeader', {
    type: 'apiKey',
    in: 'header',
    name: 'X-Hakko-Request',
    description: 'Every state-changing officer call sends `X-Hakko-Request: 1`; browsers must also send a same-origin Origin. Otherwise 403 CSRF.',
  });
}

/**
 * Import rules of STYLE.md: api/domain is pure and isomorphic (no Node, DOM, DB or clock imports);
 * routes never reach db/ or CA keys directly (they call workflows); api/http (middleware) never
 * reaches db/; workflows never import the edge (http, routes, app, main, cli); web/ imports nothing
 * of api/ but api/domain/ — type-only imports included; and no modules import each other in a cycle.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(ROOT, dir))) {
    const rel = path.join(dir, e);
    if (statSync(path.join(ROOT, rel)).isDirectory()) out.push(...files(rel));
    else if (/\.(ts|svelte)$/.test(e) && !e.endsWith('.test.ts')) out.push(rel);
  }
  return out;
}

/** Every module specifier a file imports or re-exports, `import type` included. */
function imports(file: string): string[] {
  const src = readFileSync(path.join(ROOT, file), 'utf8');
  return [...src.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** The repository path a relative or `$domain` import points at, or null for packages and other aliases. */
function target(file: string, spec: string): string | null {
  if (spec.startsWith('$domain/') || spec === '$domain') return path.join('api/domain', spec.slice('$domain'.length));
  if (!spec.startsWith('.')) return null;
  return path.relative(ROOT, path.resolve(ROOT, path.dirname(file), spec));
}

const under = (p: string | null, dir: string) => p !== null && (p === dir || p.startsWith(dir + '/'));

describe('architecture', () => {
  it('ok: api/domain imports nothing from Node, the DOM, db/ or other layers', () => {
    for (const f of files('api/domain')) {
      for (const i of imports(f)) {
        expect(i, `${f} imports ${i}`).not.toMatch(/^node:|^(fs|path|crypto|os|net|tls|http|https|child_process|buffer|util)$/);
        expect(i, `${f} imports ${i}`).not.toMatch(/db\/|\/pki\/|\/workflows\/|\/http\/|\/routes\/|\/secrets\/|\/mail\/|drizzle|postgres|pglite|hono|iconv-lite/);
        if (i.startsWith('.')) expect(under(target(f, i), 'api/domain'), `${f} imports ${i}`).toBe(true);
      }
      const src = readFileSync(path.join(ROOT, f), 'utf8');
      expect(src, `${f} uses a global clock or randomness`).not.toMatch(/Date\.now\(\)|new Date\(\)|Math\.random\(/);
      expect(src, `${f} uses the DOM`).not.toMatch(/\b(document|window|localStorage)\./);
    }
  });

  it('ok: routes do not touch db/, keys or signers directly (they call workflows)', () => {
    for (const f of files('api/routes')) {
      for (const i of imports(f)) {
        expect(i, `${f} imports ${i}`).not.toMatch(/(^|\/)db\/|drizzle-orm|postgres|pglite|software-signer|hierarchy|secrets\/keys|\/pki\/(?!runtime|pem)/);
      }
    }
  });

  it('ok: api/http (middleware) never reaches db/ — lookups go through workflows', () => {
    for (const f of files('api/http')) {
      for (const i of imports(f)) {
        expect(under(target(f, i), 'db') || /drizzle-orm|postgres|pglite/.test(i), `${f} imports ${i}`).toBe(false);
      }
    }
  });

  it('ok: workflows never import the edge (http, routes, app, main, cli)', () => {
    const edge = ['api/http', 'api/routes', 'api/cli', 'api/app.ts', 'api/main.ts'];
    for (const f of files('api/workflows')) {
      for (const i of imports(f)) {
        const t = target(f, i);
        expect(edge.some((e) => under(t, e.replace(/\.ts$/, '')) || t === e), `${f} imports ${i}`).toBe(false);
      }
    }
  });

  it('ok: web/ imports nothing of api/ but api/domain/ (type-only imports too: the browser bundle must not grow server code)', () => {
    for (const f of files('web')) {
      for (const i of imports(f)) {
        const t = target(f, i);
        if (under(t, 'api')) expect(under(t, 'api/domain'), `${f} imports ${i}: web/ may import only api/domain/`).toBe(true);
        expect(/^(node:|drizzle|postgres|@electric-sql|hono|@hono)/.test(i), `${f} imports ${i}`).toBe(false);
      }
    }
  });

  it('ok: no modules of api/ and db/ import each other, directly or in a longer cycle', () => {
    const graph = new Map<string, string[]>();
    for (const f of [...files('api'), ...files('db')]) {
      graph.set(f, imports(f).map((i) => target(f, i)).filter((t): t is string => t !== null && /\.ts$/.test(t)));
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, trail: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(f)), f].join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const t of graph.get(f) ?? []) if (graph.has(t)) visit(t, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of graph.keys()) visit(f, []);
    expect(cycles).toEqual([]);
  });
});

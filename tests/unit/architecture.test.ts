/**
 * Import rules of STYLE.md: api/domain is pure and isomorphic (no Node, DOM, DB or clock imports);
 * routes never reach db/ or CA keys directly (they call workflows).
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

function imports(file: string): string[] {
  const src = readFileSync(path.join(ROOT, file), 'utf8');
  return [...src.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
}

describe('architecture', () => {
  it('ok: api/domain imports nothing from Node, the DOM, db/ or other layers', () => {
    for (const f of files('api/domain')) {
      for (const i of imports(f)) {
        expect(i, `${f} imports ${i}`).not.toMatch(/^node:|^(fs|path|crypto|os|net|tls|http|https|child_process|buffer|util)$/);
        expect(i, `${f} imports ${i}`).not.toMatch(/db\/|\/pki\/|\/workflows\/|\/http\/|\/routes\/|\/secrets\/|\/mail\/|drizzle|postgres|pglite|hono|iconv-lite/);
        if (i.startsWith('.')) expect(path.resolve(ROOT, path.dirname(f), i).startsWith(path.join(ROOT, 'api/domain')), `${f} imports ${i}`).toBe(true);
      }
      const src = readFileSync(path.join(ROOT, f), 'utf8');
      expect(src, `${f} uses a global clock or randomness`).not.toMatch(/Date\.now\(\)|new Date\(\)|Math\.random\(/);
      expect(src, `${f} uses the DOM`).not.toMatch(/\b(document|window|localStorage)\./);
    }
  });
  it('ok: routes do not touch db/, keys or signers directly (they call workflows)', () => {
    for (const f of files('api/routes')) {
      for (const i of imports(f)) {
        expect(i, `${f} imports ${i}`).not.toMatch(/(^|\/)db\/|drizzle-orm|postgres|pglite|software-signer|hierarchy|secrets\/keys|\/pki\/(?!runtime)/);
      }
    }
  });
});

/**
 * scripts/vite-pkijs-pure.ts on the installed pkijs: every top-level `Class.PROP = value;` becomes a
 * static field of its class, nothing else changes, and the result still evaluates to a working pkijs
 * (a module whose classes parse what the original parses).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pkijsPure } from '../../scripts/vite-pkijs-pure.ts';

const require = createRequire(import.meta.url);
const file = path.join(path.dirname(require.resolve('pkijs/package.json')), 'build/index.es.js');

function transform(code: string, id: string): string | null {
  const plugin = pkijsPure();
  const warnings: string[] = [];
  const hook = plugin.transform as (this: unknown, code: string, id: string) => { code: string } | null;
  const out = hook.call({ warn: (m: string) => warnings.push(m) }, code, id);
  expect(warnings).toEqual([]);
  return out?.code ?? null;
}

describe('pkijs-pure build transform', () => {
  const original = readFileSync(file, 'utf8');
  const out = transform(original, file)!;

  it('moves the top-level static assignments into their classes', () => {
    expect(original.match(/^\w+\.CLASS_NAME = /gm)!.length).toBeGreaterThan(100);
    expect(out.match(/^\w+\.\w+ = /gm)).toBeNull();
    expect(out).toMatch(/^class Certificate extends PkiObject \{\n {2}static CLASS_NAME = "Certificate";$/m);
    expect(out).toMatch(/^class ContentInfo extends PkiObject \{\n(?: {2}static .*\n)* {2}static DATA = id_ContentType_Data;$/m);
  });

  it('leaves other modules alone', () => {
    expect(transform('Foo.BAR = 1;\n', '/x/node_modules/asn1js/build/index.es.js')).toBeNull();
  });

  it('the transformed module still works: its classes keep their static values and parse a certificate', async () => {
    const der = execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=pure test', '-keyout', '/dev/null', '-outform', 'DER']);
    // Imported from beside the original, so that its bare imports (asn1js, pvutils…) resolve the same way.
    const copy = path.join(path.dirname(file), `.pure-test-${process.pid}.mjs`);
    writeFileSync(copy, out);
    try {
      const pkijs = (await import(pathToFileURL(copy).href)) as typeof import('pkijs');
      expect(pkijs.Certificate.CLASS_NAME).toBe('Certificate');
      expect(pkijs.ContentInfo.DATA).toBe('1.2.840.113549.1.7.1');
      const cert = pkijs.Certificate.fromBER(new Uint8Array(der));
      expect(cert.subject.typesAndValues[0]!.value.valueBlock.value).toBe('pure test');
    } finally {
      rmSync(copy, { force: true });
    }
  });
});

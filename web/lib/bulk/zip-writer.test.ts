/** The streamed ZIP writer: files in order, stored or deflated, readable by another implementation (unzip), many files through Blob parts. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ZipWriter, zipOf } from './zip-writer.ts';

describe('ZipWriter', () => {
  it('ok 1,200 files (more than one Blob part) come back byte for byte; Info-ZIP unzip tests the archive', async () => {
    const w = new ZipWriter();
    const files = Array.from({ length: 1200 }, (_, i) => ({ name: `user-${i}.p12`, bytes: crypto.getRandomValues(new Uint8Array(300 + (i % 7))) }));
    for (const f of files) w.add(f.name, f.bytes);
    w.add('client.txt', new TextEncoder().encode('a\tb\r\n'.repeat(500)), true);
    const blob = w.finish();
    expect(blob.type).toBe('application/zip');
    const bytes = new Uint8Array(await blob.arrayBuffer());
    const back = unzipSync(bytes);
    expect(Object.keys(back)).toHaveLength(1201);
    for (const f of files) expect(Buffer.from(back[f.name]!).equals(Buffer.from(f.bytes))).toBe(true);
    const dir = mkdtempSync(path.join(tmpdir(), 'hakko-zip-'));
    try {
      writeFileSync(path.join(dir, 'certs.zip'), bytes);
      expect(execFileSync('unzip', ['-tq', path.join(dir, 'certs.zip')], { encoding: 'utf8' })).toMatch(/No errors detected/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('NG nothing can be added after finish', () => {
    const w = new ZipWriter();
    w.finish();
    expect(() => w.add('x', new Uint8Array(1))).toThrow(/finished/);
  });

  it('ok zipOf: one text file, deflated', async () => {
    const blob = zipOf([{ name: 'pins.txt', bytes: new TextEncoder().encode('x'.repeat(1000)), compress: true }]);
    expect(blob.size).toBeLessThan(300);
    expect(new TextDecoder().decode(unzipSync(new Uint8Array(await blob.arrayBuffer()))['pins.txt'])).toBe('x'.repeat(1000));
  });
});

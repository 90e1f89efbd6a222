/**
 * Builds the web app (`vite build` → build/) for e2e tests when build/ is missing or older than
 * any source it is made from. Returns the absolute path of build/.
 */
import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILD = path.join(ROOT, 'build');
/** What the build is made from; api/domain is bundled into the web app too. */
const SOURCES = ['web', 'static', 'api/domain', 'svelte.config.js', 'vite.config.ts', 'package.json'];

async function newestMtime(entry: string): Promise<number> {
  const info = await stat(entry).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const children = await readdir(entry);
  const times = await Promise.all(children.map((c) => newestMtime(path.join(entry, c))));
  return Math.max(info.mtimeMs, ...times);
}

/** Run `vite build` unless build/index.html is newer than every source. */
export async function ensureWebBuild(): Promise<string> {
  const built = await stat(path.join(BUILD, 'index.html')).catch(() => null);
  const sources = Math.max(...(await Promise.all(SOURCES.map((s) => newestMtime(path.join(ROOT, s))))));
  if (!built || built.mtimeMs < sources) {
    const vite = path.join(ROOT, 'node_modules/vite/bin/vite.js');
    await promisify(execFile)(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
  }
  return BUILD;
}

/**
 * `npm start`: builds the web app when it is not built yet, then runs the server on the embedded
 * defaults (or whatever the environment configures).
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
if (!existsSync(path.join(root, 'build', 'index.html'))) {
  process.stdout.write('Building the web app (first start)…\n');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write('hakko: building the web app failed\n');
    process.exit(1);
  }
}
const { main } = await import('../api/main.ts');
await main();

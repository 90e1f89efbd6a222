// Vite configuration for the web app (web/): the SvelteKit plugin builds the static PWA into build/.
// Tests use vitest.config.ts, which takes precedence over this file for Vitest.
import { readFileSync } from 'node:fs';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { pkijsPure } from './scripts/vite-pkijs-pure.ts';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  plugins: [pkijsPure(), sveltekit()],
  // The product version shown in the footer (web/app.d.ts declares the constant).
  define: { __HAKKO_VERSION__: JSON.stringify(pkg.version) },
  build: { target: 'es2023' },
  // Module workers (web/lib/crypto/crypto.worker.ts) split into chunks: the compatible-P12 writer
  // (node-forge) is a lazy chunk of the worker, loaded only when that variant is built.
  worker: { format: 'es', plugins: () => [pkijsPure()] },
  // `npm run dev`: the API, PKI files and the dev mailbox come from a running `npm start`.
  server: {
    proxy: { '^/(api|pki|dev)/': { target: 'http://127.0.0.1:8080', changeOrigin: false } },
  },
});

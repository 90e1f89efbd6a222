// Test projects: unit (pure, fast), db (PGlite + PostgreSQL), interop (real tools), e2e (Chromium),
// faults (kills, outages, restarts; scale-out behind nginx), security (headers, limits, fuzzing, attacks).
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

/** The web app's aliases (svelte.config.js), so tests can import web/lib modules as the app does. */
const alias = { $domain: fileURLToPath(new URL('./api/domain', import.meta.url)), $lib: fileURLToPath(new URL('./web/lib', import.meta.url)) };

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['api/**/*.test.ts', 'web/**/*.test.ts', 'tests/unit/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'db',
          include: ['tests/integration/**/*.test.ts', 'db/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'interop',
          include: ['tests/interop/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          // The bulk pickup across a server restart is a fault test: it runs in the faults project.
          exclude: [...configDefaults.exclude, 'tests/e2e/pickup-bulk-restart.test.ts'],
          globalSetup: ['tests/global-log-scan.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          // Real processes killed and restarted, outages, two processes behind nginx (issue 15).
          // The bulk pickup across a server restart (a browser test) runs here too.
          name: 'faults',
          include: ['tests/faults/**/*.test.ts', 'tests/scale/**/*.test.ts', 'tests/e2e/pickup-bulk-restart.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          globalSetup: ['tests/global-log-scan.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'security',
          include: ['tests/security/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          globalSetup: ['tests/global-log-scan.ts'],
        },
      },
    ],
  },
});

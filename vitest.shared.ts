import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The test tier: `pnpm test` runs the fast tier (every `test/**\/*.test.ts` except `*.slow.test.ts`),
 * `pnpm test:slow` sets SYNAPTIC_TEST_TIER=slow and runs only the `test/**\/*.slow.test.ts` files
 * (long learning runs, the benchmark's child processes, the CLI's default MNIST run).
 */
export const testTier: 'fast' | 'slow' = process.env.SYNAPTIC_TEST_TIER === 'slow' ? 'slow' : 'fast';

const SLOW_FILES = 'test/**/*.slow.test.ts';

/**
 * Shared Vitest settings, merged by every packages/<name>/vitest.config.ts.
 *
 * `@synaptic/<name>` resolves to packages/<name>/src/index.ts, so tests run
 * against the TypeScript sources and never need a prior build.
 */
export const sharedConfig = defineConfig({
  resolve: {
    alias: [
      {
        find: /^@synaptic\/([^/]+)$/,
        replacement: `${root}packages/$1/src/index.ts`,
      },
    ],
  },
  test: {
    include: testTier === 'slow' ? [SLOW_FILES] : ['test/**/*.test.ts'],
    exclude: testTier === 'slow' ? ['**/node_modules/**'] : ['**/node_modules/**', SLOW_FILES],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

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
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

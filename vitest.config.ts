import { defineConfig } from 'vitest/config';

// Root config: `vitest run` here runs every package's project.
// Per-project settings (alias, include, timeouts) live in vitest.shared.ts,
// which each packages/<name>/vitest.config.ts (and apps/<name>/vitest.config.ts) merges.
export default defineConfig({
  test: {
    // every package or app that has a vitest.config.ts (test-support's runs the README snippets)
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts'],
  },
});

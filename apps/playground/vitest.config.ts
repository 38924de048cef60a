import { defineProject, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared';

export default mergeConfig(
  sharedConfig,
  defineProject({
    test: {
      name: 'playground',
      // builds the static site (vite build) and serves it on 127.0.0.1 for the browser tests
      globalSetup: ['./test/support/global-setup.ts'],
      testTimeout: 90_000,
      hookTimeout: 120_000,
    },
  }),
);

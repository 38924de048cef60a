import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The README snippets (test/readme-snippets.test.ts): every ```ts block of every README runs as
 * written, against the BUILT packages (packages/<name>/dist, as a user's `import` gets them; the
 * root `pnpm test` builds first), so trainAsync finds its worker beside the build.
 */
export default defineProject({
  resolve: {
    alias: [{ find: /^@synaptic\/([^/]+)$/, replacement: `${root}packages/$1/dist/index.js` }],
  },
  test: {
    ...sharedConfig.test,
    name: 'readme',
  },
});

import { defineConfig } from 'tsup';

/**
 * - `dist/cli.js`, the package's `bin`: turns on source maps for --debug, then loads main.js;
 * - `dist/main.js`: the command line;
 * - `dist/tasks-worker.js`: the worker thread that runs the Trainer's tasks for `synaptic tasks`;
 * - `dist/fit-worker.js`: the worker thread of the gradient path's training (optimizers, mini-batches).
 * Dependencies stay external: they are resolved from node_modules at run time.
 */
export default defineConfig({
  entry: {
    cli: 'src/cli.ts',
    main: 'src/main.ts',
    'tasks-worker': 'src/tasks-worker.ts',
    'fit-worker': 'src/fit-worker.ts',
  },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  clean: true,
  sourcemap: true,
  splitting: false,
  dts: false,
  banner: { js: '#!/usr/bin/env node' },
});

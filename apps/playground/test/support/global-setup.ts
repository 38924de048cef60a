/**
 * Builds the playground as `pnpm --filter @synaptic/playground build` does (a static folder,
 * dist/) and serves that folder on 127.0.0.1 with `vite preview` for the browser tests, which
 * read its address with `inject('playgroundUrl')`.
 *
 * The app imports the packages' builds (packages/<name>/dist): the root `pnpm test` builds them
 * first; when one is missing they are built here with turbo.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview, type PreviewServer } from 'vite';
import type { TestProject } from 'vitest/node';

const appDir = fileURLToPath(new URL('../..', import.meta.url));
const root = join(appDir, '..', '..');

declare module 'vitest' {
  export interface ProvidedContext {
    playgroundUrl: string;
  }
}

let server: PreviewServer | null = null;

export async function setup(project: TestProject): Promise<void> {
  const packages = ['core', 'trainer', 'architect', 'compile'];
  if (packages.some((name) => !existsSync(join(root, 'packages', name, 'dist', 'index.js')))) {
    execFileSync(
      'pnpm',
      ['exec', 'turbo', 'run', 'build', '--filter=@synaptic/playground^...', '--output-logs=errors-only'],
      {
        cwd: root,
        stdio: 'inherit',
        env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' },
      },
    );
  }
  rmSync(join(appDir, 'test-results'), { recursive: true, force: true });
  await build({ root: appDir, logLevel: 'error' });
  server = await preview({ root: appDir, logLevel: 'error', preview: { host: '127.0.0.1', port: 0, open: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report its address');
  project.provide('playgroundUrl', url);
}

export async function teardown(): Promise<void> {
  await server?.close();
  server = null;
}

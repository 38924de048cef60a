/**
 * Builds the CLI before its tests: they run the built `dist/cli.js`, as users do.
 *
 * The CLI's dependencies (packages/*) must be built too. The root `pnpm test` builds them first;
 * when one is missing (a clean checkout tested with `pnpm --filter @synaptic/cli test`), they are
 * built here with turbo. Then tsup builds the CLI from its own folder.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cliDir = fileURLToPath(new URL('..', import.meta.url));
const root = join(cliDir, '..', '..');

function dependencies(): string[] {
  const pkg = JSON.parse(readFileSync(join(cliDir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  return Object.keys(pkg.dependencies ?? {})
    .filter((name) => name.startsWith('@synaptic/'))
    .map((name) => name.slice('@synaptic/'.length));
}

export default function setup(): void {
  const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' };
  const missing = dependencies().filter((name) => !existsSync(join(root, 'packages', name, 'dist', 'index.js')));
  if (missing.length) {
    execFileSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@synaptic/cli^...', '--output-logs=errors-only'], {
      cwd: root,
      stdio: 'inherit',
      env,
    });
  }
  const require = createRequire(join(cliDir, 'package.json'));
  const tsupPackage = require.resolve('tsup/package.json');
  const tsup = join(
    dirname(tsupPackage),
    (JSON.parse(readFileSync(tsupPackage, 'utf8')) as { bin: Record<string, string> }).bin.tsup,
  );
  execFileSync(process.execPath, [tsup, '--silent'], { cwd: cliDir, stdio: ['ignore', 'ignore', 'inherit'], env });
  if (!existsSync(join(cliDir, 'dist', 'cli.js'))) throw new Error('the CLI build did not produce dist/cli.js');
}

#!/usr/bin/env node
/**
 * `pnpm start [--] [options]`: builds the CLI and the packages it needs (turbo, cached after the
 * first run), then runs `synaptic` with the options. A leading `--` is dropped: pnpm 10 passes it
 * through to the script (`pnpm start -- --epochs 2` gives `-- --epochs 2`), where it would end the
 * options and turn `--epochs 2` into arguments.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'apps', 'cli', 'dist', 'cli.js');
const args = process.argv.slice(2);
if (args[0] === '--') args.shift();

process.stderr.write(
  existsSync(cli)
    ? 'checking the build of the CLI (turbo)...\n'
    : 'building the CLI and the packages it needs (turbo; the first time takes about a minute, later runs reuse it)...\n',
);
const build = spawnSync('turbo', ['run', 'build', '--filter=@synaptic/cli...', '--output-logs=errors-only'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' },
});
if (build.error || build.status !== 0) {
  process.stderr.write(`the build failed${build.error ? `: ${build.error.message}` : ''}; run pnpm build to see why\n`);
  process.exit(1);
}

// Ctrl-C reaches the CLI too (same process group): it stops cleanly and says so; wait for it.
process.on('SIGINT', () => {});
const child = spawn(process.execPath, [cli, ...args], { stdio: 'inherit' });
child.on('close', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { CliError, EXIT, InterruptedError } from '../errors.js';
import { interruptible, interruption } from '../interrupt.js';
import { addCommonOptions, type CommonOptions } from '../options.js';
import { Output } from '../output.js';

interface BenchOptions extends CommonOptions {
  full?: boolean;
  dryRun?: boolean;
}

const BENCH_PACKAGE = '@synaptic/bench';

/** The monorepo root: SYNAPTIC_ROOT, else the first folder above this file with a pnpm-workspace.yaml. */
export function findWorkspaceRoot(): string | null {
  const fromEnv = process.env.SYNAPTIC_ROOT;
  if (fromEnv) return resolve(fromEnv);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The bench app's folder and scripts, or why it cannot be used. */
function findBench(): { root: string; scripts: Record<string, string> } | string {
  const root = findWorkspaceRoot();
  if (!root) return 'this synaptic is not inside the synaptic monorepo (no pnpm-workspace.yaml above it)';
  const manifest = join(root, 'apps', 'bench', 'package.json');
  if (!existsSync(manifest)) return `${join(root, 'apps', 'bench')} does not exist`;
  try {
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown; scripts?: Record<string, string> };
    if (pkg.name !== BENCH_PACKAGE) return `${manifest} is not ${BENCH_PACKAGE}`;
    return { root, scripts: pkg.scripts ?? {} };
  } catch {
    return `${manifest} cannot be read`;
  }
}

export function benchCommand(): Command {
  const command = new Command('bench')
    .description(
      `run the benchmark app's quick run (pnpm --filter ${BENCH_PACKAGE} bench:quick); needs the synaptic monorepo and pnpm`,
    )
    .argument('[args...]', 'arguments for the benchmark, after --: synaptic bench -- --suite mnist')
    .option('--full', 'the full run (bench) instead of the quick one; writes BENCHMARKS.md')
    .option('--dry-run', 'print the command and where it would run, and stop');
  addCommonOptions(command);
  command.addHelpText('after', '\nExamples:\n  synaptic bench\n  synaptic bench -- --suite mnist');
  return command.action(async (args: string[], options: BenchOptions) => {
    const out = new Output(options);
    const bench = findBench();
    if (typeof bench === 'string') {
      throw new CliError(
        `the benchmark app is not available: ${bench}; synaptic bench runs apps/bench of the synaptic repository (git clone it, pnpm install, then run synaptic bench there)`,
        EXIT.FAILURE,
      );
    }
    const script = options.full ? 'bench' : 'bench:quick';
    if (!bench.scripts[script]) throw new CliError(`the benchmark app has no "${script}" script`, EXIT.FAILURE);
    // pnpm passes what follows the script name on to it (a `--` would be passed on literally)
    const argv = ['--filter', BENCH_PACKAGE, script, ...args];
    const shown = `pnpm ${argv.join(' ')}`;
    if (options.dryRun) {
      out.result(`${shown}\n(in ${bench.root})`);
      out.document({ command: 'bench', run: shown, cwd: bench.root, dryRun: true });
      return;
    }
    out.status(`running ${shown} in ${bench.root}`);
    const started = performance.now();
    const code = await interruptible(
      () =>
        new Promise<number>((resolvePromise, reject) => {
          // with --json, the benchmark's own output goes to stderr so stdout carries the JSON document only
          const child = spawn('pnpm', argv, {
            cwd: bench.root,
            stdio: ['inherit', options.json ? process.stderr : 'inherit', 'inherit'],
          });
          const onAbort = (): void => {
            child.kill('SIGINT');
          };
          interruption.addEventListener('abort', onAbort);
          child.on('error', (error: NodeJS.ErrnoException) => {
            interruption.removeEventListener('abort', onAbort);
            reject(
              error.code === 'ENOENT'
                ? new CliError(
                    'pnpm is not on the PATH: the benchmark app runs through pnpm (corepack enable, or npm install -g pnpm)',
                    EXIT.FAILURE,
                  )
                : error,
            );
          });
          child.on('close', (exitCode, signal) => {
            interruption.removeEventListener('abort', onAbort);
            if (interruption.aborted || signal === 'SIGINT')
              reject(new InterruptedError('interrupted: the benchmark was stopped'));
            else resolvePromise(exitCode ?? EXIT.FAILURE);
          });
        }),
    );
    const seconds = (performance.now() - started) / 1000;
    out.document({ command: 'bench', run: shown, cwd: bench.root, exitCode: code, seconds });
    if (code !== 0) throw new CliError(`the benchmark exited with code ${code}`, EXIT.FAILURE);
  });
}

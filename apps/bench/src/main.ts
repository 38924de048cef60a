/**
 * Benchmark runner: runs the registered suites (SIZE, MNIST, MNIST-FULL, BATCH, CONV, LSTM, COMPILE, TRANSFORMER) in one go, prints
 * tables, ratios and targets, and writes BENCHMARKS.md at the repository root (not with --quick unless --write).
 * A run of some suites (`--suite`) into an existing file replaces only their sections and targets.
 *
 *   pnpm bench                 # full run, writes BENCHMARKS.md
 *   pnpm bench:quick           # small sizes, nothing written (CI smoke test)
 *   tsx src/main.ts --help
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import { renderReportText, renderTargetsText } from './lib/console.js';
import { machineInfo, formatGiB } from './lib/machine.js';
import { mergeBenchmarksMarkdown, renderBenchmarksMarkdown } from './lib/markdown.js';
import type { Suite, SuiteReport } from './suite.js';
import { batchSuite } from './suites/batch.js';
import { compileSuite } from './suites/compile.js';
import { convSuite } from './suites/conv.js';
import { lstmSuite } from './suites/lstm.js';
import { mnistSuite } from './suites/mnist.js';
import { mnistFullSuite } from './suites/mnist-full.js';
import { sizeSuite } from './suites/size.js';
import { transformerSuite } from './suites/transformer.js';
import { measuredPackages } from './systems.js';

/** Suite registry: suites run in this order. Add new suites here. */
export const SUITES: readonly Suite[] = [
  sizeSuite,
  mnistSuite,
  mnistFullSuite,
  batchSuite,
  convSuite,
  lstmSuite,
  compileSuite,
  transformerSuite,
];

const DEFAULT_OUT = fileURLToPath(new URL('../../../BENCHMARKS.md', import.meta.url));

interface CliOptions {
  quick: boolean;
  write: boolean;
  sizes?: number[];
  timeout: number;
  slowPeers: boolean;
  strict: boolean;
  suite?: string[];
  out: string;
}

function parseSizes(value: string): number[] {
  const sizes = value.split(',').map((s) => Number(s.trim()));
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new InvalidArgumentError('expected a comma-separated list of positive integers, e.g. 256,512');
  }
  return sizes;
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new InvalidArgumentError('expected a positive number of seconds');
  return seconds;
}

function parseCli(argv: string[]): CliOptions {
  const program = new Command()
    .name('bench')
    .description(
      'Measures @synaptic/core and @synaptic/compile against synaptic 1.x, neataptic, brain.js, TensorFlow.js and hand-written loops; writes BENCHMARKS.md',
    )
    .option(
      '--quick',
      'tiny sizes for a smoke test (SIZE: N=32, 64; MNIST: 100 digits; LSTM: 30 steps; COMPILE: 64-64-64; TRANSFORMER: 2 rounds of 0.2 s), all systems, no BENCHMARKS.md',
      false,
    )
    .option('--write', 'write BENCHMARKS.md even with --quick', false)
    .option('--sizes <list>', 'SIZE suite: comma-separated N of Perceptron(N, N, N) (default 256,512,1024)', parseSizes)
    .option('--timeout <seconds>', 'timeout of each child process', parseSeconds, 120)
    .option(
      '--slow-peers',
      'also run peers at sizes where they are known to be very slow (synaptic 1.x above N=256)',
      false,
    )
    .option('--strict', 'exit with code 1 when a target FAILs', false)
    .addOption(new Option('--suite <ids...>', 'suites to run (default: all)').choices(SUITES.map((s) => s.id)))
    .option('--out <file>', 'where to write the markdown', DEFAULT_OUT)
    .showHelpAfterError();
  // pnpm 10 passes a `--` through to the script (`pnpm bench -- --quick`): it is not an argument here
  const args = argv.slice(2);
  if (args[0] === '--') args.shift();
  program.parse(args, { from: 'user' });
  return program.opts<CliOptions>();
}

async function main(): Promise<void> {
  const cli = parseCli(process.argv);
  const machine = machineInfo();
  const started = new Date();
  const load = loadavg();
  const log = (line: string): void => console.log(line);

  log(`synaptic benchmarks, ${started.toISOString()}${cli.quick ? ' (quick)' : ''}`);
  log(
    `machine: ${machine.cpu}, ${machine.cores} cores, ${formatGiB(machine.totalMemoryBytes)}, Node ${machine.node}, ${machine.platform}`,
  );
  const versions = measuredPackages();
  log(`versions: ${versions.map((v) => `${v.packageName}@${v.version}`).join(', ')}`);
  log(`load average: ${load.map((x) => x.toFixed(2)).join(' / ')} (1 / 5 / 15 min)`);

  const selected = cli.suite ? SUITES.filter((s) => cli.suite?.includes(s.id)) : SUITES;
  const reports: SuiteReport[] = [];
  for (const suite of selected) {
    log('');
    const report = await suite.run({
      quick: cli.quick,
      sizes: cli.sizes,
      timeoutMs: cli.timeout * 1000,
      slowPeers: cli.slowPeers,
      log,
    });
    reports.push(report);
    log('');
    log(renderReportText(report));
  }

  const targets = reports.flatMap((r) => r.targets);
  log('');
  log(renderTargetsText(targets));
  const failed = targets.filter((t) => t.status === 'FAIL');
  if (failed.length > 0) {
    log(`${failed.length} target(s) FAILED${cli.strict ? '' : ' (exit code stays 0 without --strict)'}`);
    if (cli.strict) process.exitCode = 1;
  }

  if (!cli.quick || cli.write) {
    const command = `pnpm bench${process.argv.slice(2).length > 0 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
    const doc = { date: started, command, machine, versions, reports };
    // some suites: their sections and targets replace those of the file's earlier runs
    const merge = cli.suite !== undefined && selected.length < SUITES.length && existsSync(cli.out);
    writeFileSync(
      cli.out,
      merge ? mergeBenchmarksMarkdown(readFileSync(cli.out, 'utf8'), doc, load) : renderBenchmarksMarkdown(doc),
    );
    log(`wrote ${cli.out}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});

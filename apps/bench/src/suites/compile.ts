/**
 * COMPILE suite: what `optimize` from @synaptic/compile costs: time to generate and compile the
 * code (optimize + first activate), the generated source's size, the memory it adds, and the
 * compiled step time. Each (shape, cold/warm) in its own `node --expose-gc` process.
 */
import { fileURLToPath } from 'node:url';
import { hasFiniteNumbers, notMeasuredText, runWorker, type Outcome } from '../lib/outcome.js';
import { formatKB, formatMB, formatMs } from '../lib/ratio.js';
import { notRun, thresholdTarget, type Comparison } from '../lib/targets.js';
import type { Table } from '../lib/table.js';
import type { ReportBlock, RunOptions, Suite, SuiteReport, TargetResult } from '../suite.js';
import type { CompileSample } from '../workers/compile-worker.js';

export type Shape = readonly [inputs: number, hidden: number, outputs: number];
export type CompileMode = 'cold' | 'warm';

export const BIG_SHAPE: Shape = [1024, 1024, 1024];
export const QUICK_BIG_SHAPE: Shape = [64, 64, 64];
export const MNIST_SHAPE: Shape = [784, 100, 10];

export const TARGET_BIG_COMPILE_MS = 200;
export const TARGET_BIG_STEP_MS = 20;
export const TARGET_MNIST_COMPILE_MS = 50;
export const TARGET_MNIST_SOURCE_BYTES = 50 * 1024;
const BYTES_PER_WEIGHT = 8;

const WORKER = fileURLToPath(new URL('../workers/compile-worker.ts', import.meta.url));
const NODE_ARGS = ['--expose-gc', '--max-old-space-size=4096'];

export type CompileOutcome = Outcome<CompileSample> & { shape: Shape; mode: CompileMode };

export interface CompileSuiteOptions {
  shapes: readonly Shape[];
  modes: readonly CompileMode[];
  /** timed steps per process (median reported) */
  steps: number;
  timeoutMs: number;
  log?: (line: string) => void;
}

function isCompileSample(value: unknown): value is CompileSample {
  return (
    hasFiniteNumbers(value, [
      'connections',
      'buildMs',
      'compileMs',
      'sourceChars',
      'compileAddedBytes',
      'networkBytes',
      'stepMedianMs',
    ]) && Array.isArray((value as { stepMs?: unknown }).stepMs)
  );
}

export function shapeName(shape: Shape): string {
  return shape.join('-');
}

function sameShape(a: Shape, b: Shape): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
}

export async function measureOne(
  shape: Shape,
  mode: CompileMode,
  options: CompileSuiteOptions,
): Promise<CompileOutcome> {
  const args = [...shape.map(String), mode, String(options.steps)];
  const outcome = await runWorker(
    { script: WORKER, args, timeoutMs: options.timeoutMs, nodeArgs: NODE_ARGS },
    isCompileSample,
  );
  return { ...outcome, shape, mode };
}

export async function measureCompile(options: CompileSuiteOptions): Promise<CompileOutcome[]> {
  const outcomes: CompileOutcome[] = [];
  for (const shape of options.shapes) {
    for (const mode of options.modes) {
      const label = `[compile] ${shapeName(shape)} ${mode}`;
      options.log?.(`${label} …`);
      const o = await measureOne(shape, mode, options);
      options.log?.(
        `${label}: ${
          o.status === 'ok'
            ? `compile ${formatMs(o.sample.compileMs)} ms, source ${formatKB(o.sample.sourceChars)} KB, +${formatMB(o.sample.compileAddedBytes)} MB, step ${formatMs(o.sample.stepMedianMs)} ms`
            : notMeasuredText(o)
        }`,
      );
      outcomes.push(o);
    }
  }
  return outcomes;
}

const MODE_TEXT: Record<CompileMode, string> = {
  cold: 'cold (first compile in the process)',
  warm: 'warm (after compiling a 16-16-16 network)',
};

function tableFor(outcomes: readonly CompileOutcome[]): Table {
  return {
    headers: [
      'Compile',
      'optimize + 1st activate (ms)',
      'Source (KB)',
      'Memory added by compiling (MB)',
      'Weights × 8 B (MB)',
      'Network built (MB)',
      'Step, median (ms)',
    ],
    rows: outcomes.map((o) => {
      if (o.status !== 'ok') return [MODE_TEXT[o.mode], notMeasuredText(o), '–', '–', '–', '–', '–'];
      const s = o.sample;
      return [
        MODE_TEXT[o.mode],
        formatMs(s.compileMs),
        formatKB(s.sourceChars),
        formatMB(s.compileAddedBytes),
        formatMB(s.connections * BYTES_PER_WEIGHT),
        formatMB(s.networkBytes),
        `${formatMs(s.stepMedianMs)} (of ${s.stepMs.length})`,
      ];
    }),
  };
}

function find(outcomes: readonly CompileOutcome[], shape: Shape, mode: CompileMode): CompileOutcome | undefined {
  return outcomes.find((o) => o.mode === mode && sameShape(o.shape, shape));
}

interface TargetSpec {
  name: string;
  shape: Shape;
  value: (s: CompileSample) => number;
  threshold: (s: CompileSample) => number;
  compare: Comparison;
  format: (v: number) => string;
}

const ms = (v: number): string => `${formatMs(v)} ms`;

/** Targets, checked on the warm process of each shape; NOT RUN when the shape was not run. */
export function compileTargets(outcomes: readonly CompileOutcome[]): TargetResult[] {
  const big = shapeName(BIG_SHAPE);
  const mnist = shapeName(MNIST_SHAPE);
  const bigWeights = BIG_SHAPE[0] * BIG_SHAPE[1] + BIG_SHAPE[1] * BIG_SHAPE[2];
  const weightsText = `${bigWeights.toLocaleString('en-US')} × 8 B = ${((bigWeights * BYTES_PER_WEIGHT) / 1e6).toFixed(1)} million bytes, ${formatMB(bigWeights * BYTES_PER_WEIGHT)} MB`;
  const specs: TargetSpec[] = [
    {
      name: `COMPILE ${big} optimize + 1st activate < ${TARGET_BIG_COMPILE_MS} ms`,
      shape: BIG_SHAPE,
      value: (s) => s.compileMs,
      threshold: () => TARGET_BIG_COMPILE_MS,
      compare: 'below',
      format: ms,
    },
    {
      name: `COMPILE ${big} step < ${TARGET_BIG_STEP_MS} ms`,
      shape: BIG_SHAPE,
      value: (s) => s.stepMedianMs,
      threshold: () => TARGET_BIG_STEP_MS,
      compare: 'below',
      format: ms,
    },
    {
      name: `COMPILE ${big} memory added <= the weights' bytes (${weightsText})`,
      shape: BIG_SHAPE,
      value: (s) => s.compileAddedBytes,
      threshold: (s) => s.connections * BYTES_PER_WEIGHT,
      compare: 'atMost',
      format: (v) => `${formatMB(v)} MB`,
    },
    {
      name: `COMPILE ${mnist} optimize + 1st activate < ${TARGET_MNIST_COMPILE_MS} ms`,
      shape: MNIST_SHAPE,
      value: (s) => s.compileMs,
      threshold: () => TARGET_MNIST_COMPILE_MS,
      compare: 'below',
      format: ms,
    },
    {
      name: `COMPILE ${mnist} source < ${TARGET_MNIST_SOURCE_BYTES / 1024} KB`,
      shape: MNIST_SHAPE,
      value: (s) => s.sourceChars,
      threshold: () => TARGET_MNIST_SOURCE_BYTES,
      compare: 'below',
      format: (v) => `${formatKB(v)} KB`,
    },
  ];
  return specs.map((spec) => {
    const o = find(outcomes, spec.shape, 'warm');
    if (o === undefined) return notRun(spec.name, `${shapeName(spec.shape)} not in this run`);
    if (o.status !== 'ok') return { name: spec.name, status: 'FAIL', measured: notMeasuredText(o) };
    return thresholdTarget({
      name: spec.name,
      value: spec.value(o.sample),
      threshold: spec.threshold(o.sample),
      compare: spec.compare,
      format: spec.format,
    });
  });
}

function method(options: CompileSuiteOptions): string {
  return [
    'Each (network, cold/warm) runs in its own `node --expose-gc` process (TypeScript through tsx), on `@synaptic/core` and `@synaptic/compile` from their built `dist/`.',
    'The network is three Layers projected ALL_TO_ALL (weights from a seeded `Math.random`). After a full GC (`gc()` twice) the process reads `process.memoryUsage()`,',
    'times `optimize(net)` plus the first `net.activate(x)` (which plans, generates and compiles the code: `optimize` itself only attaches it), reads the length of',
    '`net.executor().source`, runs a full GC again and reads memory again: the memory added by compiling is the difference in `heapUsed + external` (`external` includes',
    '`arrayBuffers`, so typed arrays count once), in MB of 2^20 bytes, compared with the bytes of the weights alone (connections × 8). "Network built" is what building',
    `the network took, measured the same way. The step time is the median of ${options.steps} \`activate\` + \`propagate(0.1, t)\` after two untimed steps.`,
    "*cold* is the first compile in the process (the compiler's own code not yet optimized by the JIT), as a user's first `optimize` is; *warm* first compiles and trains a",
    '16-16-16 network. The targets are checked on the warm process. Source size is in characters (the generated code is ASCII, so bytes), shown in KB of 1024.',
  ].join(' ');
}

export function compileReport(outcomes: readonly CompileOutcome[], options: CompileSuiteOptions): SuiteReport {
  const blocks: ReportBlock[] = options.shapes.map((shape) => {
    const forShape = outcomes.filter((o) => sameShape(o.shape, shape));
    const warm = forShape.find((o) => o.mode === 'warm');
    const bullets: string[] = [];
    if (warm?.status === 'ok') {
      const s = warm.sample;
      bullets.push(
        `${s.connections.toLocaleString('en-US')} connections; compiling added ${formatMB(s.compileAddedBytes)} MB, ` +
          `${((s.compileAddedBytes / (s.connections * BYTES_PER_WEIGHT)) * 100).toFixed(1)}% of the weights' own ${formatMB(s.connections * BYTES_PER_WEIGHT)} MB; ` +
          `building the network (interpreted) took ${formatMs(s.buildMs)} ms`,
      );
    }
    return { heading: `Layers ${shape.join(' → ')}, compiled`, table: tableFor(forShape), bullets };
  });
  return {
    id: 'compile',
    title: 'COMPILE: cost of optimize() from @synaptic/compile',
    summary: `Networks ${options.shapes.map(shapeName).join(', ')}; ${options.modes.join(' and ')} processes; step median of ${options.steps}; timeout ${options.timeoutMs / 1000} s per child process.`,
    blocks,
    targets: compileTargets(outcomes),
    method: method(options),
  };
}

export const compileSuite: Suite = {
  id: 'compile',
  title: 'COMPILE',
  async run(options: RunOptions): Promise<SuiteReport> {
    const compileOptions: CompileSuiteOptions = {
      shapes: [options.quick ? QUICK_BIG_SHAPE : BIG_SHAPE, MNIST_SHAPE],
      modes: ['cold', 'warm'],
      steps: options.quick ? 9 : 21,
      timeoutMs: options.timeoutMs,
      log: options.log,
    };
    return compileReport(await measureCompile(compileOptions), compileOptions);
  },
};

/**
 * MNIST suite: a 784-100-10 logistic network on real MNIST digits (the `mnist` package), online
 * SGD at rate 0.1. Training and inference throughput of each system, each in its own child
 * process, plus test accuracy after one pass as a sanity check.
 */
import { fileURLToPath } from 'node:url';
import { bestOutcome, hasFiniteNumbers, notMeasuredText, runWorker, type Outcome } from '../lib/outcome.js';
import { formatFactor, formatPercent, formatRate, ratio } from '../lib/ratio.js';
import { notRun, thresholdTarget } from '../lib/targets.js';
import type { Table } from '../lib/table.js';
import type { ReportBlock, RunOptions, Suite, SuiteReport, TargetResult } from '../suite.js';
import { benchLabel, MNIST_SYSTEM_IDS, type MnistSystemId } from '../systems.js';
import type { MnistSample } from '../workers/mnist-worker.js';

export interface MnistConfig {
  /** Digits of the timed training pass (and of the inference passes). */
  digits: number;
  /** Digits of the warm-up pass, before timing (not part of `digits`). */
  warm: number;
  /** Test digits for the accuracy check. */
  test: number;
  /** synaptic 1.x trains on only this many of the digits (its throughput is scaled to `digits`). */
  synaptic1Digits: number;
  /** Training and inference passes are repeated up to this many times (within a time budget); the median is reported. */
  maxRuns: number;
  /** Each system is measured in this many processes, interleaved with the others; the best is reported. */
  rounds: number;
}

export const FULL_MNIST: MnistConfig = {
  digits: 2000,
  warm: 100,
  test: 1000,
  synaptic1Digits: 200,
  maxRuns: 3,
  rounds: 2,
};
export const QUICK_MNIST: MnistConfig = {
  digits: 100,
  warm: 10,
  test: 100,
  synaptic1Digits: 20,
  maxRuns: 1,
  rounds: 1,
};

/** Targets, as ratios of synaptic 2 compiled's throughput to the other system's. */
export const TARGET_VS_HAND_TRAIN = 0.9;
export const TARGET_VS_HAND_INFER = 1.0;
export const TARGET_VS_SYNAPTIC1_TRAIN = 100;
export const TARGET_VS_BRAIN_TRAIN = 5;

const WORKER = fileURLToPath(new URL('../workers/mnist-worker.ts', import.meta.url));
const NODE_ARGS = ['--max-old-space-size=4096'];

export type MnistOutcome = Outcome<MnistSample> & { system: MnistSystemId };

export interface MnistOptions extends MnistConfig {
  timeoutMs: number;
  quick: boolean;
  systems?: readonly MnistSystemId[];
  log?: (line: string) => void;
}

function isMnistSample(value: unknown): value is MnistSample {
  return (
    hasFiniteNumbers(value, [
      'trained',
      'warm',
      'batch',
      'trainPerSec',
      'inferred',
      'inferPerSec',
      'setupMs',
      'accuracy',
      'tested',
    ]) && typeof (value as { system?: unknown }).system === 'string'
  );
}

/** Digits timed for a system: synaptic 1.x only trains on a few (it does ~30-50 samples/s). */
export function digitsFor(system: MnistSystemId, config: MnistConfig): number {
  return system === 'synaptic1' ? Math.min(config.synaptic1Digits, config.digits) : config.digits;
}

export async function measureOne(system: MnistSystemId, options: MnistOptions): Promise<MnistOutcome> {
  const args = [
    system,
    ...[options.digits, options.warm, options.test, digitsFor(system, options), options.maxRuns].map(String),
  ];
  const outcome = await runWorker(
    { script: WORKER, args, timeoutMs: options.timeoutMs, nodeArgs: NODE_ARGS },
    isMnistSample,
  );
  return { ...outcome, system };
}

function describeOutcome(o: MnistOutcome): string {
  if (o.status !== 'ok') return notMeasuredText(o);
  const s = o.sample;
  return `train ${formatRate(s.trainPerSec)}/s, infer ${formatRate(s.inferPerSec)}/s, accuracy ${formatPercent(s.accuracy)}`;
}

/**
 * The best of a system's rounds: the round with the highest training throughput, with the
 * highest inference throughput of any round (each is the least disturbed measurement).
 */
export function bestOfRounds(system: MnistSystemId, rounds: readonly MnistOutcome[]): MnistOutcome {
  const best = bestOutcome(rounds, (s) => s.trainPerSec);
  if (best.status !== 'ok') return { ...best, system };
  const fastestInference = bestOutcome(rounds, (s) => s.inferPerSec);
  if (fastestInference.status !== 'ok') return { ...best, system };
  const { inferRuns, inferPerSec } = fastestInference.sample;
  return { status: 'ok', sample: { ...best.sample, inferRuns, inferPerSec }, system };
}

/** Every system in its own child process, one at a time; `rounds` times over, interleaved. */
export async function measureMnist(options: MnistOptions): Promise<MnistOutcome[]> {
  const systems = options.systems ?? MNIST_SYSTEM_IDS;
  const rounds = new Map<MnistSystemId, MnistOutcome[]>(systems.map((s) => [s, []]));
  for (let round = 1; round <= options.rounds; round++) {
    const tag = options.rounds > 1 ? ` (round ${round}/${options.rounds})` : '';
    for (const system of systems) {
      options.log?.(`[mnist] ${benchLabel(system)}${tag} …`);
      const outcome = await measureOne(system, options);
      options.log?.(`[mnist] ${benchLabel(system)}${tag}: ${describeOutcome(outcome)}`);
      rounds.get(system)?.push(outcome);
      // a peer that cannot be installed will not be in the next round either
      if (outcome.status === 'unavailable') rounds.set(system, [outcome]);
    }
  }
  return systems.map((system) => bestOfRounds(system, rounds.get(system) ?? []));
}

function sampleOf(outcomes: readonly MnistOutcome[], system: MnistSystemId): MnistSample | null {
  const o = outcomes.find((x) => x.system === system);
  return o?.status === 'ok' ? o.sample : null;
}

/** compiled ÷ system, for training or inference throughput; null without both numbers. */
export function compiledOver(
  outcomes: readonly MnistOutcome[],
  system: MnistSystemId,
  what: 'train' | 'infer',
): number | null {
  const compiled = sampleOf(outcomes, 'compiled');
  const other = sampleOf(outcomes, system);
  if (compiled === null || other === null) return null;
  return what === 'train'
    ? ratio(compiled.trainPerSec, other.trainPerSec)
    : ratio(compiled.inferPerSec, other.inferPerSec);
}

function mnistTable(outcomes: readonly MnistOutcome[], options: MnistOptions): Table {
  const fmtRatio = (r: number | null): string => (r === null ? '–' : formatFactor(r));
  return {
    headers: [
      'System',
      'Batch',
      'Digits timed',
      'Training (samples/s)',
      `One pass over ${options.digits} (s)`,
      'Inference (samples/s)',
      'Compiled ÷ system, training',
      'Compiled ÷ system, inference',
      `Test accuracy (${options.test} digits)`,
    ],
    rows: outcomes.map((o) => {
      const label = benchLabel(o.system);
      if (o.status !== 'ok') return [label, '–', '–', notMeasuredText(o), '–', '–', '–', '–', '–'];
      const s = o.sample;
      const scaled = s.trained < options.digits;
      const pass = options.digits / s.trainPerSec;
      return [
        label,
        String(s.batch),
        scaled ? `${s.trained} only` : String(s.trained),
        formatRate(s.trainPerSec),
        scaled ? `${pass.toFixed(1)} (scaled from ${s.trained})` : pass.toFixed(2),
        formatRate(s.inferPerSec),
        fmtRatio(compiledOver(outcomes, o.system, 'train')),
        fmtRatio(compiledOver(outcomes, o.system, 'infer')),
        scaled ? `${formatPercent(s.accuracy)} (after ${s.warm + s.trained} digits)` : formatPercent(s.accuracy),
      ];
    }),
  };
}

function ratioBullets(outcomes: readonly MnistOutcome[]): string[] {
  const lines: string[] = [];
  for (const o of outcomes) {
    if (o.system === 'compiled') continue;
    const label = benchLabel(o.system);
    if (o.status !== 'ok') {
      lines.push(`synaptic 2 compiled vs ${label}: no ratio, ${notMeasuredText(o)}`);
      continue;
    }
    const train = compiledOver(outcomes, o.system, 'train');
    const infer = compiledOver(outcomes, o.system, 'infer');
    if (train === null || infer === null) {
      lines.push(`synaptic 2 compiled vs ${label}: no ratio, synaptic 2 compiled was not measured`);
      continue;
    }
    lines.push(
      `synaptic 2 compiled vs ${label}: ${formatFactor(train)} the training throughput, ${formatFactor(infer)} the inference throughput`,
    );
  }
  return lines;
}

/** PASS/FAIL of the MNIST targets; NOT RUN in a quick run or when the peer could not be measured. */
export function mnistTargets(outcomes: readonly MnistOutcome[], options: MnistOptions): TargetResult[] {
  const specs: Array<{ name: string; system: MnistSystemId; what: 'train' | 'infer'; threshold: number }> = [
    {
      name: `MNIST compiled vs hand-written, training >= ${TARGET_VS_HAND_TRAIN}x`,
      system: 'hand-written',
      what: 'train',
      threshold: TARGET_VS_HAND_TRAIN,
    },
    {
      name: `MNIST compiled vs hand-written, inference >= ${TARGET_VS_HAND_INFER.toFixed(1)}x`,
      system: 'hand-written',
      what: 'infer',
      threshold: TARGET_VS_HAND_INFER,
    },
    {
      name: `MNIST compiled vs ${benchLabel('synaptic1')}, training >= ${TARGET_VS_SYNAPTIC1_TRAIN}x (~100x)`,
      system: 'synaptic1',
      what: 'train',
      threshold: TARGET_VS_SYNAPTIC1_TRAIN,
    },
    {
      name: `MNIST compiled vs ${benchLabel('brain')}, training >= ${TARGET_VS_BRAIN_TRAIN}x (~5x)`,
      system: 'brain',
      what: 'train',
      threshold: TARGET_VS_BRAIN_TRAIN,
    },
  ];
  return specs.map((spec) => {
    if (options.quick) return notRun(spec.name, `quick run (${options.digits} digits)`);
    const compiled = outcomes.find((o) => o.system === 'compiled');
    const other = outcomes.find((o) => o.system === spec.system);
    if (compiled === undefined || other === undefined) return notRun(spec.name, 'not in this run');
    if (compiled.status !== 'ok')
      return { name: spec.name, status: 'FAIL', measured: `synaptic 2 compiled: ${notMeasuredText(compiled)}` };
    if (other.status !== 'ok') return notRun(spec.name, `${benchLabel(spec.system)}: ${notMeasuredText(other)}`);
    return thresholdTarget({
      name: spec.name,
      value: compiledOver(outcomes, spec.system, spec.what),
      threshold: spec.threshold,
      format: formatFactor,
    });
  });
}

function method(options: MnistOptions): string {
  const paragraphs: string[][] = [
    [
      `Data: the \`mnist\` package's digits (nothing is downloaded): \`mnist.set(${options.warm + options.digits}, ${options.test})\` with \`Math.random\` seeded for its shuffle,`,
      `so every system sees the same digits in the same order; the first ${options.warm} training digits are the warm-up, the next ${options.digits} the timed pass.`,
    ],
    [
      'Each system runs in its own `node` process (TypeScript through tsx). It builds a 784-100-10 network with `Math.random` seeded (TensorFlow.js: Glorot-uniform kernels with a fixed seed),',
      `trains it on the ${options.warm} warm-up digits (this includes any code generation: synaptic 2's \`optimize\`, synaptic 1.x's optimizer, the JIT), then times one pass of online training at rate 0.1`,
      `over the timed digits with \`performance.now()\`. Build, warm-up and pass are repeated on fresh, identically seeded networks while under 4 s of wall-clock time have passed (at most ${options.maxRuns} passes), and the median pass is reported.`,
      `Inference is then timed over the same digits with the trained network (median of up to ${options.maxRuns} passes), and accuracy (argmax) is checked on the test digits, untimed.`,
      `Each system is measured in ${options.rounds} separate process${options.rounds > 1 ? 'es' : ''}, the rounds interleaved (every system once, then every system again), and the table shows the best training and the best inference`,
      'throughput of its rounds: on a shared machine, interference only slows a system down.',
      'Throughput is digits per second; "Compiled ÷ system" divides synaptic 2 compiled\'s throughput by the system\'s (above 1: compiled is faster).',
    ],
    [
      "**hand-written** is two matrix-vector products over Float64Arrays (`apps/bench/src/nets/hand-written.ts`) with synaptic's rule: output delta `t - y`, with no logistic derivative at the output",
      "(synaptic's output units take the plain error), and hidden delta `h(1-h) * W2ᵀ delta` computed with W2 *already updated* by this step, as synaptic does (its output layer propagates, and so",
      "updates its weights, before the hidden layer reads them); weights are drawn in synaptic's order.",
    ],
    [
      '**synaptic 2** is three `@synaptic/core` Layers projected ALL_TO_ALL in a Network, from the built `dist/`: *compiled* after `optimize(net)` from `@synaptic/compile` (its default, non-exact mode),',
      '*interpreted* without; `net.activate(x)`, `net.propagate(0.1, t)`.',
      `**synaptic 1.x** is \`new Architect.Perceptron(784, 100, 10)\` in its default optimized mode (how its users ran it). It is slow, so it trains on only ${options.synaptic1Digits} digits and its`,
      'one-pass time is scaled from them; its accuracy is after those few digits.',
      '**neataptic** is `new architect.Perceptron(784, 100, 10)`, `activate(x)`, `propagate(0.1, 0, true, t)`.',
    ],
    [
      "**brain.js** is `new NeuralNetwork({ hiddenLayers: [100], activation: 'sigmoid', learningRate: 0.1 })`, trained with `net.train(digits, { iterations: 1, learningRate: 0.1 })` (one pass;",
      'brain.js keeps its default momentum 0.1, uses the logistic derivative at the output and Float32Arrays, and converts the data on each `train` call) and run with `net.run(x)`.',
    ],
    [
      '**TensorFlow.js** is a `@tensorflow/tfjs-layers` Sequential dense(100, sigmoid) -> dense(10, sigmoid), SGD(0.1), meanSquaredError (the mean over the 10 outputs, so its effective step is',
      'smaller and its accuracy after one pass is not comparable), trained with `model.fit(xs, ys, { batchSize, epochs: 1, shuffle: false })` on the `cpu` backend and on the `wasm` backend',
      "(the .wasm binaries from the package's `dist/`, SIMD, one thread); inference is `model.predict` on a [batch, 784] tensor then `dataSync()`. Batch 1, plus a wasm row at batch 32 for",
      'both training and inference.',
    ],
    ['One run on a shared machine: compare systems within a run, not across runs.'],
  ];
  return paragraphs.map((lines) => lines.join(' ')).join('\n\n');
}

export function mnistReport(outcomes: readonly MnistOutcome[], options: MnistOptions): SuiteReport {
  const blocks: ReportBlock[] = [
    {
      heading: `Perceptron(784, 100, 10), one online pass over ${options.digits} digits`,
      table: mnistTable(outcomes, options),
      bullets: ratioBullets(outcomes),
    },
  ];
  return {
    id: 'mnist',
    title: 'MNIST: Perceptron(784, 100, 10) on real digits',
    summary:
      `${options.digits} timed training digits after ${options.warm} warm-up digits, ${options.test} test digits, online SGD at rate 0.1; ` +
      `synaptic 1.x trains on ${digitsFor('synaptic1', options)} digits only; best of ${options.rounds} interleaved process${options.rounds > 1 ? 'es' : ''} per system; ` +
      `timeout ${options.timeoutMs / 1000} s per child process.`,
    blocks,
    targets: mnistTargets(outcomes, options),
    method: method(options),
  };
}

export const mnistSuite: Suite = {
  id: 'mnist',
  title: 'MNIST',
  async run(options: RunOptions): Promise<SuiteReport> {
    const mnistOptions: MnistOptions = {
      ...(options.quick ? QUICK_MNIST : FULL_MNIST),
      timeoutMs: options.timeoutMs,
      quick: options.quick,
      log: options.log,
    };
    return mnistReport(await measureMnist(mnistOptions), mnistOptions);
  },
};

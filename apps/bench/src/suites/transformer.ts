/**
 * TRANSFORMER suite (issue 15's block benchmark): training steps per second of one post-LN
 * Transformer block built by `@synaptic/architect`'s `TransformerBlock`, interpreted and compiled,
 * against a hand-written block of the same math, in ONE child process, in interleaved rounds; the
 * ratios are per round (the same load). Issue 15 asks for the measurement, with no threshold: the
 * one target is that the systems timed compute the same thing.
 */
import { fileURLToPath } from 'node:url';
import { notMeasuredText, runWorker } from '../lib/outcome.js';
import { formatFactor, formatRate } from '../lib/ratio.js';
import { median } from '../lib/stats.js';
import type { Table } from '../lib/table.js';
import { thresholdTarget } from '../lib/targets.js';
import type { ReportBlock, RunOptions, Suite, SuiteReport, TargetResult } from '../suite.js';
import {
  TRANSFORMER_SYSTEMS,
  type TransformerSample,
  type TransformerSystemId,
  type TransformerSystemSample,
} from '../transformer-sample.js';

export interface TransformerConfig {
  /** seconds each system is timed per round */
  seconds: number;
  rounds: number;
}
export const FULL_TRANSFORMER: TransformerConfig = { seconds: 3, rounds: 5 };
export const QUICK_TRANSFORMER: TransformerConfig = { seconds: 0.2, rounds: 2 };

/** The graph must compute the reference's outputs after the same steps to within this. */
export const TARGET_DIFFERENCE = 1e-10;

const WORKER = fileURLToPath(new URL('../workers/transformer-worker.ts', import.meta.url));

const LABELS: Record<TransformerSystemId, string> = {
  reference: 'hand-written reference (Float64Array loops)',
  interpreted: 'synaptic 2 TransformerBlock, interpreted',
  compiled: 'synaptic 2 TransformerBlock, compiled (optimize)',
};

function isTransformerSample(value: unknown): value is TransformerSample {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Partial<TransformerSample>;
  return typeof v.maxDifference === 'number' && typeof v.rounds === 'number' && Array.isArray(v.systems);
}

const systemOf = (sample: TransformerSample, id: TransformerSystemId) => sample.systems.find((s) => s.id === id);

/** Round by round (the same load): this system's steps/s ÷ the reference's. */
export function roundRatios(
  system: TransformerSystemSample | undefined,
  reference: TransformerSystemSample | undefined,
): number[] {
  if (!system || !reference) return [];
  const n = Math.min(system.rates.length, reference.rates.length);
  return Array.from({ length: n }, (_, k) => system.rates[k] / reference.rates[k]);
}

const range = (values: readonly number[]) =>
  `${formatFactor(median(values))} (${formatFactor(Math.min(...values))}–${formatFactor(Math.max(...values))})`;

export function transformerTable(sample: TransformerSample): Table {
  const reference = systemOf(sample, 'reference');
  const interpreted = systemOf(sample, 'interpreted');
  return {
    headers: [
      'System',
      'Steps/s (median of the rounds)',
      "÷ reference (median of the rounds' ratios, range)",
      'compiled ÷ interpreted',
      'CPU ÷ wall',
    ],
    rows: TRANSFORMER_SYSTEMS.flatMap((id) => {
      const s = systemOf(sample, id);
      if (!s || s.unavailable) return [];
      const vsReference = id === 'reference' ? [] : roundRatios(s, reference);
      const vsInterpreted = id === 'compiled' ? roundRatios(s, interpreted) : [];
      return [
        [
          LABELS[id],
          formatRate(median(s.rates)),
          vsReference.length > 0 ? range(vsReference) : '–',
          vsInterpreted.length > 0 ? range(vsInterpreted) : '–',
          s.cpuPerWall.toFixed(2),
        ],
      ];
    }),
  };
}

export function transformerTargets(sample: TransformerSample | null, why: string): TargetResult[] {
  return [
    thresholdTarget({
      name: `TRANSFORMER block: the graph (interpreted and compiled) computes the hand-written reference's outputs after the same SGD steps, max |difference| <= ${TARGET_DIFFERENCE}`,
      value: sample?.maxDifference ?? null,
      threshold: TARGET_DIFFERENCE,
      compare: 'atMost',
      format: (d) => d.toExponential(1),
      missing: why,
    }),
  ];
}

const loads = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(' / ');

export function transformerReport(
  sample: TransformerSample | null,
  why: string,
  config: TransformerConfig,
): SuiteReport {
  const blocks: ReportBlock[] = [];
  if (sample) {
    const { length, dModel, heads, ff } = sample.shape;
    blocks.push({
      heading: `One block: length ${length}, dModel ${dModel}, ${heads} heads, ff ${ff}; ${sample.rounds} interleaved rounds of ${sample.seconds} s`,
      table: transformerTable(sample),
      bullets: [
        `load average (1 / 5 / 15 min) at the start ${loads(sample.loadStart)}, at the end ${loads(sample.loadEnd)}`,
        `the graph's outputs against the reference's after the same steps, over the 32 inputs: max |difference| ${sample.maxDifference.toExponential(1)}`,
        ...sample.systems.filter((s) => s.unavailable).map((s) => `${LABELS[s.id]}: ${s.unavailable}`),
      ],
    });
  }
  return {
    id: 'transformer',
    title: 'TRANSFORMER: one block, graph vs. hand-written',
    summary: sample
      ? `training steps/s of one Transformer block, ${sample.rounds} rounds of ${sample.seconds} s per system, one process`
      : `not measured: ${why} (${config.rounds} rounds of ${config.seconds} s)`,
    blocks,
    targets: transformerTargets(sample, why),
    method:
      "One post-LN Transformer block (length 8, dModel 32, 2 heads, feed-forward 64, not causal: the block of issue 15's targets) three ways: `@synaptic/architect`'s `TransformerBlock` (attention, LayerNorm and the feed-forward part as graph layers and ops; weights from core's `setRandom(mulberry32(42))`) run by core's interpreter, the same graph after `@synaptic/compile`'s `optimize`, and a hand-written block of the same math in Float64Array loops (`src/nets/transformer-reference.ts`, given the graph's parameters; `test/transformer-reference.test.ts` checks it against the graph within 1e-12 and against finite differences), all from the packages' built `dist/`. A training step is forward on one sequence of 8 × 32 numbers, backward of E = Σ(y − t)² / 256 (∂E/∂θ for every parameter: `network.backward(t, { cost: cost.MSE })`, the reference's own backward), and θ −= 0.01 · ∂E/∂θ with the gradients zeroed; inputs and targets cycle through a seeded pool of 32 in [−1, 1]. Before timing, fresh copies of the three take 50 such steps from the same parameters and the graph's outputs on the 32 inputs are compared with the reference's (the target: the ratios compare the same computation). Then every system takes 50 untimed steps and is timed in rounds, in batches of 20 steps until the round's seconds are up, the order rotating from round to round, all in one child process; the ratios are taken round by round (the same load) and their median is reported, with the CPU time ÷ wall time of each system's rounds. Issue 15 sets no threshold on the speed.",
  };
}

export const transformerSuite: Suite = {
  id: 'transformer',
  title: 'TRANSFORMER',
  async run(options: RunOptions): Promise<SuiteReport> {
    const config = options.quick ? QUICK_TRANSFORMER : FULL_TRANSFORMER;
    options.log(`[transformer] one block, ${config.rounds} rounds of ${config.seconds} s per system …`);
    const outcome = await runWorker(
      {
        script: WORKER,
        args: [config.seconds, config.rounds].map(String),
        // three systems' rounds plus building and the check; a loaded machine gets 3x that
        timeoutMs: Math.max(options.timeoutMs, 3 * (3 * config.rounds * config.seconds * 1000 + 60_000)),
      },
      isTransformerSample,
    );
    const sample = outcome.status === 'ok' ? outcome.sample : null;
    return transformerReport(sample, outcome.status === 'ok' ? '' : notMeasuredText(outcome), config);
  },
};

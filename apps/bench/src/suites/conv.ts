/**
 * CONV suite: batched training of seed 003's convolutional network and of the LeNet-like one
 * (@synaptic/compile's compileBatch with convolution and pooling) against compiled code one
 * sample at a time and TensorFlow.js layers, every system in one child process, interleaved in
 * rotating chunks (see workers/conv-worker.ts), plus inference against tfjs wasm `predict`.
 * Accuracy on full MNIST is measured by the CLI (apps/bench/README.md, "CONV").
 */
import { fileURLToPath } from 'node:url';
import { hasFiniteNumbers, notMeasuredText, runWorker } from '../lib/outcome.js';
import { formatFactor, formatRate } from '../lib/ratio.js';
import { median } from '../lib/stats.js';
import type { Table } from '../lib/table.js';
import { thresholdTarget } from '../lib/targets.js';
import type { ReportBlock, RunOptions, Suite, SuiteReport, TargetResult } from '../suite.js';
import type { ConvNetId, ConvSample, ConvSystemSample } from '../workers/conv-worker.js';

export interface ConvConfig {
  rounds: number;
  chunkMs: number;
  digits: number;
}
export const FULL_CONV: ConvConfig = { rounds: 5, chunkMs: 1500, digits: 1000 };
export const QUICK_CONV: ConvConfig = { rounds: 2, chunkMs: 100, digits: 100 };

/** the target: training >= 2x tfjs-layers, same model, same run */
export const TARGET_VS_TFJS = 2;

const WORKER = fileURLToPath(new URL('../workers/conv-worker.ts', import.meta.url));

const NETS: Record<ConvNetId, string> = {
  seed003: "seed 003's net (9×9×3 tanh, 2×2 max pool, 10 logistic; MSE)",
  lenet: 'LeNet-like (5×5×6 and 5×5×16 RELU, 2×2 max pools, 100 RELU, softmax 10; cross-entropy)',
};

const LABELS: Record<string, string> = {
  'compiled-per-sample': 'synaptic 2 compiled, one sample at a time (step per 32)',
  'batch32-wasm-f64': 'compileBatch, wasm f64x2, batch 32',
  'batch32-wasm-f32': 'compileBatch, wasm f32x4, batch 32',
  'tfjs-cpu-b32': 'TensorFlow.js layers, cpu, batch 32',
  'tfjs-wasm-b32': 'TensorFlow.js layers, wasm, batch 32',
  'infer-batch32-wasm-f32': 'inference: compileBatch, wasm f32x4, batch 32',
  'infer-tfjs-wasm-b32': 'inference: TensorFlow.js predict, wasm, batch 32',
};

function isConvSample(value: unknown): value is ConvSample {
  if (!hasFiniteNumbers(value, ['rounds', 'chunkMs'])) return false;
  return Array.isArray((value as Partial<ConvSample>).systems);
}

const rate = (c: { samples: number; wallMs: number }) => (c.samples / c.wallMs) * 1000;

/** Per-round ratios of `a` to `b` (same round, so about the same load). */
export function convRatios(a: ConvSystemSample | undefined, b: ConvSystemSample | undefined): number[] {
  if (!a || !b) return [];
  const n = Math.min(a.chunks.length, b.chunks.length);
  return Array.from({ length: n }, (_, r) => rate(a.chunks[r]) / rate(b.chunks[r]));
}

export interface ConvSummary {
  id: string;
  net: ConvNetId;
  system: string;
  samplesPerSec: number;
  cpuOverWall: number;
  perCpuSecond: number;
  vsPerSample: number[];
  vsTfjs: number[];
}

/** The training peer of a net: tfjs on wasm when it could train there, else on cpu. */
function tfjsTrainer(byId: Map<string, ConvSystemSample>, net: ConvNetId): ConvSystemSample | undefined {
  return byId.get(`${net}/tfjs-wasm-b32`) ?? byId.get(`${net}/tfjs-cpu-b32`);
}

export function summarizeConv(sample: ConvSample): ConvSummary[] {
  const byId = new Map(sample.systems.map((s) => [s.id, s]));
  return sample.systems
    .filter((s) => s.chunks.length > 0)
    .map((s) => {
      const [net, system] = s.id.split('/') as [ConvNetId, string];
      const wall = s.chunks.reduce((t, c) => t + c.wallMs, 0);
      const cpu = s.chunks.reduce((t, c) => t + c.cpuMs, 0);
      const inference = system.startsWith('infer-');
      return {
        id: s.id,
        net,
        system,
        samplesPerSec: median(s.chunks.map(rate)),
        cpuOverWall: cpu / wall,
        perCpuSecond: (s.chunks.reduce((t, c) => t + c.samples, 0) / cpu) * 1000,
        vsPerSample: inference ? [] : convRatios(s, byId.get(`${net}/compiled-per-sample`)),
        vsTfjs: convRatios(s, inference ? byId.get(`${net}/infer-tfjs-wasm-b32`) : tfjsTrainer(byId, net)),
      };
    });
}

const spread = (ratios: number[]) =>
  ratios.length === 0
    ? '–'
    : `${formatFactor(median(ratios))} (${formatFactor(Math.min(...ratios))}–${formatFactor(Math.max(...ratios))})`;

export function convTable(summaries: readonly ConvSummary[]): Table {
  return {
    headers: [
      'Network',
      'System',
      'Samples/s (median)',
      'CPU ÷ wall',
      'Samples per CPU-second',
      '÷ one sample at a time, per round',
      '÷ tfjs, per round',
    ],
    rows: summaries.map((s) => [
      s.net === 'seed003' ? 'seed 003' : 'LeNet-like',
      LABELS[s.system] ?? s.system,
      formatRate(s.samplesPerSec),
      s.cpuOverWall.toFixed(2),
      formatRate(s.perCpuSecond),
      spread(s.vsPerSample),
      spread(s.vsTfjs),
    ]),
  };
}

export function convTargets(sample: ConvSample | null, why: string): TargetResult[] {
  const summaries = sample ? summarizeConv(sample) : [];
  const byId = new Map(sample?.systems.map((s) => [s.id, s]) ?? []);
  return (['seed003', 'lenet'] as const).map((net) => {
    const f32 = summaries.find((s) => s.id === `${net}/batch32-wasm-f32`);
    const peer = tfjsTrainer(byId, net);
    const backend = peer?.id.endsWith('wasm-b32') ? 'wasm' : 'cpu, as tfjs 4.22 wasm cannot train conv2d';
    return thresholdTarget({
      name: `${net === 'seed003' ? "seed 003's net" : 'LeNet-like net'} training, batch 32 f32 >= ${TARGET_VS_TFJS}x tfjs-layers (${backend}; median per-round ratio)`,
      value: f32 && f32.vsTfjs.length > 0 ? median(f32.vsTfjs) : null,
      threshold: TARGET_VS_TFJS,
      format: formatFactor,
      missing: peer?.unavailable ?? why,
      missingStatus: peer?.unavailable ? 'NOT RUN' : 'FAIL',
    });
  });
}

export function convReport(sample: ConvSample | null, why: string, config: ConvConfig): SuiteReport {
  const blocks: ReportBlock[] = [];
  if (sample) {
    const summaries = summarizeConv(sample);
    for (const net of ['seed003', 'lenet'] as const)
      blocks.push({
        heading: NETS[net],
        table: convTable(summaries.filter((s) => s.net === net)),
        bullets: sample.systems
          .filter((s) => s.id.startsWith(`${net}/`) && s.unavailable)
          .map((s) => `${LABELS[s.id.split('/')[1]] ?? s.id}: ${s.unavailable}`),
      });
    if (sample.tfjsWasmTraining !== null)
      blocks[0].bullets.push(
        `tfjs wasm cannot train conv2d (${sample.tfjsWasmTraining}): the training peer is tfjs's cpu backend; inference compares with tfjs wasm`,
      );
  }
  return {
    id: 'conv',
    title: 'CONV: convolutional networks, batched, interleaved',
    summary: sample
      ? `${config.rounds} rounds of ${config.chunkMs} ms chunks per system, ${config.digits} MNIST digits cycled`
      : `not measured: ${why}`,
    blocks,
    targets: convTargets(sample, why),
    method:
      "Both networks are built by @synaptic/architect's Convolutional (the CLI's examples/seed-003.json and lenet.json) and trained with SGD at 0.05, one step per 32 samples, in one child process. TensorFlow.js layers builds the same model (conv2d, maxPooling2d, flatten, dense) and trains it with model.fit at batch 32; its wasm backend (4.22) lacks the Conv2DBackpropFilter kernel, so it trains on its cpu backend, and the inference rows compare with tfjs wasm predict. Inference is measured first (tfjs on wasm), then training, each as rounds of one chunk of about the chunk time per system, the order rotating. Samples/s is the median over rounds of a chunk's samples ÷ its wall time; ratios are taken within a round, then their median (range in brackets). CPU ÷ wall is the process's CPU time over wall time (below 1 it waited for a core). \"One sample at a time\" is compiled code's activate + backward per sample, what the trainer ran for these networks before compileBatch took convolution and pooling.",
  };
}

export const convSuite: Suite = {
  id: 'conv',
  title: 'CONV',
  async run(options: RunOptions): Promise<SuiteReport> {
    const config = options.quick ? QUICK_CONV : FULL_CONV;
    options.log(`[conv] ${config.rounds} rounds × ${config.chunkMs} ms per system, interleaved in one process …`);
    const outcome = await runWorker(
      {
        script: WORKER,
        args: [config.rounds, config.chunkMs, config.digits].map(String),
        // tfjs cpu needs seconds per batch of these nets on a loaded machine
        timeoutMs: Math.max(options.timeoutMs, 12 * config.rounds * (config.chunkMs + 20_000) + 120_000),
        nodeArgs: ['--max-old-space-size=4096'],
      },
      isConvSample,
    );
    const sample = outcome.status === 'ok' ? outcome.sample : null;
    return convReport(sample, outcome.status === 'ok' ? '' : notMeasuredText(outcome), config);
  },
};

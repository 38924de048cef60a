/**
 * BATCH suite: mini-batches as matrix products (@synaptic/compile's compileBatch, WebAssembly
 * SIMD and JavaScript kernels, parallelBatch over two threads) against the hand-written online
 * loop, compiled online SGD and TensorFlow.js (wasm backend, batch 32), on MNIST 784-100-10.
 *
 * Unlike the other suites, every system runs in ONE child process, interleaved in rotating chunks
 * (round r starts with system r): on a shared, loaded machine each round's systems see about the
 * same load, so the per-round ratios hold up where separate processes timed by wall clock do not.
 * CPU time is reported beside wall time, and GFLOP/s beside samples/s against the peak of a
 * multiply-add loop (JavaScript, WebAssembly f64x2 and f32x4) measured in the same run.
 */
import { fileURLToPath } from 'node:url';
import { hasFiniteNumbers, notMeasuredText, runWorker } from '../lib/outcome.js';
import { formatFactor, formatPercent, formatRate } from '../lib/ratio.js';
import { median } from '../lib/stats.js';
import type { Table } from '../lib/table.js';
import { thresholdTarget } from '../lib/targets.js';
import type { ReportBlock, RunOptions, Suite, SuiteReport, TargetResult } from '../suite.js';
import type { BatchSample, BatchSystemSample } from '../workers/batch-worker.js';

/** FLOPs of one training sample of 784-100-10: forward 2·(784·100 + 100·10), backward twice that (weight and error products), as in the issue. */
export const FLOPS_PER_SAMPLE = 319_600;

export interface BatchConfig {
  rounds: number;
  chunkMs: number;
  digits: number;
}
export const FULL_BATCH: BatchConfig = { rounds: 7, chunkMs: 600, digits: 2000 };
export const QUICK_BATCH: BatchConfig = { rounds: 2, chunkMs: 60, digits: 200 };

export const TARGET_F32 = 25_000;
export const TARGET_F32_VS_TFJS = 10;
export const TARGET_F64 = 12_000;
export const TARGET_TWO_THREADS = 1.6;
export const TARGET_INFERENCE = 8;
export const TARGET_ONLINE = 4;

const WORKER = fileURLToPath(new URL('../workers/batch-worker.ts', import.meta.url));

const LABELS: Record<string, string> = {
  'hand-written': 'hand-written loop (online)',
  compiled: 'synaptic 2 compiled, generated JavaScript (online)',
  'online-wasm-f64': 'synaptic 2 compiled, online wasm f64x2 (the default compile)',
  'batch32-js-f64': 'compileBatch, JS f64, batch 32',
  'batch32-wasm-f64': 'compileBatch, wasm f64x2, batch 32',
  'batch32-wasm-f32': 'compileBatch, wasm f32x4, batch 32',
  'batch256-wasm-f32': 'compileBatch, wasm f32x4, batch 256',
  'batch256-wasm-f32-2threads': 'parallelBatch, wasm f32x4, batch 256, 2 threads',
  'tfjs-wasm-b32': 'TensorFlow.js layers, wasm, batch 32',
  'infer-hand-written': 'inference: hand-written loop',
  'infer-online-wasm-f64': 'inference: compiled online wasm f64x2, one sample',
  'infer-batch32-wasm-f64': 'inference: compileBatch, wasm f64x2, batch 32',
  'infer-batch32-wasm-f32': 'inference: compileBatch, wasm f32x4, batch 32',
};

/** FLOPs of one inference: the forward products, 2·(784·100 + 100·10). */
export const FLOPS_PER_INFERENCE = 158_800;

function isBatchSample(value: unknown): value is BatchSample {
  if (!hasFiniteNumbers(value, ['rounds', 'chunkMs'])) return false;
  const v = value as Partial<BatchSample>;
  return Array.isArray(v.systems) && typeof v.peaks === 'object' && v.peaks !== null;
}

const rate = (c: { samples: number; wallMs: number }) => (c.samples / c.wallMs) * 1000;

/** Per-round ratios of system `a` to system `b` (same round, so the same load). */
export function roundRatios(a: BatchSystemSample | undefined, b: BatchSystemSample | undefined): number[] {
  if (!a || !b) return [];
  const n = Math.min(a.chunks.length, b.chunks.length);
  const out: number[] = [];
  for (let r = 0; r < n; r++) out.push(rate(a.chunks[r]) / rate(b.chunks[r]));
  return out;
}

export interface SystemSummary {
  id: string;
  samplesPerSec: number;
  min: number;
  max: number;
  cpuOverWall: number;
  /** samples per second of this process's CPU time: what a core to itself would give, nearly, on a loaded machine */
  perCpuSecond: number;
  gflops: number;
  ofPeak: number;
  vsHand: number[];
  vsTfjs: number[];
}

function peakFor(sample: BatchSample, system: BatchSystemSample): number {
  const p = sample.peaks;
  const one = system.id.includes('wasm-f32')
    ? Math.max(...p.wasmF32)
    : system.id.includes('wasm-f64')
      ? Math.max(...p.wasmF64)
      : Math.max(...p.js);
  return one * system.threads;
}

export function summarize(sample: BatchSample): SystemSummary[] {
  const byId = new Map(sample.systems.map((s) => [s.id, s]));
  return sample.systems
    .filter((s) => s.chunks.length > 0)
    .map((s) => {
      const rates = s.chunks.map(rate);
      const samplesPerSec = median(rates);
      const wall = s.chunks.reduce((t, c) => t + c.wallMs, 0);
      const cpu = s.chunks.reduce((t, c) => t + c.cpuMs, 0);
      const inference = s.id.startsWith('infer-');
      const gflops = (samplesPerSec * (inference ? FLOPS_PER_INFERENCE : FLOPS_PER_SAMPLE)) / 1e9;
      return {
        id: s.id,
        samplesPerSec,
        min: Math.min(...rates),
        max: Math.max(...rates),
        cpuOverWall: cpu / wall,
        perCpuSecond: (s.chunks.reduce((t, c) => t + c.samples, 0) / cpu) * 1000,
        gflops,
        ofPeak: gflops / peakFor(sample, s),
        vsHand: roundRatios(s, byId.get(inference ? 'infer-hand-written' : 'hand-written')),
        vsTfjs: inference ? [] : roundRatios(s, byId.get('tfjs-wasm-b32')),
      };
    });
}

const spread = (ratios: number[]) =>
  ratios.length === 0
    ? '–'
    : `${formatFactor(median(ratios))} (${formatFactor(Math.min(...ratios))}–${formatFactor(Math.max(...ratios))})`;

export function batchTable(summaries: readonly SystemSummary[]): Table {
  return {
    headers: [
      'System',
      'Samples/s (median)',
      'Range over rounds',
      'CPU ÷ wall',
      'Samples per CPU-second',
      'GFLOP/s',
      'Of peak',
      '÷ hand-written, per round',
      '÷ tfjs, per round',
    ],
    rows: summaries.map((s) => [
      LABELS[s.id] ?? s.id,
      formatRate(s.samplesPerSec),
      `${formatRate(s.min)}–${formatRate(s.max)}`,
      s.cpuOverWall.toFixed(2),
      formatRate(s.perCpuSecond),
      s.gflops.toFixed(2),
      formatPercent(s.ofPeak),
      spread(s.vsHand),
      spread(s.vsTfjs),
    ]),
  };
}

export function batchTargets(sample: BatchSample | null, why: string): TargetResult[] {
  const summaries = sample ? summarize(sample) : [];
  const get = (id: string) => summaries.find((s) => s.id === id);
  const f32 = get('batch32-wasm-f32');
  const f64 = get('batch32-wasm-f64');
  const byId = new Map(sample?.systems.map((s) => [s.id, s]) ?? []);
  const two = roundRatios(byId.get('batch256-wasm-f32-2threads'), byId.get('batch256-wasm-f32'));
  const tfjs = byId.get('tfjs-wasm-b32');
  const rate = (v: number) => `${formatRate(v)} samples/s`;
  return [
    thresholdTarget({
      name: `MNIST batch 32 f32 >= ${TARGET_F32} samples/s`,
      value: f32?.samplesPerSec ?? null,
      threshold: TARGET_F32,
      format: rate,
      missing: why,
    }),
    thresholdTarget({
      name: `MNIST batch 32 f32 >= ${TARGET_F32_VS_TFJS}x tfjs-layers wasm batch 32 (median per-round ratio)`,
      value: f32 && f32.vsTfjs.length > 0 ? median(f32.vsTfjs) : null,
      threshold: TARGET_F32_VS_TFJS,
      format: formatFactor,
      missing: tfjs?.unavailable ?? why,
      missingStatus: tfjs?.unavailable ? 'NOT RUN' : 'FAIL',
    }),
    thresholdTarget({
      name: `MNIST batch 32 f64 >= ${TARGET_F64} samples/s`,
      value: f64?.samplesPerSec ?? null,
      threshold: TARGET_F64,
      format: rate,
      missing: why,
    }),
    thresholdTarget({
      name: `2 threads vs one, batch 256 >= ${TARGET_TWO_THREADS}x (median per-round ratio)`,
      value: two.length > 0 ? median(two) : null,
      threshold: TARGET_TWO_THREADS,
      format: formatFactor,
      missing: why,
    }),
    thresholdTarget({
      name: `inference, batch 32 f32 >= ${TARGET_INFERENCE}x the hand-written loop (median per-round ratio)`,
      value: get('infer-batch32-wasm-f32')?.vsHand.length ? median(get('infer-batch32-wasm-f32')!.vsHand) : null,
      threshold: TARGET_INFERENCE,
      format: formatFactor,
      missing: why,
    }),
    thresholdTarget({
      name: `online SGD >= ${TARGET_ONLINE}x hand-written (the default compile, online wasm f64x2; median per-round ratio)`,
      value: get('online-wasm-f64')?.vsHand.length ? median(get('online-wasm-f64')!.vsHand) : null,
      threshold: TARGET_ONLINE,
      format: formatFactor,
      missing: why,
    }),
  ];
}

export function batchReport(sample: BatchSample | null, why: string, config: BatchConfig): SuiteReport {
  const blocks: ReportBlock[] = [];
  if (sample) {
    const max = (v: number[]) => (v.length ? Math.max(...v).toFixed(1) : '–');
    blocks.push({
      heading: 'MNIST 784-100-10 training and inference, interleaved in one process',
      table: batchTable(summarize(sample)),
      bullets: [
        `peak of one core, measured in this run (best of ${sample.rounds} rounds): JavaScript multiply-add ${max(sample.peaks.js)} GFLOP/s, WebAssembly f64x2 ${max(sample.peaks.wasmF64)}, f32x4 ${max(sample.peaks.wasmF32)}`,
        ...sample.systems.filter((s) => s.unavailable).map((s) => `${LABELS[s.id] ?? s.id}: ${s.unavailable}`),
      ],
    });
  }
  return {
    id: 'batch',
    title: 'BATCH: mini-batches as matrix products, interleaved',
    summary: sample
      ? `${config.rounds} rounds of ${config.chunkMs} ms chunks per system, ${config.digits} MNIST digits cycled`
      : `not measured: ${why}`,
    blocks,
    targets: batchTargets(sample, why),
    method:
      'All systems train the same 784-100-10 logistic network (MSE, SGD at rate 0.1) in one child process. Each round measures the peak (8 independent multiply-add chains in JavaScript doubles, WebAssembly f64x2 and f32x4) and then gives each system one chunk of training of about the chunk time, starting with a different system each round. Samples/s is the median over rounds of each chunk\'s samples ÷ its wall time; ratios are taken within a round, then their median (range in brackets). CPU ÷ wall is process CPU time (all threads) over wall time: below 1 the process was waiting for a core; samples per CPU-second divides the samples of a system by the process CPU time of its chunks (all threads), which on a loaded machine is nearer what the system does with a core to itself than samples/s is (the targets are on samples/s). GFLOP/s counts 319,600 FLOPs per training sample and 158,800 per inference (the inference rows run forward only, their ratio is to the hand-written loop running activate alone); "of peak" divides by the measured one-core peak of the matching arithmetic (times the threads used). The batched steps include packing the digits into a batch and the SGD update over every parameter.',
  };
}

export const batchSuite: Suite = {
  id: 'batch',
  title: 'BATCH',
  async run(options: RunOptions): Promise<SuiteReport> {
    const config = options.quick ? QUICK_BATCH : FULL_BATCH;
    options.log(`[batch] ${config.rounds} rounds × ${config.chunkMs} ms per system, interleaved in one process …`);
    const outcome = await runWorker(
      {
        script: WORKER,
        args: [config.rounds, config.chunkMs, config.digits].map(String),
        timeoutMs: Math.max(options.timeoutMs, 13 * config.rounds * config.chunkMs * 3 + 60_000),
        nodeArgs: ['--max-old-space-size=4096'],
      },
      isBatchSample,
    );
    const sample = outcome.status === 'ok' ? outcome.sample : null;
    return batchReport(sample, outcome.status === 'ok' ? '' : notMeasuredText(outcome), config);
  },
};

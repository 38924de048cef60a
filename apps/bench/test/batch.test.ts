import { describe, expect, it } from 'vitest';
import { batchReport, batchTargets, FULL_BATCH, roundRatios, summarize } from '../src/suites/batch.js';
import type { BatchSample, BatchSystemSample } from '../src/workers/batch-worker.js';

/** The BATCH suite's summaries and targets from made-up chunks (the child process runs in `pnpm bench`). */
const system = (id: string, rates: number[], threads = 1): BatchSystemSample => ({
  id,
  batch: 32,
  threads,
  chunks: rates.map((r) => ({ samples: r, wallMs: 1000, cpuMs: 500 })),
});

const sample = (two: number[]): BatchSample => ({
  rounds: 3,
  chunkMs: 1000,
  peaks: { js: [2, 4, 3], wasmF64: [8, 6, 7], wasmF32: [16, 12, 14] },
  systems: [
    system('hand-written', [1000, 500, 2000]),
    system('batch32-wasm-f32', [30_000, 10_000, 40_000]),
    system('batch32-wasm-f64', [11_000, 13_000, 12_500]),
    system('batch256-wasm-f32', [20_000, 20_000, 20_000]),
    system('batch256-wasm-f32-2threads', two, 2),
    system('tfjs-wasm-b32', [2000, 2000, 2000]),
    system('infer-hand-written', [3000, 3000, 3000]),
    system('infer-batch32-wasm-f32', [30_000, 27_000, 24_000]),
    system('online-wasm-f64', [4000, 2500, 8000]),
  ],
});

describe('BATCH suite', () => {
  it('takes ratios within each round, medians over rounds, and GFLOP/s against the matching peak', () => {
    const s = sample([30_000, 34_000, 38_000]);
    expect(roundRatios(s.systems[1], s.systems[0])).toEqual([30, 20, 20]);
    const f32 = summarize(s).find((x) => x.id === 'batch32-wasm-f32')!;
    expect(f32.samplesPerSec).toBe(30_000);
    expect(f32.cpuOverWall).toBe(0.5);
    // all its samples over all its chunks' CPU time: 80,000 samples in 1.5 s of CPU
    expect(f32.perCpuSecond).toBeCloseTo(80_000 / 1.5, 6);
    expect(f32.gflops).toBeCloseTo((30_000 * 319_600) / 1e9, 9);
    expect(f32.ofPeak).toBeCloseTo(f32.gflops / 16, 9);
    const two = summarize(s).find((x) => x.id === 'batch256-wasm-f32-2threads')!;
    expect(two.ofPeak).toBeCloseTo(two.gflops / 32, 9);
  });

  it('passes and fails the issue targets on those numbers', () => {
    const pass = batchTargets(sample([34_000, 34_000, 34_000]), '');
    expect(pass.map((t) => t.status)).toEqual(['PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS']);
    // online SGD: 4x, 5x and 4x the hand-written loop in its rounds
    expect(pass[5]).toMatchObject({ status: 'PASS' });
    expect(pass[5].name).toMatch(/online SGD >= 4x hand-written/);
    const fail = batchTargets(sample([20_000, 21_000, 22_000]), '');
    expect(fail[3].status).toBe('FAIL');
    const none = batchTargets(null, 'timed out after 120 s');
    expect(none.every((t) => t.status === 'FAIL' && t.measured === 'timed out after 120 s')).toBe(true);
  });

  it('says when tfjs could not be installed rather than failing that target', () => {
    const s = sample([34_000, 34_000, 34_000]);
    s.systems[5] = { id: 'tfjs-wasm-b32', batch: 32, threads: 1, chunks: [], unavailable: 'could not install: x' };
    const [, vsTfjs] = batchTargets(s, '');
    expect(vsTfjs).toMatchObject({ status: 'NOT RUN', measured: 'could not install: x' });
    const report = batchReport(s, '', FULL_BATCH);
    expect(report.blocks[0].bullets.some((b) => b.includes('could not install: x'))).toBe(true);
  });
});

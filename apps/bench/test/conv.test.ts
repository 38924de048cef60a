import { describe, expect, it } from 'vitest';
import { convRatios, convReport, convTargets, FULL_CONV, summarizeConv } from '../src/suites/conv.js';
import type { ConvSample, ConvSystemSample } from '../src/workers/conv-worker.js';

/** The CONV suite's summaries and targets from made-up chunks (the child process runs in `pnpm bench`). */
const system = (id: string, rates: number[]): ConvSystemSample => ({
  id,
  chunks: rates.map((r) => ({ samples: r, wallMs: 1000, cpuMs: 800 })),
});

const sample = (seedF32: number[], lenetF32: number[]): ConvSample => ({
  rounds: 3,
  chunkMs: 1000,
  tfjsWasmTraining: "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'",
  systems: [
    system('seed003/infer-batch32-wasm-f32', [4000, 4000, 4000]),
    system('seed003/infer-tfjs-wasm-b32', [2000, 1000, 4000]),
    system('seed003/compiled-per-sample', [500, 1000, 250]),
    system('seed003/batch32-wasm-f32', seedF32),
    system('seed003/tfjs-cpu-b32', [100, 100, 100]),
    system('lenet/compiled-per-sample', [100, 100, 100]),
    system('lenet/batch32-wasm-f32', lenetF32),
    system('lenet/tfjs-cpu-b32', [50, 50, 50]),
  ],
});

describe('CONV suite', () => {
  it('takes ratios within each round and medians over rounds', () => {
    const s = sample([2000, 3000, 1000], [500, 500, 500]);
    expect(convRatios(s.systems[3], s.systems[2])).toEqual([4, 3, 4]);
    const f32 = summarizeConv(s).find((x) => x.id === 'seed003/batch32-wasm-f32')!;
    expect(f32.samplesPerSec).toBe(2000);
    expect(f32.cpuOverWall).toBe(0.8);
    expect(f32.perCpuSecond).toBeCloseTo(6000 / 2.4, 9);
    expect(f32.vsPerSample).toEqual([4, 3, 4]);
    expect(f32.vsTfjs).toEqual([20, 30, 10]);
    const infer = summarizeConv(s).find((x) => x.id === 'seed003/infer-batch32-wasm-f32')!;
    expect(infer.vsTfjs).toEqual([2, 4, 1]);
    expect(infer.vsPerSample).toEqual([]);
  });

  it('passes and fails the 2x-tfjs targets, naming the backend tfjs trained on', () => {
    const pass = convTargets(sample([2000, 3000, 1000], [500, 500, 500]), '');
    expect(pass.map((t) => t.status)).toEqual(['PASS', 'PASS']);
    expect(pass[0].name).toMatch(/cpu, as tfjs 4\.22 wasm cannot train conv2d/);
    const fail = convTargets(sample([150, 150, 150], [90, 90, 90]), '');
    expect(fail.map((t) => t.status)).toEqual(['FAIL', 'FAIL']);
    expect(fail[1].measured).toBe('1.80x');
    const none = convTargets(null, 'timed out after 120 s');
    expect(none.every((t) => t.status === 'FAIL' && t.measured === 'timed out after 120 s')).toBe(true);
  });

  it('says when tfjs could not be installed rather than failing its target', () => {
    const s = sample([2000, 2000, 2000], [500, 500, 500]);
    s.systems[7] = { id: 'lenet/tfjs-cpu-b32', chunks: [], unavailable: 'could not install: x' };
    expect(convTargets(s, '')[1]).toMatchObject({ status: 'NOT RUN', measured: 'could not install: x' });
    const report = convReport(s, '', FULL_CONV);
    expect(report.blocks).toHaveLength(2);
    expect(report.blocks[1].bullets.some((b) => b.includes('could not install: x'))).toBe(true);
    expect(report.blocks[0].bullets.some((b) => b.includes('Conv2DBackpropFilter'))).toBe(true);
  });
});

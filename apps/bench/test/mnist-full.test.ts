import { describe, expect, it } from 'vitest';
import { mergeBenchmarksMarkdown, renderBenchmarksMarkdown } from '../src/lib/markdown.js';
import {
  epochRatios,
  FULL_CONFIG,
  fullReport,
  fullTargets,
  meanAndSd,
  summarize,
  TARGET_PREFIX,
} from '../src/suites/mnist-full.js';
import type { SuiteReport } from '../src/suite.js';
import type { FullSample, FullSystemSample } from '../src/mnist-full-sample.js';

/** The MNIST-FULL suite's table and targets from made-up epochs (the child processes run in `pnpm bench`). */
const system = (id: FullSystemSample['id'], wall: number[], accuracy: number): FullSystemSample => ({
  id,
  epochs: wall.map((wallMs, e) => ({ wallMs, cpuMs: wallMs / 2, loss: 1 / (e + 1), load: 1 + e })),
  accuracy,
});

const sample = (ours: number, tfjs: number, oursWall = [10_000, 20_000], seed = 1): FullSample => ({
  seed,
  epochs: 2,
  train: 60_000,
  test: 10_000,
  batch: 32,
  loadStart: [1, 2, 3],
  loadEnd: [4, 5, 6],
  systems: [
    system('synaptic-f64', oursWall, ours),
    system('synaptic-f32', [8000, 8000], ours + 0.001),
    system('tfjs-wasm', [40_000, 40_000], tfjs),
  ],
});

describe('MNIST-FULL suite', () => {
  it('reports the mean ± sd over the seeds, each seed, time per seed, samples/s and per-epoch time ratios', () => {
    const s = sample(0.978, 0.975);
    expect(epochRatios(s.systems[2], s.systems[0])).toEqual([4, 2]);
    const report = fullReport([s, sample(0.976, 0.977, [20_000, 20_000], 2)], [], FULL_CONFIG);
    const [f64, f32, tfjs] = report.blocks[0].table!.rows;
    expect(report.blocks[0].table!.headers[1]).toBe('Test accuracy, mean ± sd (2 seeds)');
    // mean 97.70%, sd √((0.1² + 0.1²) / 1) = 0.14 points
    expect(f64.slice(1, 7)).toEqual([
      '97.70% ± 0.14',
      '1: 97.80%, 2: 97.60%',
      '35.0 s',
      '3429',
      '0.50',
      '1.0000 → 0.5000',
    ]);
    // ratios 4, 2 (seed 1) and 2, 2 (seed 2)
    expect(f64[7]).toBe('2.0x (2.0x–4.0x)');
    expect(f32[1]).toBe('97.80% ± 0.14');
    expect(tfjs[7]).toBe('–');
    expect(meanAndSd([0.975])).toBe('97.50%');
    const bullets = report.blocks[0].bullets;
    expect(bullets[0]).toMatch(/compare the means over the seeds/);
    expect(bullets[1]).toBe(
      'f32 − f64 with the same initial weights and shuffles, per seed: 1: +0.10 points, 2: +0.10 points (mean +0.10 points)',
    );
    expect(bullets[2]).toMatch(/^seed 1: .*start 1\.00 \/ 2\.00 \/ 3\.00, at the end 4\.00 \/ 5\.00 \/ 6\.00/);
    expect(report.summary).toMatch(/seeds 1, 2 of 3 seeds/);
    expect(report.targetPrefix).toBe(TARGET_PREFIX);
    expect(report.targets.every((t) => t.name.startsWith(TARGET_PREFIX))).toBe(true);
  });

  it('passes and fails the three targets of issue 13 on the means over the seeds', () => {
    expect(fullTargets([sample(0.978, 0.975)], '').map((t) => t.status)).toEqual(['PASS', 'PASS', 'PASS']);
    // one seed above tfjs, one below: the mean decides (97.65% against 97.70%)
    const mixed = fullTargets([sample(0.978, 0.975), sample(0.975, 0.979, undefined, 2)], '');
    expect(mixed.map((t) => t.status)).toEqual(['PASS', 'FAIL', 'PASS']);
    expect(mixed[0].measured).toBe('97.65% (2 seeds)');
    // standard error √(0.212² / 2 + 0.283² / 2) = 0.25 points
    expect(mixed[1].measured).toBe('-0.05 points (2 seeds each; standard error of the difference 0.25 points)');
    const lower = fullTargets([sample(0.97, 0.975, [50_000, 50_000])], '');
    expect(lower.map((t) => t.status)).toEqual(['FAIL', 'FAIL', 'FAIL']);
    expect(lower[1].measured).toBe('-0.50 points (1 seed each)');
    const none = fullTargets([], 'timed out after 60 s');
    expect(none.every((t) => t.status === 'FAIL' && t.measured === 'timed out after 60 s')).toBe(true);
  });

  it('summarizes a system over the seeds it ran in', () => {
    const two = [sample(0.978, 0.975), sample(0.976, 0.977, [20_000, 20_000], 3)];
    const s = summarize(two, 'synaptic-f64');
    expect(s).toMatchObject({ seeds: [1, 3], accuracies: [0.978, 0.976], wallMs: 70_000, samples: 240_000 });
    expect(summarize([], 'tfjs-wasm')).toBeNull();
  });

  it('says when tfjs could not be installed rather than failing its targets', () => {
    const s = sample(0.978, 0);
    s.systems[2] = { id: 'tfjs-wasm', epochs: [], accuracy: 0, unavailable: 'could not install: x' };
    const [own, accuracy, time] = fullTargets([s], '');
    expect(own.status).toBe('PASS');
    expect(accuracy).toMatchObject({ status: 'NOT RUN', measured: 'could not install: x' });
    expect(time.status).toBe('NOT RUN');
    const report = fullReport([s], ['seed 2: not measured: timed out after 60 s'], FULL_CONFIG);
    expect(report.blocks[0].table!.rows).toHaveLength(2);
    expect(report.blocks[0].bullets).toContain('TensorFlow.js 4.22.0 layers, wasm: could not install: x');
    expect(report.blocks[0].bullets).toContain('seed 2: not measured: timed out after 60 s');
  });
});

describe('a run of some suites into an existing BENCHMARKS.md', () => {
  const machine = { cpu: 'CPU', cores: 2, totalMemoryBytes: 2 ** 30, node: 'v20', platform: 'linux' };
  const suite = (title: string, target: string, status: 'PASS' | 'FAIL', text: string): SuiteReport => ({
    id: title.toLowerCase(),
    title,
    summary: text,
    blocks: [],
    targets: [{ name: target, status, measured: text }],
    method: 'how',
  });
  const doc = (reports: SuiteReport[], command: string) => ({
    date: new Date('2026-01-01T00:00:00Z'),
    command,
    machine,
    versions: [],
    reports,
  });

  it('replaces its sections and target rows, keeps the others, and adds new ones at the end', () => {
    const before = renderBenchmarksMarkdown(
      doc([suite('A', 'a >= 1', 'PASS', 'old a'), suite('B', 'b | x', 'FAIL', 'old b')], 'pnpm bench'),
    );
    const after = mergeBenchmarksMarkdown(
      before,
      doc([suite('B', 'b | x', 'PASS', 'new b'), suite('C', 'c', 'PASS', 'new c')], 'pnpm bench -- --suite b c'),
      [1.5, 2, 3],
    );
    expect(after).toContain('old a');
    expect(after).not.toContain('old b');
    expect(after.match(/new b/g)).toHaveLength(2);
    expect(after).toContain('| b \\| x | PASS | new b |');
    expect(after).not.toContain('**FAIL**');
    // the targets table keeps its order, the new target after it
    expect(after.indexOf('| a >= 1 |')).toBeLessThan(after.indexOf('| b \\| x |'));
    expect(after.indexOf('| b \\| x |')).toBeLessThan(after.indexOf('| c | PASS'));
    expect(after.indexOf('## A')).toBeLessThan(after.indexOf('## B'));
    expect(after.indexOf('## B')).toBeLessThan(after.indexOf('## C'));
    expect(after).toMatch(
      /## B\n\nThis section and its targets come from `pnpm bench -- --suite b c`.*load average 1\.50 \/ 2\.00 \/ 3\.00/,
    );
    expect(after.startsWith('# Benchmarks\n')).toBe(true);
    expect(after).toMatch(/how\n\n## C\n/);
    expect(after.endsWith('how\n')).toBe(true);
  });

  it("drops a prefixed suite's earlier rows that this run no longer has, its new rows in their place", () => {
    const before = renderBenchmarksMarkdown(
      doc(
        [
          {
            ...suite('A', 'A old x', 'PASS', 'old a'),
            targets: [
              { name: 'A old x', status: 'PASS', measured: '1' },
              { name: 'A kept', status: 'FAIL', measured: '2' },
            ],
          },
          suite('B', 'b', 'PASS', 'old b'),
        ],
        'pnpm bench',
      ),
    );
    const fresh = { ...suite('A', 'A new y', 'PASS', 'new a'), targetPrefix: 'A ' };
    fresh.targets = [
      { name: 'A new y', status: 'PASS', measured: '3' },
      { name: 'A kept', status: 'PASS', measured: '4' },
    ];
    const after = mergeBenchmarksMarkdown(before, doc([fresh], 'pnpm bench -- --suite a'), [1, 1, 1]);
    expect(after).not.toContain('A old x');
    expect(after).toContain('| A kept | PASS | 4 |');
    expect(after.indexOf('| A new y | PASS | 3 |')).toBeGreaterThan(0);
    expect(after.indexOf('| A new y |')).toBeLessThan(after.indexOf('| b | PASS'));
    expect(after).toContain('old b');
  });
});

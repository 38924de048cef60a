import { describe, expect, it } from 'vitest';
import { mergeBenchmarksMarkdown, renderBenchmarksMarkdown } from '../src/lib/markdown.js';
import { epochRatios, FULL_CONFIG, fullReport, fullTargets } from '../src/suites/mnist-full.js';
import type { SuiteReport } from '../src/suite.js';
import type { FullSample, FullSystemSample } from '../src/mnist-full-sample.js';

/** The MNIST-FULL suite's table and targets from made-up epochs (the child process runs in `pnpm bench`). */
const system = (id: FullSystemSample['id'], wall: number[], accuracy: number): FullSystemSample => ({
  id,
  epochs: wall.map((wallMs, e) => ({ wallMs, cpuMs: wallMs / 2, loss: 1 / (e + 1), load: 1 + e })),
  accuracy,
});

const sample = (ours: number, tfjs: number, oursWall = [10_000, 20_000]): FullSample => ({
  epochs: 2,
  train: 60_000,
  test: 10_000,
  batch: 32,
  loadStart: [1, 2, 3],
  loadEnd: [4, 5, 6],
  systems: [
    system('synaptic-f64', oursWall, ours),
    system('synaptic-f32', [8000, 8000], ours),
    system('tfjs-wasm', [40_000, 40_000], tfjs),
  ],
});

describe('MNIST-FULL suite', () => {
  it('reports accuracy, the summed epoch times, samples/s and per-epoch time ratios', () => {
    const s = sample(0.978, 0.975);
    expect(epochRatios(s.systems[2], s.systems[0])).toEqual([4, 2]);
    const report = fullReport(s, '', FULL_CONFIG);
    const [f64, , tfjs] = report.blocks[0].table!.rows;
    expect(f64.slice(1, 6)).toEqual(['97.80%', '30.0 s', '4000', '0.50', '1.0000 → 0.5000']);
    expect(f64[6]).toBe('3.0x (2.0x–4.0x)');
    expect(tfjs[6]).toBe('–');
    expect(report.blocks[0].bullets[0]).toMatch(/start 1\.00 \/ 2\.00 \/ 3\.00, at the end 4\.00 \/ 5\.00 \/ 6\.00/);
  });

  it('passes and fails the three targets of issue 13', () => {
    expect(fullTargets(sample(0.978, 0.975), '').map((t) => t.status)).toEqual(['PASS', 'PASS', 'PASS']);
    const lower = fullTargets(sample(0.97, 0.975, [50_000, 50_000]), '');
    expect(lower.map((t) => t.status)).toEqual(['FAIL', 'FAIL', 'FAIL']);
    expect(lower[1].measured).toBe('-0.50 points');
    const none = fullTargets(null, 'timed out after 60 s');
    expect(none.every((t) => t.status === 'FAIL' && t.measured === 'timed out after 60 s')).toBe(true);
  });

  it('says when tfjs could not be installed rather than failing its targets', () => {
    const s = sample(0.978, 0);
    s.systems[2] = { id: 'tfjs-wasm', epochs: [], accuracy: 0, unavailable: 'could not install: x' };
    const [own, accuracy, time] = fullTargets(s, '');
    expect(own.status).toBe('PASS');
    expect(accuracy).toMatchObject({ status: 'NOT RUN', measured: 'could not install: x' });
    expect(time.status).toBe('NOT RUN');
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
});

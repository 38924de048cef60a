import { describe, expect, it } from 'vitest';
import { FULL_TRANSFORMER, roundRatios, transformerReport, transformerTargets } from '../src/suites/transformer.js';
import type { TransformerSample, TransformerSystemSample } from '../src/transformer-sample.js';

/** The TRANSFORMER suite's table and target from made-up rounds (the child process runs in `pnpm bench`). */
const system = (id: TransformerSystemSample['id'], rates: number[]): TransformerSystemSample => ({
  id,
  rates,
  cpuPerWall: 0.5,
});

const sample = (maxDifference: number): TransformerSample => ({
  shape: { length: 8, dModel: 32, heads: 2, ff: 64 },
  rounds: 3,
  seconds: 3,
  maxDifference,
  loadStart: [1, 2, 3],
  loadEnd: [4, 5, 6],
  systems: [
    system('reference', [1000, 500, 800]),
    system('interpreted', [400, 100, 400]),
    system('compiled', [500, 150, 200]),
  ],
});

describe('TRANSFORMER suite', () => {
  it("reports the median steps/s and the median of the rounds' ratios", () => {
    const s = sample(1e-15);
    expect(roundRatios(s.systems[2], s.systems[0])).toEqual([0.5, 0.3, 0.25]);
    const report = transformerReport(s, '', FULL_TRANSFORMER);
    const [reference, interpreted, compiled] = report.blocks[0].table!.rows;
    expect(reference.slice(1)).toEqual(['800', '–', '–', '0.50']);
    // per round 0.4, 0.2, 0.5 of the reference
    expect(interpreted.slice(1, 4)).toEqual(['400', '0.40x (0.20x–0.50x)', '–']);
    // per round 1.25, 1.5, 0.5 of interpreted: the median, not the ratio of the medians (0.5)
    expect(compiled.slice(1, 4)).toEqual(['200', '0.30x (0.25x–0.50x)', '1.25x (0.50x–1.50x)']);
    expect(report.blocks[0].bullets[0]).toMatch(/start 1\.00 \/ 2\.00 \/ 3\.00, at the end 4\.00 \/ 5\.00 \/ 6\.00/);
  });

  it('passes when the graph computes the reference, fails when it does not or did not run', () => {
    expect(transformerTargets(sample(1.1e-15), '')[0]).toMatchObject({ status: 'PASS', measured: '1.1e-15' });
    expect(transformerTargets(sample(3e-6), '')[0].status).toBe('FAIL');
    expect(transformerTargets(null, 'timed out after 60 s')[0]).toMatchObject({
      status: 'FAIL',
      measured: 'timed out after 60 s',
    });
  });

  it('leaves out a system that could not run, and says why', () => {
    const s = sample(1e-15);
    s.systems[2] = { id: 'compiled', rates: [], cpuPerWall: 0, unavailable: 'not measured: x' };
    const report = transformerReport(s, '', FULL_TRANSFORMER);
    expect(report.blocks[0].table!.rows).toHaveLength(2);
    expect(report.blocks[0].bullets).toContain('synaptic 2 TransformerBlock, compiled (optimize): not measured: x');
  });
});

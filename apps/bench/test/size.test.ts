import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTsWorker } from '../src/lib/child.js';
import { measureSizes, sizeReport } from '../src/suites/size.js';

/** The SIZE suite's options and reports (measuring every system through child processes: size.slow.test.ts). */
describe('SIZE suite options', () => {
  it('skips synaptic 1.x above N=256 unless --slow-peers, and says so', async () => {
    const outcomes = await measureSizes({ sizes: [512], timeoutMs: 1_000, slowPeers: false, systems: ['synaptic1'] });
    expect(outcomes).toEqual([{ system: 'synaptic1', n: 512, status: 'skipped', reason: 'skipped (>60 s at 512)' }]);
    const report = sizeReport(outcomes, { sizes: [512], timeoutMs: 1_000, slowPeers: false });
    expect(report.blocks[0].table?.rows[0][1]).toBe('skipped (>60 s at 512)');
  });

  it('kills a child that never answers at its time limit, and reports it as timed out', {
    timeout: 30_000,
  }, async () => {
    const script = fileURLToPath(new URL('./fixtures/never-answers.ts', import.meta.url));
    expect(await runTsWorker({ script, args: [], timeoutMs: 500 })).toEqual({ kind: 'timeout', afterMs: 500 });
    const outcomes = [{ system: 'synaptic1', n: 256, status: 'timeout', afterMs: 300 }] as const;
    expect(
      sizeReport([...outcomes], { sizes: [256], timeoutMs: 300, slowPeers: false }).blocks[0].table?.rows[0][1],
    ).toBe('timed out after 0.3 s');
  });
});

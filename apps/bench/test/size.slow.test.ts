import { describe, expect, it } from 'vitest';
import { measureSizes, sizeReport, sizeTargets } from '../src/suites/size.js';
import { SYSTEM_IDS } from '../src/systems.js';

// Each child process may take up to 4 minutes (a loaded machine runs them several times slower than a quiet
// one); the limit only stops a child that hangs, nothing here checks a time.
describe('SIZE suite (quick, N=16, through child processes)', () => {
  it('measures every system', { timeout: 600_000 }, async () => {
    const options = { sizes: [16], timeoutMs: 240_000, slowPeers: false };
    const outcomes = await measureSizes(options);

    expect(outcomes.map((o) => o.system)).toEqual([...SYSTEM_IDS]);
    for (const outcome of outcomes) {
      if (outcome.status !== 'ok') throw new Error(`${outcome.system} at N=16: ${JSON.stringify(outcome)}`);
      expect(outcome.n).toBe(16);
      expect(Number.isFinite(outcome.sample.buildMs)).toBe(true);
      expect(outcome.sample.buildMs).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(outcome.sample.addedBytes)).toBe(true);
      expect(Number.isFinite(outcome.sample.firstStepMs)).toBe(true);
      expect(Number.isFinite(outcome.sample.secondStepMs)).toBe(true);
    }

    const report = sizeReport(outcomes, options);
    expect(report.blocks).toHaveLength(1);
    expect(report.blocks[0].table?.rows).toHaveLength(SYSTEM_IDS.length);
    // N=1024 was not run: the targets say so rather than passing or failing
    expect(sizeTargets(outcomes).map((t) => t.status)).toEqual(['NOT RUN', 'NOT RUN']);
  });
});

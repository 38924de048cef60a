import { describe, expect, it } from 'vitest';
import { mnistFullSuite } from '../src/suites/mnist-full.js';

// The quick MNIST-FULL suite (1 epoch of 2000 digits) through its real child process: every system
// (tfjs included) must run. The limit only stops a child that hangs; nothing checks a time.
describe('MNIST-FULL suite (quick, through its child process)', () => {
  it('trains every system, interleaved, and reports accuracy and times', { timeout: 300_000 }, async () => {
    const report = await mnistFullSuite.run({ quick: true, timeoutMs: 240_000, slowPeers: false, log: () => {} });
    expect(report.summary).not.toMatch(/not measured/);
    const rows = report.blocks[0].table!.rows;
    expect(rows.map((r) => r[0])).toHaveLength(3);
    for (const row of rows) {
      // one epoch of 2000 digits learns something: well above chance (10%)
      expect(Number.parseFloat(row[1])).toBeGreaterThan(50);
      expect(Number.parseFloat(row[3])).toBeGreaterThan(0);
    }
    expect(report.blocks[0].bullets.some((b) => b.includes('could not install'))).toBe(false);
    expect(report.targets.map((t) => t.status).every((s) => s === 'PASS' || s === 'FAIL')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { batchSuite } from '../src/suites/batch.js';

// The quick BATCH suite through its real child process: every system (tfjs included) must run. The
// child may take minutes on a loaded machine; the limit only stops one that hangs, nothing checks a time.
describe('BATCH suite (quick, through its child process)', () => {
  it('measures every system, interleaved, and reports the targets', { timeout: 300_000 }, async () => {
    const lines: string[] = [];
    const report = await batchSuite.run({
      quick: true,
      timeoutMs: 240_000,
      slowPeers: false,
      log: (l) => lines.push(l),
    });
    expect(report.summary).not.toMatch(/not measured/);
    const table = report.blocks[0].table!;
    const names = table.rows.map((r) => r[0]);
    expect(names).toHaveLength(13);
    // the online WebAssembly path: training and one-sample inference
    expect(names.filter((n) => n.includes('online wasm'))).toHaveLength(2);
    for (const row of table.rows) expect(Number(row[1])).toBeGreaterThan(0);
    expect(report.blocks[0].bullets.some((b) => b.includes('could not install'))).toBe(false);
    expect(report.targets.map((t) => t.status).every((s) => s === 'PASS' || s === 'FAIL')).toBe(true);
  });
});

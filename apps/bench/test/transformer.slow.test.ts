import { describe, expect, it } from 'vitest';
import { transformerSuite } from '../src/suites/transformer.js';

// The quick TRANSFORMER suite (2 rounds of 0.2 s) through its real child process. The limit only
// stops a child that hangs; nothing checks a time.
describe('TRANSFORMER suite (quick, through its child process)', () => {
  it('times all three systems, interleaved, and checks that they compute the same', { timeout: 180_000 }, async () => {
    const report = await transformerSuite.run({ quick: true, timeoutMs: 120_000, slowPeers: false, log: () => {} });
    expect(report.summary).not.toMatch(/not measured/);
    const rows = report.blocks[0].table!.rows;
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(Number.parseFloat(row[1])).toBeGreaterThan(0);
    expect(report.targets).toHaveLength(1);
    expect(report.targets[0].status).toBe('PASS');
  });
});

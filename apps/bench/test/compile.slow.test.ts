import { describe, expect, it } from 'vitest';
import { compileReport, compileTargets, measureCompile, type CompileSuiteOptions } from '../src/suites/compile.js';

// Each child process may take up to 4 minutes (a loaded machine runs them several times slower than a quiet
// one); the limit only stops a child that hangs, nothing here checks a time.
describe('COMPILE suite (quick, through child processes)', () => {
  it('measures compile time, source size, memory and step time', { timeout: 300_000 }, async () => {
    const options: CompileSuiteOptions = {
      shapes: [[32, 32, 32]],
      modes: ['cold', 'warm'],
      steps: 3,
      timeoutMs: 240_000,
    };
    const outcomes = await measureCompile(options);
    expect(outcomes.map((o) => o.mode)).toEqual(['cold', 'warm']);
    for (const outcome of outcomes) {
      if (outcome.status !== 'ok') throw new Error(`${outcome.mode}: ${JSON.stringify(outcome)}`);
      const s = outcome.sample;
      expect(s.connections).toBe(2 * 32 * 32);
      for (const value of [
        s.compileMs,
        s.sourceChars,
        s.compileAddedBytes,
        s.networkBytes,
        s.stepMedianMs,
        s.buildMs,
      ]) {
        expect(Number.isFinite(value)).toBe(true);
      }
      expect(s.sourceChars).toBeGreaterThan(0);
      expect(s.stepMs).toHaveLength(3);
    }
    const report = compileReport(outcomes, options);
    expect(report.blocks[0].table?.rows).toHaveLength(2);
    // neither 1024-1024-1024 nor 784-100-10 was run: every target says so
    expect(compileTargets(outcomes).map((t) => t.status)).toEqual([
      'NOT RUN',
      'NOT RUN',
      'NOT RUN',
      'NOT RUN',
      'NOT RUN',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { measureOne, mnistReport, mnistTargets, type MnistOptions, type MnistOutcome } from '../src/suites/mnist.js';
import { MNIST_SYSTEM_IDS } from '../src/systems.js';

/** Quick mode, a little smaller still: every system in its own child process. */
const options: MnistOptions = {
  digits: 50,
  warm: 10,
  test: 50,
  synaptic1Digits: 10,
  maxRuns: 1,
  rounds: 1,
  timeoutMs: 240_000,
  quick: true,
};

// Each child process may take up to 4 minutes (a loaded machine runs them several times slower than a quiet
// one); the limit only stops a child that hangs, nothing here checks a time.
describe('MNIST suite (quick, through child processes)', () => {
  const outcomes: MnistOutcome[] = [];

  for (const system of MNIST_SYSTEM_IDS) {
    it(`measures ${system}`, { timeout: 300_000 }, async () => {
      const outcome = await measureOne(system, options);
      outcomes.push(outcome);
      // a peer that could not be installed fails the test: the benchmark would miss its row
      if (outcome.status !== 'ok') throw new Error(`${system}: ${JSON.stringify(outcome)}`);
      const s = outcome.sample;
      expect(s.system).toBe(system);
      expect(s.trained).toBe(system === 'synaptic1' ? 10 : 50);
      expect(s.tested).toBe(50);
      for (const value of [s.trainPerSec, s.inferPerSec, s.setupMs, s.accuracy])
        expect(Number.isFinite(value)).toBe(true);
      expect(s.trainPerSec).toBeGreaterThan(0);
      expect(s.inferPerSec).toBeGreaterThan(0);
      // accuracy is a count of right answers out of the 50 test digits
      expect(Math.abs(s.accuracy * s.tested - Math.round(s.accuracy * s.tested))).toBeLessThan(1e-9);
      expect(s.batch).toBe(system === 'tfjs-wasm-b32' ? 32 : 1);
    });
  }

  it('the three synaptic 2 systems (hand-written loops, compiled, interpreted) give the same answers', () => {
    const accuracy = (id: MnistOutcome['system']) => {
      const o = outcomes.find((x) => x.system === id);
      return o?.status === 'ok' ? o.sample.accuracy : undefined;
    };
    // the same seeded weights and digits, the same arithmetic: the same test digits right
    expect(accuracy('compiled')).toBeDefined();
    expect(accuracy('interpreted')).toBe(accuracy('compiled'));
    expect(accuracy('hand-written')).toBe(accuracy('compiled'));
  });

  it('reports every system, with targets NOT RUN in a quick run', () => {
    const report = mnistReport(outcomes, options);
    expect(report.blocks[0].table?.rows).toHaveLength(outcomes.length);
    expect(mnistTargets(outcomes, options).map((t) => t.status)).toEqual(['NOT RUN', 'NOT RUN', 'NOT RUN', 'NOT RUN']);
  });
});

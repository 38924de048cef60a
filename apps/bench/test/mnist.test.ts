import { describe, expect, it } from 'vitest';
import {
  bestOfRounds,
  measureOne,
  mnistReport,
  mnistTargets,
  type MnistOptions,
  type MnistOutcome,
} from '../src/suites/mnist.js';
import { MNIST_SYSTEM_IDS } from '../src/systems.js';

/** Quick mode, a little smaller still: every system in its own child process. */
const options: MnistOptions = {
  digits: 50,
  warm: 10,
  test: 50,
  synaptic1Digits: 10,
  maxRuns: 1,
  rounds: 1,
  timeoutMs: 60_000,
  quick: true,
};

describe('MNIST suite (quick, through child processes)', () => {
  const outcomes: MnistOutcome[] = [];

  for (const system of MNIST_SYSTEM_IDS) {
    it(`measures ${system}`, { timeout: 90_000 }, async (ctx) => {
      const outcome = await measureOne(system, options);
      outcomes.push(outcome);
      // a peer that could not be installed is skipped, with the reason recorded
      if (outcome.status === 'unavailable') ctx.skip(outcome.reason);
      if (outcome.status !== 'ok') throw new Error(`${system}: ${JSON.stringify(outcome)}`);
      const s = outcome.sample;
      expect(s.system).toBe(system);
      expect(s.trained).toBe(system === 'synaptic1' ? 10 : 50);
      expect(s.tested).toBe(50);
      for (const value of [s.trainPerSec, s.inferPerSec, s.setupMs, s.accuracy])
        expect(Number.isFinite(value)).toBe(true);
      expect(s.trainPerSec).toBeGreaterThan(0);
      expect(s.inferPerSec).toBeGreaterThan(0);
      expect(s.accuracy).toBeGreaterThanOrEqual(0);
      expect(s.accuracy).toBeLessThanOrEqual(1);
      expect(s.batch).toBe(system === 'tfjs-wasm-b32' ? 32 : 1);
    });
  }

  it('reports every system, with targets NOT RUN in a quick run', () => {
    const report = mnistReport(outcomes, options);
    expect(report.blocks[0].table?.rows).toHaveLength(outcomes.length);
    expect(mnistTargets(outcomes, options).map((t) => t.status)).toEqual(['NOT RUN', 'NOT RUN', 'NOT RUN', 'NOT RUN']);
  });
});

describe('MNIST targets', () => {
  const ok = (system: MnistOutcome['system'], trainPerSec: number, inferPerSec: number): MnistOutcome => ({
    system,
    status: 'ok',
    sample: {
      system,
      trained: 2000,
      warm: 100,
      batch: 1,
      trainRuns: [1],
      trainPerSec,
      inferred: 2000,
      inferRuns: [1],
      inferPerSec,
      setupMs: 1,
      accuracy: 0.5,
      tested: 1000,
    },
  });
  const full: MnistOptions = { ...options, quick: false };

  it('compares compiled with each peer, and does not fail a target for a peer that could not be installed', () => {
    const outcomes: MnistOutcome[] = [
      ok('hand-written', 1000, 1000),
      ok('compiled', 950, 900),
      ok('synaptic1', 9, 20),
      { system: 'brain', status: 'unavailable', reason: 'could not install: brain.js: Cannot find module' },
    ];
    const targets = mnistTargets(outcomes, full);
    expect(targets.map((t) => [t.status, t.measured])).toEqual([
      ['PASS', '0.95x'],
      ['FAIL', '0.90x'],
      ['PASS', '106x'],
      ['NOT RUN', 'brain.js 1.6.1: could not install: brain.js: Cannot find module'],
    ]);
    const rows = mnistReport(outcomes, full).blocks[0].table?.rows ?? [];
    expect(rows[3][3]).toBe('could not install: brain.js: Cannot find module');
  });

  it("keeps the best training and the best inference throughput of a system's rounds", () => {
    const best = bestOfRounds('compiled', [
      ok('compiled', 900, 2000),
      ok('compiled', 1000, 1500),
      { system: 'compiled', status: 'timeout', afterMs: 1 },
    ]);
    expect(best.status === 'ok' && [best.sample.trainPerSec, best.sample.inferPerSec]).toEqual([1000, 2000]);
    expect(bestOfRounds('brain', [{ system: 'brain', status: 'error', message: 'boom' }])).toEqual({
      system: 'brain',
      status: 'error',
      message: 'boom',
    });
  });
});

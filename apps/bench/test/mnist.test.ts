import { describe, expect, it } from 'vitest';
import { bestOfRounds, mnistReport, mnistTargets, type MnistOptions, type MnistOutcome } from '../src/suites/mnist.js';

/** The MNIST suite's targets and rounds, from made-up outcomes (the child processes run in mnist.slow.test.ts). */
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

/**
 * 1.x's "LSTM - Timing Task", smaller and seeded: LSTM(2, 7, 1) on 600 training and 200 test
 * steps (1.x's own sizes, 4000 and 500, are in learns-timing.slow.test.ts).
 */
import { mulberry32, setRandom } from '@synaptic/core';
import { afterEach, describe, expect, it } from 'vitest';
import { Trainer } from '@synaptic/trainer';
import { lstm } from './support/lstm.js';

afterEach(() => setRandom());

const run = (iterations: number) => {
  setRandom(mulberry32(2));
  const network = lstm(2, [7], 1);
  setRandom();
  return new Trainer(network).timingTask({ log: false, trainSamples: 600, testSamples: 200, iterations, seed: 2 });
};

describe('LSTM(2, 7, 1) on a short timing task', () => {
  it('passes the test with an error under 0.05, a tenth of the untrained network’s', () => {
    const untrained = run(0);
    const trained = run(200);
    expect(untrained.test.error).toBeGreaterThan(0.1);
    expect(trained.train.iterations).toBeLessThanOrEqual(200);
    expect(trained.test.error).toBeLessThan(0.05);
    expect(trained.test.error).toBeLessThan(untrained.test.error / 10);
  });
});

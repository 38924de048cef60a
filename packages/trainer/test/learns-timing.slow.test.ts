/** 1.x's "LSTM - Timing Task" test, seeded: LSTM(2, 7, 1), 4000 training and 500 test steps (a smaller run is in learns-timing.test.ts). */
import { mulberry32, setRandom } from '@synaptic/core';
import { afterEach, describe, expect, it } from 'vitest';
import { Trainer } from '@synaptic/trainer';
import { lstm } from './support/lstm.js';

afterEach(() => setRandom());

describe('LSTM(2, 7, 1) on the timing task', () => {
  it('completes training in at most 200 iterations and passes the test with an error under 0.05', () => {
    setRandom(mulberry32(2));
    const network = lstm(2, [7], 1);
    setRandom();
    const result = new Trainer(network).timingTask({ log: false, trainSamples: 4000, testSamples: 500, seed: 2 });
    expect(result.train.iterations).toBeLessThanOrEqual(200);
    expect(result.train.error).toBeLessThan(0.05);
    expect(result.test.error).toBeLessThan(0.05);
  });
});

/**
 * ERG: an LSTM trained by 1.x's procedure (one fresh embedded Reber string per iteration, fed
 * without clearing the network, propagated only where the arg-max is wrong) learns the Reber
 * grammar's local rules. The long-range rule, learned with the `clear` option over 100,000
 * strings, is in learns-erg.slow.test.ts (`pnpm test:slow`).
 */
import { setRandom } from '@synaptic/core';
import { afterEach, describe, expect, it } from 'vitest';
import { Trainer } from '@synaptic/trainer';
import { network, score } from './support/erg.js';

afterEach(() => setRandom());

describe('LSTM(6, 8, 6) on the embedded Reber grammar', () => {
  it('learns the grammar’s rules: almost every prediction on fresh strings is a valid next symbol', () => {
    const net = network();
    const untrained = score(net.clone());
    const result = new Trainer(net).ERG({
      iterations: 10000,
      error: 0,
      rate: [0.1, 0.05, 0.02, 0.01],
      log: false,
      seed: 1,
    });
    expect(result.iterations).toBe(10000);
    const trained = score(net);
    expect(untrained.local).toBeLessThan(0.5);
    expect(trained.local).toBeGreaterThanOrEqual(0.98);
  });
});

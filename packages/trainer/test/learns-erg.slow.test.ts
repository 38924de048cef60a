/**
 * ERG's long-range rule (after the inner string, close with the letter that matches the branch
 * taken at the start), learned with the `clear` option on a compiled network over 100,000 strings.
 * The run is cut into slices of 10,000 strings with the event loop free between them (see
 * support/slices.ts): the same strings and rates as one `ERG({ iterations: 100000, seed: 1 })` call.
 */
import { optimize } from '@synaptic/compile';
import { setRandom } from '@synaptic/core';
import { afterEach, describe, expect, it } from 'vitest';
import { Trainer } from '@synaptic/trainer';
import { network, score } from './support/erg.js';
import { ergInSlices } from './support/slices.js';

afterEach(() => setRandom());

describe('LSTM(6, 8, 6) on the embedded Reber grammar, long run', () => {
  // Not achieved with 1.x's procedure: the long-range rule stays near chance (about half the
  // closing letters wrong) in every budget tried, from LSTM(6,6,6) to LSTM(6,20,6), two memory
  // layers, every LSTM option (hidden-to-hidden, output-to-gates/hidden, one-to-one peepholes), a
  // forget-gate bias of 3, rates 0.02 to 0.1 (0.1 and up destabilise the local rules) and
  // decaying rates, over up to 200,000 strings (several minutes). What makes it hard there: the
  // network is never cleared and the final E is never fed, so the only cue of a new string is the
  // inner E three steps before the branch letter, and the branch letters P/T also occur inside
  // the inner string: the cell must latch exactly the third symbol after an E. 1.x itself did not
  // learn ERG with LSTM(6,6,6) in 45,000 strings. With `clear: true` the network starts each
  // string from a reset state, so B is visibly the start and the branch letter the second symbol.
  // (The same network, rates and budget without `clear`: 13 perfect strings, the closing letter
  // right in 45 of 100. With `clear`, networks from seeds 2 and 3 reach 96 and 97 perfect strings.)
  it('with `clear`, every predicted next symbol of 100 fresh strings is a valid continuation', async () => {
    const net = optimize(network());
    const trained = await ergInSlices(new Trainer(net), {
      iterations: 100000,
      slice: 10000,
      error: 0,
      rate: [0.1, 0.05, 0.02, 0.01],
      log: false,
      seed: 1,
      clear: true,
    });
    expect(trained).toBe(100000);
    const result = score(net, true);
    expect(result.longRange).toBe(1);
    expect(result.perfect).toBe(100);
  }, 300_000);
});

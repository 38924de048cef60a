/**
 * ERG: an LSTM trained by 1.x's procedure (one fresh embedded Reber string per iteration, fed
 * without clearing the network, propagated only where the arg-max is wrong) learns the Reber
 * grammar's rules. The long-range rule (after the inner string, close with the letter that
 * matches the branch taken at the start) is not learned that way in a test's budget; with the
 * `clear` option (the network reset before each string) it is, on a compiled network.
 */
import { optimize } from '@synaptic/compile';
import { mulberry32, setRandom, type Network } from '@synaptic/core';
import { afterEach, describe, expect, it } from 'vitest';
import { Trainer } from '@synaptic/trainer';
import { argmax, ERG_SYMBOLS, ergVector, resetERG } from '../src/tasks/erg.js';
import { ergContinuations, generateERG } from '../src/tasks/reber.js';
import { lstm } from './support/lstm.js';

afterEach(() => setRandom());

interface Score {
  /** Predictions that are a valid next symbol, over all steps but the long-range one. */
  local: number;
  /** The same at the long-range step (the symbol after the inner string's E). */
  longRange: number;
  /** Strings where every prediction is valid. */
  perfect: number;
}

/**
 * Feeds 100 fresh strings as training does (resetting the network before each one if `clear`)
 * and checks each predicted next symbol against the grammar.
 */
function score(network: Network, clear = false): Score {
  const random = mulberry32(4242);
  let local = 0;
  let localSteps = 0;
  let longRange = 0;
  let perfect = 0;
  for (let s = 0; s < 100; s++) {
    const text = generateERG(random);
    if (clear) resetERG(network);
    let valid = true;
    for (let i = 0; i + 1 < text.length; i++) {
      const k = argmax(network.activate(ergVector(text[i])));
      const ok = k >= 0 && ergContinuations(text.slice(0, i + 1))!.includes(ERG_SYMBOLS[k]);
      valid &&= ok;
      if (i === text.length - 3) longRange += Number(ok);
      else {
        local += Number(ok);
        localSteps++;
      }
    }
    perfect += Number(valid);
  }
  return { local: local / localSteps, longRange: longRange / 100, perfect };
}

function network(): Network {
  setRandom(mulberry32(1));
  const net = lstm(6, [8], 6);
  setRandom();
  return net;
}

describe('LSTM(6, 8, 6) on the embedded Reber grammar', () => {
  it('learns the grammar’s rules: almost every prediction on fresh strings is a valid next symbol', () => {
    const net = network();
    const untrained = score(net.clone());
    const result = new Trainer(net).ERG({
      iterations: 20000,
      error: 0,
      rate: [0.1, 0.05, 0.02, 0.01],
      log: false,
      seed: 1,
    });
    expect(result.iterations).toBe(20000);
    const trained = score(net);
    expect(untrained.local).toBeLessThan(0.5);
    expect(trained.local).toBeGreaterThanOrEqual(0.98);
  });

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
  it('with `clear`, every predicted next symbol of 100 fresh strings is a valid continuation', () => {
    const net = optimize(network());
    const result = new Trainer(net).ERG({
      iterations: 100000,
      error: 0,
      rate: [0.1, 0.05, 0.02, 0.01],
      log: false,
      seed: 1,
      clear: true,
    });
    expect(result.iterations).toBe(100000);
    const trained = score(net, true);
    expect(trained.longRange).toBe(1);
    expect(trained.perfect).toBe(100);
  }, 120000);
});

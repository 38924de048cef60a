/** The ERG tests' network and their score of predictions on fresh strings (shared by the two tiers). */
import { mulberry32, setRandom, type Network } from '@synaptic/core';
import { argmax, ERG_SYMBOLS, ergVector, resetERG } from '../../src/tasks/erg.js';
import { ergContinuations, generateERG } from '../../src/tasks/reber.js';
import { lstm } from './lstm.js';

export interface Score {
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
export function score(network: Network, clear = false): Score {
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

export function network(): Network {
  setRandom(mulberry32(1));
  const net = lstm(6, [8], 6);
  setRandom();
  return net;
}

/**
 * 1.x's "LSTM - Discrete Sequence Recall" test, seeded. 1.x ran it on LSTM(5, 3, 2), which only
 * worked because its optimized network silently ignored the sixth input (symbol 5); DSR here
 * needs one input per symbol, so the network is LSTM(6, 3, 2).
 */
import { mulberry32, setRandom } from '@synaptic/core';
import { afterEach, describe, expect, it } from 'vitest';
import { Trainer } from '@synaptic/trainer';
import { dsrSequence } from '../src/tasks/dsr.js';
import { lstm } from './support/lstm.js';

afterEach(() => setRandom());

const targets = [2, 4];
const distractors = [3, 5];
const prompts = [0, 1];
const length = 9;

describe('LSTM(6, 3, 2) on distracted sequence recall', () => {
  it('learns to recall the targets of fresh sequences', () => {
    setRandom(mulberry32(1));
    const network = lstm(6, [3], 2);
    setRandom();
    const result = new Trainer(network).DSR({
      targets,
      distractors,
      prompts,
      length,
      rate: 0.17,
      iterations: 250000,
      seed: 1,
    });
    expect(result.success).toBeGreaterThanOrEqual(0.95);
    expect(result.iterations % 1000).toBe(0);
    expect(result.iterations).toBeLessThan(250000);

    // fresh sequences, fed as in training: every rounded output must be right
    const random = mulberry32(1234);
    const recalled = Array.from({ length: 100 }, () => {
      const { sequence, picked } = dsrSequence(targets, distractors, prompts, length, random);
      return sequence.every((symbol, i) => {
        const input = [0, 0, 0, 0, 0, 0];
        input[symbol] = 1;
        const expected = [0, 0];
        if (i >= length - prompts.length) expected[picked[i - (length - prompts.length)]] = 1;
        return network.activate(input).every((y, k) => Math.round(y) === expected[k]);
      });
    });
    expect(recalled[0]).toBe(true);
    expect(recalled.filter(Boolean).length).toBeGreaterThanOrEqual(90);
  });
});

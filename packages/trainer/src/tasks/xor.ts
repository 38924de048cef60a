import { cost } from '../cost.js';
import type { TrainOptions } from '../options.js';
import type { TrainingSample } from '../training-set.js';

/** The XOR truth table, in 1.x's order. */
export function xorSet(): TrainingSample[] {
  return [
    { input: [0, 0], output: [0] },
    { input: [1, 0], output: [1] },
    { input: [0, 1], output: [1] },
    { input: [1, 1], output: [0] },
  ];
}

/** 1.x's XOR defaults (100000 iterations, shuffled, MSE, no log) under the caller's options. */
export function xorOptions(options: Partial<TrainOptions>): Partial<TrainOptions> {
  return { iterations: 100000, log: false, shuffle: true, cost: cost.MSE, ...options };
}

/**
 * y = f(s) and d = f'(s) over a whole layer of a batch (eq. 16), for the built-in squashes: the
 * statements of core's SQUASH_SOURCE, as loops (one loop per squash, so the choice is made once a
 * unit, not once a number). CUSTOM calls each unit's own function.
 */
import type { SquashFunction } from '@synaptic/core';
import type { FloatArray } from './kernels.js';
import type { SquashKernel } from './topology.js';

/**
 * For each unit j < m and sample b < count: s = states[statesT + j·cols + b] + bias[j]; f'(s) →
 * derivative[j·cols + b]; y → to[toAt + j·toRow + b·toCol]. `to` is the heap (the next layer's
 * transposed activations: toRow = cols, toCol = 1, rounded to the heap's type) or the output
 * array (toRow = 1, toCol = m).
 */
export function squashLayer(
  kernel: SquashKernel,
  squashes: readonly SquashFunction[],
  bias: Float64Array,
  m: number,
  states: FloatArray,
  statesT: number,
  cols: number,
  count: number,
  derivative: Float64Array,
  to: FloatArray,
  toAt: number,
  toRow: number,
  toCol: number,
): void {
  for (let j = 0; j < m; j++) {
    const from = statesT + j * cols;
    const dAt = j * cols;
    const at = toAt + j * toRow;
    const beta = bias[j];
    switch (kernel) {
      case 'LOGISTIC':
        for (let b = 0; b < count; b++) {
          const y = 1 / (1 + Math.exp(-(states[from + b] + beta)));
          to[at + b * toCol] = y;
          derivative[dAt + b] = y * (1 - y);
        }
        break;
      case 'TANH':
        for (let b = 0; b < count; b++) {
          const y = Math.tanh(states[from + b] + beta);
          to[at + b * toCol] = y;
          derivative[dAt + b] = 1 - y ** 2;
        }
        break;
      case 'IDENTITY':
        for (let b = 0; b < count; b++) {
          to[at + b * toCol] = states[from + b] + beta;
          derivative[dAt + b] = 1;
        }
        break;
      case 'HLIM':
        for (let b = 0; b < count; b++) {
          to[at + b * toCol] = states[from + b] + beta > 0 ? 1 : 0;
          derivative[dAt + b] = 1;
        }
        break;
      case 'RELU':
        for (let b = 0; b < count; b++) {
          const sum = states[from + b] + beta;
          // biome-ignore lint/complexity/useMathMinMax: Math.max passes NaN through; 1.x returns 0
          to[at + b * toCol] = sum > 0 ? sum : 0;
          derivative[dAt + b] = sum > 0 ? 1 : 0;
        }
        break;
      default: {
        const custom = squashes[j];
        for (let b = 0; b < count; b++) {
          const sum = states[from + b] + beta;
          to[at + b * toCol] = custom(sum);
          derivative[dAt + b] = custom(sum, true);
        }
      }
    }
  }
}

/**
 * y = f(s) and d = f'(s) over one row of a batch (eq. 16), for the built-in squashes: the
 * statements of core's SQUASH_SOURCE, as loops. CUSTOM calls each unit's own function.
 */
import type { SquashFunction } from '@synaptic/core';
import type { SquashKernel } from './topology.js';

/**
 * For b < count: s = states[from + b] + bias; y → outT[from + b] (and rowMajor[rowAt + b·rowStride]
 * when rowMajor is given); f'(s) → derivative[dAt + b].
 */
export function squashRow(
  kernel: SquashKernel,
  custom: SquashFunction,
  bias: number,
  states: Float64Array | Float32Array,
  from: number,
  count: number,
  outT: Float64Array | Float32Array | null,
  rowMajor: Float64Array | Float32Array | null,
  rowAt: number,
  rowStride: number,
  derivative: Float64Array,
  dAt: number,
  output: Float64Array | null,
  outAt: number,
  outStride: number,
): void {
  for (let b = 0; b < count; b++) {
    const sum = states[from + b] + bias;
    let y: number;
    let d: number;
    switch (kernel) {
      case 'LOGISTIC':
        y = 1 / (1 + Math.exp(-sum));
        d = y * (1 - y);
        break;
      case 'TANH':
        y = Math.tanh(sum);
        d = 1 - y ** 2;
        break;
      case 'IDENTITY':
        y = sum;
        d = 1;
        break;
      case 'HLIM':
        y = sum > 0 ? 1 : 0;
        d = 1;
        break;
      case 'RELU':
        // biome-ignore lint/complexity/useMathMinMax: Math.max passes NaN through; 1.x returns 0
        y = sum > 0 ? sum : 0;
        d = sum > 0 ? 1 : 0;
        break;
      default:
        y = custom(sum);
        d = custom(sum, true);
    }
    if (outT !== null) outT[from + b] = y;
    if (rowMajor !== null) rowMajor[rowAt + b * rowStride] = y;
    if (output !== null) output[outAt + b * outStride] = y;
    derivative[dAt + b] = d;
  }
}

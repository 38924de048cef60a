/**
 * CONVOLUTION over a batch as im2col and the one `gemm` (kernels.ts / wasm/gemm.wat). With P = W'·H'
 * positions, q = (dy·kw + dx)·C + c a kernel tap (core's kernel layout, m·Kc + q) and columns
 * p·cols + b (position p of sample b; cols = the batch size padded to 8):
 *
 * - im2col: Xᵀ[q][p·cols + b] = y_src(b, x·sx − px + dx, y·sy − py + dy, c), 0 outside the field
 *   (the window ranges are core's `Convolution.range`, so padding and strides follow one rule);
 * - eq. 15: Sᵀ = K · Xᵀ (maps × positions of every sample), plus each map's bias;
 * - eq. 24 over the batch: ∂E/∂Kᵀ = Xᵀ · Δ (Δ: positions × maps), ∂E/∂b_m = Σ δ over map m;
 * - eq. 21: ∂E/∂Xᵀ = Kᵀ · Δᵀ, then col2im adds each tap's share back onto the source unit it read.
 *
 * The unit-major activations (unit i of sample b at i·cols + b) make im2col and col2im copies of
 * runs of samples.
 */
import type { Convolution } from '@synaptic/core';
import type { DenseKernels } from './kernels.js';
import { pad4, pad8 } from './layout.js';
import type { StageKernel, StagePlan, Take } from './stage.js';

export function convStage(op: Convolution, batchSize: number, backflow: boolean, take: Take): StagePlan {
  const [W, , C] = op.from;
  const [OW, OH, M] = op.to;
  const { kw, kh, sx, sy, px, py } = op.geometry;
  const P = OW * OH;
  const Kc = kh * kw * C;
  const cols = pad8(batchSize);
  const wide = P * cols;
  const M8 = pad8(M);
  const colT = take(pad4(Kc) * wide);
  // the transposed read of the back-flow runs up to 3 entries past the last row
  const kernel = take(pad4(M) * Kc + 8);
  const statesT = take(pad4(M) * wide);
  const deltaT = take(pad4(M) * wide);
  const deltaRows = take(wide * M8);
  const gradT = take(pad4(Kc) * M8);
  const backT = backflow ? take(pad4(Kc) * wide) : -1;
  /** each tap's range of output rows and columns inside the field: core's rule */
  const taps: Array<readonly [number, number, number, number]> = [];
  for (let dy = 0; dy < kh; dy++) for (let dx = 0; dx < kw; dx++) taps.push(op.range(dy, dx));
  /**
   * For every tap (dy, dx, c) and output row oy inside the field: the row of Xᵀ, the first column
   * (position (ox0, oy), sample 0), the first source unit's offset (unit · cols) and the run's
   * length in positions; consecutive positions are `cols` apart in Xᵀ and sx·C·cols apart in the
   * source. Precomputed once, so im2col and col2im are plain loops over runs of samples.
   */
  const runs: number[] = [];
  for (let dy = 0; dy < kh; dy++)
    for (let dx = 0; dx < kw; dx++) {
      const [oy0, oy1, ox0, ox1] = taps[dy * kw + dx];
      if (ox0 > ox1) continue;
      for (let c = 0; c < C; c++)
        for (let oy = oy0; oy <= oy1; oy++)
          runs.push(
            ((dy * kw + dx) * C + c) * wide + (oy * OW + ox0) * cols,
            ((oy * sy - py + dy) * W + ox0 * sx - px + dx) * C * cols + c * cols,
            ox1 - ox0 + 1,
          );
    }
  const step = sx * C * cols;
  return {
    bind(kernels: DenseKernels): StageKernel {
      const h = kernels.heap;
      const states = new Float64Array(P * M * cols);
      return {
        states,
        statesAt: 0,
        forward(input, n) {
          // im2col (the entries outside the field are never written: they stay 0; the padding
          // samples' columns are set to 0, as the kernel's gradient sums over every column)
          for (let r = 0; r < runs.length; r += 3) {
            let to = colT + runs[r];
            let from = runs[r + 1];
            for (let k = runs[r + 2]; k > 0; k--, to += cols, from += step) {
              for (let b = 0; b < n; b++) h[to + b] = input[from + b];
              for (let b = n; b < cols; b++) h[to + b] = 0;
            }
          }
          h.set(op.tensors[0].value, kernel);
          kernels.gemm(statesT, wide, kernel, Kc, 1, colT, wide, pad4(M), wide, Kc, false);
          const bias = op.tensors[1].value;
          // NHWC unit p·M + m
          for (let m = 0; m < M; m++) {
            const beta = bias[m];
            for (let p = 0; p < P; p++) {
              const from = statesT + m * wide + p * cols;
              const to = (p * M + m) * cols;
              for (let b = 0; b < n; b++) states[to + b] = h[from + b] + beta;
            }
          }
        },
        backward(_x, n, delta, into) {
          const [kernelTensor, biasTensor] = op.tensors;
          const gb = biasTensor.gradient;
          for (let m = 0; m < M; m++) {
            let sum = 0;
            for (let p = 0; p < P; p++) {
              const from = (p * M + m) * cols;
              const column = p * cols;
              for (let b = 0; b < n; b++) {
                const d = delta[from + b];
                h[deltaT + m * wide + column + b] = d;
                h[deltaRows + (column + b) * M8 + m] = d;
                sum += d;
              }
              // the padding samples add nothing to the kernel's gradient
              for (let b = n; b < cols; b++) h[deltaRows + (column + b) * M8 + m] = 0;
            }
            if (biasTensor.fixed === null || biasTensor.fixed[m] === 0) gb[m] += sum;
          }
          // ∂E/∂Kᵀ = Xᵀ · Δ
          kernels.gemm(gradT, M8, colT, wide, 1, deltaRows, M8, pad4(Kc), M8, wide, false);
          const gK = kernelTensor.gradient;
          const fixed = kernelTensor.fixed;
          for (let m = 0; m < M; m++)
            for (let q = 0; q < Kc; q++)
              if (fixed === null || fixed[m * Kc + q] === 0) gK[m * Kc + q] += h[gradT + q * M8 + m];
          if (into === null) return;
          // ∂E/∂Xᵀ = Kᵀ · Δᵀ, then col2im into the layer below's errors
          kernels.gemm(backT, wide, kernel, 1, Kc, deltaT, wide, pad4(Kc), wide, M, false);
          for (let r = 0; r < runs.length; r += 3) {
            let from = backT + runs[r];
            let to = runs[r + 1];
            for (let k = runs[r + 2]; k > 0; k--, from += cols, to += step)
              for (let b = 0; b < n; b++) into[to + b] += h[from + b];
          }
        },
      };
    },
  };
}

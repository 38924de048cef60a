/**
 * CONVOLUTION over a batch as im2col and the one `gemm` (kernels.ts / wasm/gemm.wat). With P = W'·H'
 * positions per sample and q = (dy·kw + dx)·C + c a kernel tap (core's kernel layout, m·Kc + q):
 *
 * - im2col: Xᵀ[q][b·P + p] = y_src(b, x·sx − px + dx, y·sy − py + dy, c), 0 outside the field (the
 *   window ranges are core's `Convolution.range`, so padding and strides follow one rule);
 * - eq. 15: Sᵀ = K · Xᵀ (maps × positions of every sample), plus each map's bias;
 * - eq. 24 over the batch: ∂E/∂Kᵀ = Xᵀ · Δ (Δ: positions × maps), ∂E/∂b_m = Σ δ over map m;
 * - eq. 21: ∂E/∂Xᵀ = Kᵀ · Δᵀ, then col2im adds each tap's share back onto the source unit it read.
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
  const n = op.from[0] * op.from[1] * C;
  const size = P * M;
  const Kc = kh * kw * C;
  const cols = pad8(batchSize);
  const wide = pad8(batchSize * P);
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
  return {
    bind(kernels: DenseKernels): StageKernel {
      const h = kernels.heap;
      const states = new Float64Array(size * cols);
      return {
        states,
        statesAt: 0,
        forward(x, count) {
          // im2col (the entries outside the field are never written: they stay 0)
          for (let dy = 0; dy < kh; dy++)
            for (let dx = 0; dx < kw; dx++) {
              const [oy0, oy1, ox0, ox1] = taps[dy * kw + dx];
              if (ox0 > ox1 || oy0 > oy1) continue;
              for (let c = 0; c < C; c++) {
                const row = colT + ((dy * kw + dx) * C + c) * wide;
                const step = sx * C;
                for (let b = 0; b < count; b++)
                  for (let oy = oy0; oy <= oy1; oy++) {
                    let to = row + b * P + oy * OW + ox0;
                    const end = to + (ox1 - ox0) + 1;
                    let from = b * n + ((oy * sy - py + dy) * W + ox0 * sx - px + dx) * C + c;
                    for (; to < end; to++, from += step) h[to] = x[from];
                  }
              }
            }
          h.set(op.tensors[0].value, kernel);
          kernels.gemm(statesT, wide, kernel, Kc, 1, colT, wide, pad4(M), pad8(count * P), Kc, false);
          const bias = op.tensors[1].value;
          // NHWC unit p·M + m of sample b
          for (let m = 0; m < M; m++) {
            const beta = bias[m];
            for (let b = 0; b < count; b++) {
              const from = statesT + m * wide + b * P;
              for (let p = 0; p < P; p++) states[(p * M + m) * cols + b] = h[from + p] + beta;
            }
          }
        },
        backward(_x, count, delta, below) {
          const [kernelTensor, biasTensor] = op.tensors;
          const gb = biasTensor.gradient;
          for (let m = 0; m < M; m++) {
            let sum = 0;
            for (let b = 0; b < count; b++) {
              const row = b * P;
              for (let p = 0; p < P; p++) {
                const d = delta[(p * M + m) * cols + b];
                h[deltaT + m * wide + row + p] = d;
                h[deltaRows + (row + p) * M8 + m] = d;
                sum += d;
              }
            }
            if (biasTensor.fixed === null || biasTensor.fixed[m] === 0) gb[m] += sum;
          }
          // ∂E/∂Kᵀ = Xᵀ · Δ
          kernels.gemm(gradT, M8, colT, wide, 1, deltaRows, M8, pad4(Kc), M8, count * P, false);
          const gK = kernelTensor.gradient;
          const fixed = kernelTensor.fixed;
          for (let m = 0; m < M; m++)
            for (let q = 0; q < Kc; q++)
              if (fixed === null || fixed[m * Kc + q] === 0) gK[m * Kc + q] += h[gradT + q * M8 + m];
          if (below === null) return;
          // ∂E/∂Xᵀ = Kᵀ · Δᵀ, then col2im (unit-major errors of the layer below)
          kernels.gemm(backT, wide, kernel, 1, Kc, deltaT, wide, pad4(Kc), pad8(count * P), M, false);
          const step = sx * C;
          for (let dy = 0; dy < kh; dy++)
            for (let dx = 0; dx < kw; dx++) {
              const [oy0, oy1, ox0, ox1] = taps[dy * kw + dx];
              if (ox0 > ox1 || oy0 > oy1) continue;
              for (let c = 0; c < C; c++) {
                const row = backT + ((dy * kw + dx) * C + c) * wide;
                for (let b = 0; b < count; b++)
                  for (let oy = oy0; oy <= oy1; oy++) {
                    let from = row + b * P + oy * OW + ox0;
                    const end = from + (ox1 - ox0) + 1;
                    let unit = ((oy * sy - py + dy) * W + ox0 * sx - px + dx) * C + c;
                    for (; from < end; from++, unit += step) below[unit * cols + b] += h[from];
                  }
              }
            }
        },
      };
    },
  };
}

/**
 * A dense ALL_TO_ALL layer inside a chain with ops: Sᵀ = W · Yᵀ (eq. 15 without the bias),
 * ∂E/∂Wᵀ = Yᵀ · Δ (eq. 24 summed over the batch) and the back-flow Wᵀ · Δᵀ (eq. 21), three calls of
 * the one `gemm` (WebAssembly SIMD or JavaScript, kernels.ts). The weights are copied into the heap
 * at every forward (rounded to f32 there at f32); the gradient is added into the network's array.
 */
import type { DenseKernels } from './kernels.js';
import { pad4, pad8 } from './layout.js';
import type { StageKernel, StagePlan, Take } from './stage.js';
import type { DenseLayer } from './topology.js';

export function denseStage(layer: DenseLayer, batchSize: number, backflow: boolean, take: Take): StagePlan {
  const m = layer.size;
  const n = layer.inputs;
  const cols = pad8(batchSize);
  const m8 = pad8(m);
  // Yᵀ: pad4(n) rows, those past n stay 0 (the gradient's product reads them)
  const yT = take(pad4(n) * cols);
  // the transposed read of the back-flow runs up to 3 entries past the last row
  const weight = take(pad4(m) * n + 8);
  const statesT = take(pad4(m) * cols);
  const deltaT = take(pad4(m) * cols);
  const deltaRows = take(cols * m8);
  const gradT = take(pad4(n) * m8);
  const backT = backflow ? take(pad4(n) * cols) : -1;
  return {
    bind(kernels: DenseKernels): StageKernel {
      const h = kernels.heap;
      return {
        states: h,
        statesAt: statesT,
        forward(x, count) {
          h.set(x.subarray(0, n * cols), yT);
          h.set(layer.block.weight.subarray(0, m * n), weight);
          kernels.gemm(statesT, cols, weight, n, 1, yT, cols, pad4(m), pad8(count), n, false);
        },
        backward(_x, count, delta, below) {
          h.set(delta.subarray(0, m * cols), deltaT);
          for (let j = 0; j < m; j++)
            for (let b = 0, at = j * cols; b < count; b++) h[deltaRows + b * m8 + j] = delta[at + b];
          // Gᵀ = Yᵀ · Δ: Σ_b y_i(b) δ_j(b)
          kernels.gemm(gradT, m8, yT, cols, 1, deltaRows, m8, pad4(n), m8, count, false);
          const g = layer.block.ensureGradient();
          const fixed = layer.block.fixed;
          for (let i = 0; i < n; i++) {
            const from = gradT + i * m8;
            if (fixed === null) for (let j = 0; j < m; j++) g[j * n + i] += h[from + j];
            else for (let j = 0; j < m; j++) if (fixed[j * n + i] === 0) g[j * n + i] += h[from + j];
          }
          if (below === null) return;
          kernels.gemm(backT, cols, weight, 1, n, deltaT, cols, pad4(n), pad8(count), m, false);
          for (let i = 0; i < n; i++)
            for (let b = 0, at = backT + i * cols, to = i * cols; b < count; b++) below[to + b] += h[at + b];
        },
      };
    },
  };
}

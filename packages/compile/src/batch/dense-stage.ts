/**
 * A dense ALL_TO_ALL layer inside a chain with ops: Sᵀ = W · Yᵀ (eq. 15 without the bias),
 * ∂E/∂W = Δᵀ · Y (eq. 24 summed over the batch) and the back-flow Wᵀ · Δ (eq. 21), three calls of
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
  const n8 = pad8(n);
  const yT = take(pad4(n) * cols);
  const yRows = take(cols * n8);
  // the transposed read of the back-flow runs up to 3 entries past the last row
  const weight = take(pad4(m) * n + 8);
  const statesT = take(pad4(m) * cols);
  const deltaT = take(pad4(m) * cols);
  const gradient = take(pad4(m) * n8);
  const backT = backflow ? take(pad4(n) * cols) : -1;
  return {
    bind(kernels: DenseKernels): StageKernel {
      const h = kernels.heap;
      return {
        states: h,
        statesAt: statesT,
        forward(x, count) {
          for (let b = 0; b < count; b++) {
            const row = b * n;
            const to = yRows + b * n8;
            for (let i = 0; i < n; i++) {
              const v = x[row + i];
              h[yT + i * cols + b] = v;
              h[to + i] = v;
            }
          }
          h.set(layer.block.weight.subarray(0, m * n), weight);
          kernels.gemm(statesT, cols, weight, n, 1, yT, cols, pad4(m), pad8(count), n, false);
        },
        backward(_x, count, delta, below) {
          for (let j = 0; j < m; j++) for (let b = 0; b < count; b++) h[deltaT + j * cols + b] = delta[j * cols + b];
          // G = Δᵀ · Y: Σ_b δ_j(b) y_i(b)
          kernels.gemm(gradient, n8, deltaT, cols, 1, yRows, n8, pad4(m), n8, count, false);
          const g = layer.block.ensureGradient();
          const fixed = layer.block.fixed;
          for (let j = 0; j < m; j++) {
            const from = gradient + j * n8;
            const to = j * n;
            if (fixed === null) for (let i = 0; i < n; i++) g[to + i] += h[from + i];
            else for (let i = 0; i < n; i++) if (fixed[to + i] === 0) g[to + i] += h[from + i];
          }
          if (below === null) return;
          kernels.gemm(backT, cols, weight, 1, n, deltaT, cols, pad4(n), pad8(count), m, false);
          for (let i = 0; i < n; i++)
            for (let b = 0, at = backT + i * cols; b < count; b++) below[i * cols + b] += h[at + b];
        },
      };
    },
  };
}

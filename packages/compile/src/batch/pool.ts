/**
 * MAX_POOL and AVERAGE_POOL over a batch: sample by sample, core's own kernels (`op.forward`,
 * `op.backflow`) on each sample's activations, so the windows, the mean's scale and the arg-max
 * (the first in row-major order on ties) are core's, and the gradient is exact. Pooling has no
 * products to batch; what batching saves here is the per-unit work of the interpreter.
 */
import type { AveragePool, MaxPool } from '@synaptic/core';
import { pad8 } from './layout.js';
import type { StageKernel, StagePlan } from './stage.js';

export function poolStage(op: MaxPool | AveragePool, batchSize: number): StagePlan {
  const n = op.from[0] * op.from[1] * op.from[2];
  const m = op.to[0] * op.to[1] * op.to[2];
  const cols = pad8(batchSize);
  return {
    bind(): StageKernel {
      const states = new Float64Array(m * cols);
      /** the source's activations sample by sample (kept from forward for the back-flow), and a view of each */
      const rows = new Float64Array(batchSize * n);
      const samples = Array.from({ length: batchSize }, (_, b) => [rows.subarray(b * n, (b + 1) * n)]);
      const s = new Float64Array(m);
      const d = new Float64Array(m);
      const e = new Float64Array(n);
      const errors = [e];
      return {
        states,
        statesAt: 0,
        forward(x, count) {
          for (let i = 0; i < n; i++) for (let b = 0, at = i * cols; b < count; b++) rows[b * n + i] = x[at + b];
          for (let b = 0; b < count; b++) {
            s.fill(0);
            op.forward(samples[b], s);
            for (let j = 0; j < m; j++) states[j * cols + b] = s[j];
          }
        },
        backward(_x, count, delta, below) {
          if (below === null) return;
          for (let b = 0; b < count; b++) {
            for (let j = 0; j < m; j++) d[j] = delta[j * cols + b];
            e.fill(0);
            op.backflow(samples[b], d, errors);
            for (let i = 0; i < n; i++) below[i * cols + b] += e[i];
          }
        },
      };
    },
  };
}

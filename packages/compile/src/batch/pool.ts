/**
 * MAX_POOL and AVERAGE_POOL over a batch, with core's own kernels (`maxPoolForward`,
 * `averagePoolForward` and their back-flows): pooling treats channels independently, so the
 * batch's unit-major activations (unit (x, y, c) of sample b at ((y·W + x)·C + c)·cols + b) are
 * one field of C · cols channels, and one call pools every sample. The windows, the mean's scale
 * and the arg-max (the first in row-major order on ties) are core's; the gradient is exact. The
 * padding samples (b ≥ count) are pooled too; nothing reads their results.
 */
import {
  type AveragePool,
  averagePoolBackflow,
  averagePoolForward,
  type MaxPool,
  maxPoolBackflow,
  maxPoolForward,
  type Shape,
} from '@synaptic/core';
import { pad8 } from './layout.js';
import type { StageKernel, StagePlan } from './stage.js';

export function poolStage(op: MaxPool | AveragePool, batchSize: number): StagePlan {
  const cols = pad8(batchSize);
  const from: Shape = [op.from[0], op.from[1], op.from[2] * cols];
  const to: Shape = [op.to[0], op.to[1], op.to[2] * cols];
  const max = op.kind === 'MAX_POOL';
  return {
    bind(): StageKernel {
      const states = new Float64Array(to[0] * to[1] * to[2]);
      return {
        states,
        statesAt: 0,
        forward(x) {
          states.fill(0);
          if (max) maxPoolForward(from, to, op.window, x, states);
          else averagePoolForward(from, to, op.window, x, states);
        },
        backward(x, _count, delta, below) {
          if (below === null) return;
          if (max) maxPoolBackflow(from, to, op.window, x, delta, below);
          else averagePoolBackflow(from, to, op.window, delta, below);
        },
      };
    },
  };
}

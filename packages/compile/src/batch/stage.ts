/**
 * One layer of a batched chain with ops (op-batch.ts): how its states are made from the layer
 * before, and how its δ flows back. Per-sample arrays are f64 and unit-major (`units × cols`,
 * unit j of sample b at j·cols + b, cols = the batch size padded to 8): activations, states, δ and
 * errors; only the network's output is handed out row-major.
 */
import type { DenseKernels, FloatArray } from './kernels.js';

export interface StageKernel {
  /** where `forward` leaves the states before the layer's bias: `states[statesAt + j·cols + b]` */
  readonly states: FloatArray;
  readonly statesAt: number;
  /** eq. 15's Σ for `count` samples of the layer before (`x`, unit-major) */
  forward(x: Float64Array, count: number): void;
  /**
   * After `forward(x, count)`: adds ∂E/∂θ of the stage's own parameters to their gradients
   * (fixed entries left alone), and, unless `below` is null, Σ_k δ_k ∂s_k/∂y_i into `below`
   * (eq. 21, unit-major). `delta` is ∂E/∂s, unit-major.
   */
  backward(x: Float64Array, count: number, delta: Float64Array, below: Float64Array | null): void;
}

/** Hands out regions of the kernels' heap, in elements, each padded to 8. */
export type Take = (count: number) => number;

/** A stage before its heap exists: its regions are taken, then it is bound to the kernels. */
export interface StagePlan {
  bind(kernels: DenseKernels): StageKernel;
}

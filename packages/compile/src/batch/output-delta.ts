/**
 * The output layer's ∂E/∂s for one sample of a batch, as `network.backward` computes it: through
 * the cost's gradient and f'(s) (eq. 10's error at the output), or through the layer's function
 * (its Jacobianᵀ), or, for a softmax output with cross-entropy, ∂E/∂s_k = y_k Σ_i t_i − t_k. The
 * dense and the op batches both take it from here.
 */
import {
  type CostFunction,
  cost as costs,
  InvalidArgumentError,
  InvalidValueError,
  type LayerFunction,
} from '@synaptic/core';

/** what keeps ln y finite where y_k underflows to 0 */
const GUARD = 1e-15;

/** A cost with its gradient (the batches check `gradient` before they call `outputDelta`). */
export type DifferentiableCost = CostFunction & Required<Pick<CostFunction, 'gradient'>>;

/** `cost` (default cost.MSE) when it has a gradient; else a typed error naming the option. */
export function differentiableCost(cost: CostFunction | undefined): DifferentiableCost {
  const c = cost ?? costs.MSE;
  if (typeof c !== 'function' || typeof c.gradient !== 'function')
    throw new InvalidArgumentError('batch backward: `cost` must be a cost function with a gradient, such as cost.MSE');
  return c as DifferentiableCost;
}

/** Scratch for `outputDelta`: m numbers each (the cost functions read their arguments' lengths). */
export interface OutputScratch {
  readonly t: number[];
  readonly y: number[];
  readonly dEdy: Float64Array;
  readonly yv: Float64Array;
  /** ∂E/∂s_k of the sample, written by `outputDelta` */
  readonly into: Float64Array;
}

/**
 * Sample b's ∂E/∂s into `scratch.into` (targets and outputs are row-major, m a sample; f'(s) is
 * unit-major, `cols` a unit). Returns the sample's E. A target, or a gradient, that is not finite
 * throws before anything outside the scratch is written.
 */
export function outputDelta(
  targets: ArrayLike<number>,
  output: Float64Array,
  b: number,
  m: number,
  costFn: DifferentiableCost,
  fn: LayerFunction | null,
  derivative: Float64Array,
  cols: number,
  scratch: OutputScratch,
): number {
  const { t, y, dEdy, yv, into } = scratch;
  let total = 0;
  for (let k = 0; k < m; k++) {
    const v = targets[b * m + k];
    if (!Number.isFinite(v)) throw new InvalidValueError(`batch backward target ${k} of sample ${b}`, v);
    t[k] = v;
    y[k] = output[b * m + k];
    total += v;
  }
  let error = 0;
  if (fn?.name === 'SOFTMAX' && costFn === costs.CROSS_ENTROPY) {
    // E = −Σ t_k ln y_k through the softmax: ∂E/∂s_k = y_k Σ_i t_i − t_k
    for (let k = 0; k < m; k++) {
      error -= t[k] * Math.log(y[k] + GUARD);
      into[k] = y[k] * total - t[k];
    }
  } else {
    error = costFn(t, y);
    costFn.gradient(t, y, dEdy);
    if (fn !== null) {
      for (let k = 0; k < m; k++) yv[k] = y[k];
      fn.backward(yv, dEdy, into, m);
    } else for (let k = 0; k < m; k++) into[k] = derivative[k * cols + b] * dEdy[k];
  }
  for (let k = 0; k < m; k++)
    if (!Number.isFinite(into[k]))
      throw new InvalidValueError(
        `batch backward: the cost's gradient at output ${k} of sample ${b} (output ${y[k]})`,
        into[k],
      );
  return error;
}

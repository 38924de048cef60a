import { SynapticError } from './errors.js';

/**
 * A cost E(t, y) of one output vector against its target. Built-in costs also carry their
 * gradient ∂E/∂y, which `Network.backward` needs; a custom cost without one can still be used by
 * the trainer to measure error, and by `backward` once it has a `gradient`.
 */
export interface CostFunction {
  (target: number[], output: number[]): number;
  /** Writes ∂E/∂y_k into `into[k]` for every output k. */
  gradient?: (target: number[], output: number[], into: Float64Array) => void;
}

/** 1e-15 keeps 1.x's cross-entropy away from log(0). */
const GUARD = 1e-15;

/**
 * 1.x's cross-entropy, E = −Σ_k [t_k ln y_k + (1 − t_k) ln(1 − y_k)] (eq. 9 of Monner & Reggia
 * 2012), with 1.x's 1e-15 guard. On a softmax output layer `backward` treats it as the categorical
 * E = −Σ_k t_k ln y_k, whose gradient with respect to the softmax's inputs is y − t.
 */
function CROSS_ENTROPY(target: ArrayLike<number>, output: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < output.length; i++) {
    sum -= target[i] * Math.log(output[i] + GUARD) + (1 - target[i]) * Math.log(1 + GUARD - output[i]);
  }
  return sum;
}
// ∂E/∂y_k = −t_k / (y_k + 1e-15) + (1 − t_k) / (1 + 1e-15 − y_k)
CROSS_ENTROPY.gradient = (target: ArrayLike<number>, output: ArrayLike<number>, into: Float64Array): void => {
  for (let k = 0; k < output.length; k++) {
    into[k] = -target[k] / (output[k] + GUARD) + (1 - target[k]) / (1 + GUARD - output[k]);
  }
};

/** E = −Σ_k t_k ln(y_k + 1e-15): what `cost.CROSS_ENTROPY` means on a softmax output layer. */
export function categoricalCrossEntropy(target: ArrayLike<number>, output: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < output.length; k++) sum -= target[k] * Math.log(output[k] + GUARD);
  return sum;
}

/** Mean squared error, E = Σ_k (t_k − y_k)² / n. */
function MSE(target: ArrayLike<number>, output: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < output.length; i++) sum += (target[i] - output[i]) ** 2;
  return sum / output.length;
}
// ∂E/∂y_k = 2 (y_k − t_k) / n
MSE.gradient = (target: ArrayLike<number>, output: ArrayLike<number>, into: Float64Array): void => {
  const n = output.length;
  for (let k = 0; k < n; k++) into[k] = (2 * (output[k] - target[k])) / n;
};

/** How many outputs land on the wrong side when rounded to halves (1.x's definition). A count: no gradient. */
function BINARY(target: ArrayLike<number>, output: ArrayLike<number>): number {
  let misses = 0;
  for (let i = 0; i < output.length; i++) if (Math.round(target[i] * 2) !== Math.round(output[i] * 2)) misses++;
  return misses;
}

/** The built-in costs, by name. */
export interface Costs {
  readonly CROSS_ENTROPY: CostFunction;
  readonly MSE: CostFunction;
  readonly BINARY: CostFunction;
}

export const cost: Costs = Object.freeze({ CROSS_ENTROPY, MSE, BINARY });
export type CostName = keyof Costs;

/** The name of a built-in cost function, so it can be sent to a worker by name. */
export function builtInCostName(fn: CostFunction): CostName | null {
  for (const name of Object.keys(cost) as CostName[]) if (cost[name] === fn) return name;
  return null;
}

/** The gradient of a cost, or a `SynapticError` saying why there is none. */
export function costGradient(fn: CostFunction): NonNullable<CostFunction['gradient']> {
  if (typeof fn !== 'function') throw new SynapticError('backward: `cost` must be a cost function such as cost.MSE');
  const gradient = fn.gradient;
  if (typeof gradient !== 'function') {
    const name = builtInCostName(fn);
    throw new SynapticError(
      name
        ? `backward: cost.${name} is a count and has no gradient; use cost.MSE or cost.CROSS_ENTROPY`
        : 'backward: this custom cost has no `gradient(target, output, into)`; add one, or pass outputGradient',
    );
  }
  return gradient;
}

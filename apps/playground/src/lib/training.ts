import { type Network, squash } from '@synaptic/core';
import { type CostFunction, cost, type OptimizerName, type TrainingSample } from '@synaptic/trainer';

/**
 * The optimizer settings a page offers. `1.x` is synaptic 1.x's own algorithm (online LSTM-g
 * steps through `propagate`); every other name goes to `trainAsync` as `optimizer: name`, which
 * trains through core's gradients (`backward`) with that update rule.
 */
export const OPTIMIZERS = ['1.x', 'sgd', 'momentum', 'nesterov', 'rmsprop', 'adagrad', 'adam', 'adamw'] as const;
export type OptimizerChoice = (typeof OPTIMIZERS)[number];

/** The output layer a page offers: 1.x's logistic units, or a softmax over one-hot classes. */
export const OUTPUTS = ['LOGISTIC', 'SOFTMAX'] as const;
export type OutputChoice = (typeof OUTPUTS)[number];

/** The optimizer option for `trainAsync`: null on 1.x's path. */
export function optimizerOption(choice: string): OptimizerName | null {
  return choice === '1.x' ? null : (choice as OptimizerName);
}

/** Makes the network's output layer a softmax (or leaves 1.x's logistic units). */
export function setOutput(network: Network, output: string): void {
  if (output === 'SOFTMAX') network.layers.output?.set({ squash: squash.SOFTMAX });
}

/** E = −Σ_k t_k ln(y_k + 1e-15): what `cost.CROSS_ENTROPY` means on a softmax output (core's `backward`). */
function categoricalCrossEntropy(target: ArrayLike<number>, output: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < output.length; k++) sum -= target[k] * Math.log(output[k] + 1e-15);
  return sum;
}

/**
 * The cost the held-out set is measured with, so that it matches the training error the worker
 * reports: on a softmax output, cross-entropy is the categorical one.
 */
export function measureFor(network: Network, costOf: CostFunction): CostFunction {
  return costOf === cost.CROSS_ENTROPY && network.layers.output?.layerFunction?.name === 'SOFTMAX'
    ? categoricalCrossEntropy
    : costOf;
}

/**
 * Why a set cannot train a softmax output, or null: a softmax's outputs sum to 1, so it needs at
 * least two output units and targets that are classes (each row's targets at least 0 and summing to 1).
 */
export function softmaxProblem(set: readonly TrainingSample[]): string | null {
  const width = set[0]?.output.length ?? 0;
  if (width < 2) return `a softmax output needs at least two output units (one per class), this set has ${width}`;
  for (let row = 0; row < set.length; row++) {
    const target = Array.from(set[row].output);
    const sum = target.reduce((a, b) => a + b, 0);
    if (target.some((t) => t < 0) || Math.abs(sum - 1) > 1e-9)
      return `a softmax output needs one-hot class targets (summing to 1): row ${row + 1}'s targets are ${target.join(', ')}`;
  }
  return null;
}

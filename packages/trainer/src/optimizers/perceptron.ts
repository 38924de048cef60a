import { nonNegativeNumber } from '../checkers.js';
import { type Optimizer, readOptimizerOptions } from './optimizer.js';
import { checkParameters, type ParameterLike } from './parameter.js';

export interface PerceptronOptions {
  /** default 1 */
  rate?: number;
}

/**
 * The perceptron learning rule (Rosenblatt 1958; seed 003's `(training :perceptron)`) for HLIM
 * (binary-threshold) units: w += rate·(t − y)·x. The trainer back-propagates the error signal
 * `outputGradient` gives, ∂E/∂y = y − t, instead of a cost's derivative; HLIM's derivative is 1
 * (as in 1.x), so each gradient is (y − t)·x and `step` makes θ -= rate·g the rule above. The
 * weights only move on the samples the units get wrong.
 */
export class Perceptron implements Optimizer {
  readonly name = 'perceptron';
  readonly fullBatch = false;
  rate: number;

  constructor(options: PerceptronOptions = {}) {
    const o = readOptimizerOptions(options, 'Perceptron', { rate: nonNegativeNumber });
    this.rate = o.rate ?? 1;
  }

  /** ∂E/∂y of the perceptron criterion per output: y − t (0 where the unit is right). */
  outputGradient(target: ArrayLike<number>, output: ArrayLike<number>, out: Float64Array): Float64Array {
    for (let k = 0; k < out.length; k++) out[k] = output[k] - target[k];
    return out;
  }

  step(parameters: readonly ParameterLike[]): void {
    checkParameters(parameters, 'Perceptron.step');
    const { rate } = this;
    for (const { value, gradient } of parameters) {
      for (let i = 0; i < value.length; i++) value[i] -= rate * gradient[i];
    }
  }

  reset(): void {}
}

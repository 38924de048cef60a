import { nonNegativeNumber } from '../checkers.js';
import { type Optimizer, readOptimizerOptions, required } from './optimizer.js';
import { checkParameters, type ParameterLike } from './parameter.js';

export interface SGDOptions {
  rate: number;
}

/** Plain gradient descent: θ -= rate·g. */
export class SGD implements Optimizer {
  readonly name = 'sgd';
  readonly fullBatch = false;
  rate: number;

  constructor(options: SGDOptions) {
    const o = readOptimizerOptions(options, 'SGD', { rate: nonNegativeNumber });
    this.rate = required(o.rate, 'SGD.rate', 'the learning rate, e.g. new SGD({ rate: 0.1 })');
  }

  step(parameters: readonly ParameterLike[]): void {
    checkParameters(parameters, 'SGD.step');
    const { rate } = this;
    for (const { value, gradient } of parameters) {
      for (let i = 0; i < value.length; i++) value[i] -= rate * gradient[i];
    }
  }

  reset(): void {}
}

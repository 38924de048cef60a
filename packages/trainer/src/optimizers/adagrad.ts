import { nonNegativeNumber } from '../checkers.js';
import { type Optimizer, positiveNumber, readOptimizerOptions } from './optimizer.js';
import { checkParameters, type ParameterLike, TensorState } from './parameter.js';

export interface AdagradOptions {
  /** default 0.01 */
  rate?: number;
  /** default 1e-10 */
  epsilon?: number;
}

/** Adagrad as PyTorch (Duchi et al. 2011; no decay, accumulator starting at 0): s += g²; θ -= rate·g/(√s + ε). */
export class Adagrad implements Optimizer {
  readonly name = 'adagrad';
  readonly fullBatch = false;
  rate: number;
  readonly epsilon: number;
  private sum = new TensorState([0]);

  constructor(options: AdagradOptions = {}) {
    const o = readOptimizerOptions(options, 'Adagrad', { rate: nonNegativeNumber, epsilon: positiveNumber });
    this.rate = o.rate ?? 0.01;
    this.epsilon = o.epsilon ?? 1e-10;
  }

  step(parameters: readonly ParameterLike[]): void {
    checkParameters(parameters, 'Adagrad.step');
    const { rate, epsilon } = this;
    for (const p of parameters) {
      const { value, gradient: g } = p;
      const [s] = this.sum.of(p);
      for (let i = 0; i < value.length; i++) {
        s[i] += g[i] * g[i];
        value[i] -= (rate * g[i]) / (Math.sqrt(s[i]) + epsilon);
      }
    }
  }

  reset(): void {
    this.sum = new TensorState([0]);
  }
}

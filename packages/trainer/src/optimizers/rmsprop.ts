import { nonNegativeNumber } from '../checkers.js';
import { fraction, type Optimizer, positiveNumber, readOptimizerOptions } from './optimizer.js';
import { checkParameters, type ParameterLike, TensorState } from './parameter.js';

export interface RMSpropOptions {
  /** default 0.01 */
  rate?: number;
  /** α, the decay of the mean square, default 0.99 */
  alpha?: number;
  /** ε, added to √s (outside the root, as PyTorch), default 1e-8 */
  epsilon?: number;
}

/** RMSprop as PyTorch (Hinton's lecture 6e): s = αs + (1−α)g²; θ -= rate·g/(√s + ε). */
export class RMSprop implements Optimizer {
  readonly name = 'rmsprop';
  readonly fullBatch = false;
  rate: number;
  readonly alpha: number;
  readonly epsilon: number;
  private meanSquare = new TensorState([0]);

  constructor(options: RMSpropOptions = {}) {
    const o = readOptimizerOptions(options, 'RMSprop', {
      rate: nonNegativeNumber,
      alpha: fraction,
      epsilon: positiveNumber,
    });
    this.rate = o.rate ?? 0.01;
    this.alpha = o.alpha ?? 0.99;
    this.epsilon = o.epsilon ?? 1e-8;
  }

  step(parameters: readonly ParameterLike[]): void {
    checkParameters(parameters, 'RMSprop.step');
    const { rate, alpha, epsilon } = this;
    for (const p of parameters) {
      const { value, gradient: g } = p;
      const [s] = this.meanSquare.of(p);
      for (let i = 0; i < value.length; i++) {
        s[i] = alpha * s[i] + (1 - alpha) * g[i] * g[i];
        value[i] -= (rate * g[i]) / (Math.sqrt(s[i]) + epsilon);
      }
    }
  }

  reset(): void {
    this.meanSquare = new TensorState([0]);
  }
}

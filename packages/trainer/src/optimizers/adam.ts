import { nonNegativeNumber } from '../checkers.js';
import { fraction, type Optimizer, positiveNumber, readOptimizerOptions } from './optimizer.js';
import { checkParameters, type ParameterLike, TensorState } from './parameter.js';

export interface AdamOptions {
  /** default 0.001 */
  rate?: number;
  /** default 0.9 */
  beta1?: number;
  /** default 0.999 */
  beta2?: number;
  /** ε, added to the root of the corrected second moment (as PyTorch), default 1e-8 */
  epsilon?: number;
}

export interface AdamWOptions extends AdamOptions {
  /** λ, decoupled weight decay, default 0.01 */
  weightDecay?: number;
}

const adamSchema = { rate: nonNegativeNumber, beta1: fraction, beta2: fraction, epsilon: positiveNumber };

/**
 * Adam (Kingma & Ba 2015, algorithm 1) as PyTorch: m = β1·m + (1−β1)g; v = β2·v + (1−β2)g²;
 * θ -= rate·(m/(1−β1^t)) / (√(v/(1−β2^t)) + ε), t counting steps from 1.
 */
export class Adam implements Optimizer {
  readonly name: 'adam' | 'adamw' = 'adam';
  readonly fullBatch = false;
  rate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Steps taken (t of the last step). */
  t = 0;
  /** AdamW's λ (0 for Adam). */
  protected decay = 0;
  private moments = new TensorState([0, 0]);

  constructor(options: AdamOptions = {}) {
    const o = readOptimizerOptions(options, 'Adam', adamSchema);
    this.rate = o.rate ?? 0.001;
    this.beta1 = o.beta1 ?? 0.9;
    this.beta2 = o.beta2 ?? 0.999;
    this.epsilon = o.epsilon ?? 1e-8;
  }

  step(parameters: readonly ParameterLike[]): void {
    checkParameters(parameters, `${this.constructor.name}.step`);
    const t = ++this.t;
    const { rate, beta1, beta2, epsilon, decay } = this;
    const keep1 = 1 - beta1;
    const keep2 = 1 - beta2;
    // as PyTorch computes it: θ -= (rate / (1−β1^t)) · m / (√v / √(1−β2^t) + ε), one root and one
    // division per number (the reciprocal of √(1−β2^t) is taken once per step)
    const stepSize = rate / (1 - beta1 ** t);
    const rootCorrection = 1 / Math.sqrt(1 - beta2 ** t);
    const shrink = 1 - rate * decay;
    for (const p of parameters) {
      const { value, gradient: g, fixed } = p;
      const [m, v] = this.moments.of(p);
      // AdamW (Loshchilov & Hutter 2019): θ -= rate·λ·θ before the Adam step
      if (decay !== 0) for (let i = 0; i < value.length; i++) if (!fixed?.[i]) value[i] *= shrink;
      for (let i = 0; i < value.length; i++) {
        const gi = g[i];
        const mi = beta1 * m[i] + keep1 * gi;
        const vi = beta2 * v[i] + keep2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        value[i] -= (stepSize * mi) / (Math.sqrt(vi) * rootCorrection + epsilon);
      }
    }
  }

  reset(): void {
    this.t = 0;
    this.moments = new TensorState([0, 0]);
  }
}

/** AdamW as PyTorch: θ -= rate·λ·θ, then the Adam step. */
export class AdamW extends Adam {
  override readonly name = 'adamw';
  readonly weightDecay: number;

  constructor(options: AdamWOptions = {}) {
    const { weightDecay, ...adam } = options ?? {};
    super(adam);
    const o = readOptimizerOptions({ weightDecay }, 'AdamW', { weightDecay: nonNegativeNumber });
    this.weightDecay = o.weightDecay ?? 0.01;
    this.decay = this.weightDecay;
  }
}

import { nonNegativeNumber } from '../checkers.js';
import { fraction, type Optimizer, readOptimizerOptions, required } from './optimizer.js';
import { checkParameters, type ParameterLike, TensorState } from './parameter.js';

export interface MomentumOptions {
  rate: number;
  /** μ, default 0.9 */
  momentum?: number;
}

/** Heavy-ball momentum as PyTorch's SGD(momentum) (dampening 0): v = μv + g; θ -= rate·v. */
export class Momentum implements Optimizer {
  readonly name: 'momentum' | 'nesterov' = 'momentum';
  readonly fullBatch = false;
  rate: number;
  readonly momentum: number;
  private velocity = new TensorState([0]);

  constructor(options: MomentumOptions, label = 'Momentum') {
    const o = readOptimizerOptions(options, label, { rate: nonNegativeNumber, momentum: fraction });
    this.rate = required(o.rate, `${label}.rate`, `the learning rate, e.g. new ${label}({ rate: 0.01 })`);
    this.momentum = o.momentum ?? 0.9;
  }

  step(parameters: readonly ParameterLike[]): void {
    checkParameters(parameters, `${this.constructor.name}.step`);
    const { rate, momentum: mu } = this;
    const nesterov = this.name === 'nesterov';
    for (const p of parameters) {
      const { value, gradient: g } = p;
      const [v] = this.velocity.of(p);
      for (let i = 0; i < value.length; i++) {
        v[i] = mu * v[i] + g[i];
        // Nesterov as PyTorch: θ -= rate·(g + μv), with v already updated
        value[i] -= rate * (nesterov ? g[i] + mu * v[i] : v[i]);
      }
    }
  }

  reset(): void {
    this.velocity = new TensorState([0]);
  }
}

/** Nesterov momentum as PyTorch's SGD(nesterov=True): v = μv + g; θ -= rate·(g + μv). */
export class Nesterov extends Momentum {
  override readonly name = 'nesterov';

  constructor(options: MomentumOptions) {
    super(options, 'Nesterov');
  }
}

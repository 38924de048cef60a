import { InvalidOptionError } from '../errors.js';
import type { Checker } from '../checkers.js';
import { fraction, type Optimizer, positiveNumber, readOptimizerOptions, required } from './optimizer.js';
import { Momentum, Nesterov } from './momentum.js';
import { checkParameters, type ParameterLike, TensorState } from './parameter.js';
import { SGD } from './sgd.js';

export interface AdaptiveGainsOptions {
  /** The rule the gains sit on: an `SGD`, `Momentum` or `Nesterov` (its `rate` is the base rate). */
  base: SGD | Momentum;
  /** Added to a gain while its gradient keeps its sign, default 0.05 */
  gain?: number;
  /** Multiplies a gain when its gradient flips sign, default 0.95 */
  decay?: number;
  /** The smallest gain, default 0.01 (seed 003's `:ming`) */
  min?: number;
  /** The largest gain, default 10 (seed 003's `:maxg`) */
  max?: number;
}

const base: Checker<SGD | Momentum> = (value, option) => {
  if (value instanceof SGD || value instanceof Momentum || value instanceof Nesterov) return value;
  throw new InvalidOptionError(option, 'must be an SGD, Momentum or Nesterov optimizer, e.g. new SGD({ rate: 0.01 })');
};

/**
 * Per-weight adaptive learning rates (Hinton's lecture 6d, seed 003's `:adaptive true`): every
 * weight has a gain, starting at 1, that grows by +`gain` while its gradient keeps its sign and is
 * multiplied by `decay` when the sign flips, clipped to [min, max]. The base rule then steps on
 * gain·g. The base's `rate` is this optimizer's `rate`.
 */
export class AdaptiveGains implements Optimizer {
  readonly name = 'adaptive-gains';
  readonly fullBatch = false;
  readonly base: SGD | Momentum;
  readonly gain: number;
  readonly decay: number;
  readonly min: number;
  readonly max: number;
  /** [gain, previous gradient, scaled gradient] per tensor */
  private state = new TensorState([1, 0, 0]);

  constructor(options: AdaptiveGainsOptions) {
    const o = readOptimizerOptions(options, 'AdaptiveGains', {
      base,
      gain: positiveNumber,
      decay: fraction,
      min: positiveNumber,
      max: positiveNumber,
    });
    this.base = required(o.base, 'AdaptiveGains.base', 'the rule underneath, e.g. new SGD({ rate: 0.01 })');
    this.gain = o.gain ?? 0.05;
    this.decay = o.decay ?? 0.95;
    this.min = o.min ?? 0.01;
    this.max = o.max ?? 10;
    if (this.min > 1 || this.max < 1) {
      throw new InvalidOptionError(
        'AdaptiveGains.min',
        `and max must have min <= 1 <= max, got [${this.min}, ${this.max}]`,
      );
    }
  }

  get rate(): number {
    return this.base.rate;
  }

  set rate(rate: number) {
    this.base.rate = rate;
  }

  step(parameters: readonly ParameterLike[]): void {
    checkParameters(parameters, 'AdaptiveGains.step');
    const { gain: up, decay, min, max } = this;
    const scaled: ParameterLike[] = [];
    for (const p of parameters) {
      const { value, gradient: g } = p;
      const [gains, previous, out] = this.state.of(p);
      for (let i = 0; i < value.length; i++) {
        const agreement = g[i] * previous[i];
        if (agreement > 0) gains[i] = Math.min(max, gains[i] + up);
        else if (agreement < 0) gains[i] = Math.max(min, gains[i] * decay);
        previous[i] = g[i];
        out[i] = gains[i] * g[i];
      }
      // the same `value`, so the base's state follows the tensor
      scaled.push({ name: p.name, value, gradient: out });
    }
    this.base.step(scaled);
  }

  reset(): void {
    this.state = new TensorState([1, 0, 0]);
    this.base.reset();
  }
}

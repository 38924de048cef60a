import { describe } from '../describe.js';
import { InvalidOptionError } from '../errors.js';
import type { Checker } from '../checkers.js';
import { type Optimizer, positiveNumber, readOptimizerOptions } from './optimizer.js';
import { checkParameters, type ParameterLike, TensorState } from './parameter.js';

export interface RpropOptions {
  /** The starting step size, default 0.01 */
  rate?: number;
  /** [η−, η+]: how a step shrinks when the gradient flips sign and grows when it keeps it; default [0.5, 1.2] */
  etas?: readonly [number, number];
  /** [min, max] step size, default [1e-6, 50] */
  steps?: readonly [number, number];
}

function pair(check: (a: number, b: number) => string | null): Checker<readonly [number, number]> {
  return (value, option) => {
    if (
      !Array.isArray(value) ||
      value.length !== 2 ||
      !value.every((x) => typeof x === 'number' && Number.isFinite(x))
    ) {
      throw new InvalidOptionError(option, `must be a pair of finite numbers [a, b], got ${describe(value)}`);
    }
    const problem = check(value[0], value[1]);
    if (problem) throw new InvalidOptionError(option, `${problem}, got [${value[0]}, ${value[1]}]`);
    return [value[0], value[1]];
  };
}

/**
 * Rprop (Riedmiller & Braun 1993) as PyTorch does it: each weight's step starts at `rate`; when
 * g·g_prev > 0 it grows by η+, when g·g_prev < 0 it shrinks by η− and that update is skipped (g
 * is taken as 0 and stored as the previous gradient); it is clamped to `steps`; θ -= sign(g)·step.
 * Only the gradient's sign is used, so it suits full batches. `steps[0]` is also how close it can
 * get: once the steps are that small they stop shrinking, and in a narrow valley (Rosenbrock's) a
 * step of that size across the valley outweighs the gradient along it, so the iterates cycle at a
 * distance set by steps[0] (about 1e-3 from Rosenbrock's minimum at 1e-6; a smaller minimum goes on).
 */
export class Rprop implements Optimizer {
  readonly name = 'rprop';
  readonly fullBatch = false;
  rate: number;
  readonly etas: readonly [number, number];
  readonly steps: readonly [number, number];
  private state: TensorState;

  constructor(options: RpropOptions = {}) {
    const o = readOptimizerOptions(options, 'Rprop', {
      rate: positiveNumber,
      etas: pair((minus, plus) => (minus > 0 && minus < 1 && plus > 1 ? null : 'must have 0 < η− < 1 < η+')),
      steps: pair((min, max) => (min >= 0 && min <= max ? null : 'must have 0 <= min <= max')),
    });
    this.rate = o.rate ?? 0.01;
    this.etas = o.etas ?? [0.5, 1.2];
    this.steps = o.steps ?? [1e-6, 50];
    this.state = new TensorState([this.rate, 0]);
  }

  step(parameters: readonly ParameterLike[]): void {
    checkParameters(parameters, 'Rprop.step');
    const [etaMinus, etaPlus] = this.etas;
    const [stepMin, stepMax] = this.steps;
    for (const p of parameters) {
      const { value, gradient } = p;
      const [size, previous] = this.state.of(p);
      for (let i = 0; i < value.length; i++) {
        let g = gradient[i];
        const agreement = g * previous[i];
        // PyTorch multiplies every step by η+, η− or 1, then clamps all of them (a starting rate
        // outside `steps` is clamped on the first step too)
        let s = size[i];
        if (agreement > 0) s *= etaPlus;
        else if (agreement < 0) {
          s *= etaMinus;
          g = 0;
        }
        s = Math.min(Math.max(s, stepMin), stepMax);
        size[i] = s;
        value[i] -= Math.sign(g) * s;
        previous[i] = g;
      }
    }
  }

  reset(): void {
    this.state = new TensorState([this.rate, 0]);
  }
}

import { describe } from '../describe.js';
import { InvalidOptionError } from '../errors.js';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import { AdaptiveGains } from './adaptive-gains.js';
import { LBFGS } from './lbfgs.js';
import { Momentum, Nesterov } from './momentum.js';
import type { Optimizer, OptimizerName } from './optimizer.js';
import { Perceptron } from './perceptron.js';
import { RMSprop } from './rmsprop.js';
import { Rprop } from './rprop.js';
import { SGD } from './sgd.js';

/**
 * Each name's optimizer with its defaults; `rate` (the `rate` option given with the name) replaces
 * the default rate. SGD, Momentum, Nesterov and AdaptiveGains have none of their own: they take
 * `rate`, else `fallbackRate` (the trainer's rate, 1.x's 0.2 unless set).
 */
const FACTORIES: Record<OptimizerName, (rate: number | undefined, fallbackRate: number) => Optimizer> = {
  sgd: (rate, fallback) => new SGD({ rate: rate ?? fallback }),
  momentum: (rate, fallback) => new Momentum({ rate: rate ?? fallback }),
  nesterov: (rate, fallback) => new Nesterov({ rate: rate ?? fallback }),
  rmsprop: (rate) => new RMSprop({ rate }),
  adagrad: (rate) => new Adagrad({ rate }),
  adam: (rate) => new Adam({ rate }),
  adamw: (rate) => new AdamW({ rate }),
  rprop: (rate) => new Rprop({ rate }),
  'adaptive-gains': (rate, fallback) => new AdaptiveGains({ base: new SGD({ rate: rate ?? fallback }) }),
  lbfgs: (rate) => new LBFGS({ rate }),
  perceptron: (rate) => new Perceptron({ rate }),
};

export const OPTIMIZER_NAMES = Object.keys(FACTORIES) as OptimizerName[];

export function isOptimizerName(value: unknown): value is OptimizerName {
  return typeof value === 'string' && Object.hasOwn(FACTORIES, value);
}

/** An optimizer from its name (case-insensitive; `adaptive_gains` and `adaptiveGains` also work). */
export function optimizerByName(name: string, rate?: number, fallbackRate = 0.2, option = 'optimizer'): Optimizer {
  const key =
    typeof name === 'string'
      ? name.toLowerCase().replace(/[_\s]/g, '-').replace('adaptivegains', 'adaptive-gains')
      : name;
  if (!isOptimizerName(key)) {
    throw new InvalidOptionError(
      option,
      `must be an optimizer or one of ${OPTIMIZER_NAMES.join(', ')}, got ${describe(name)}`,
    );
  }
  return FACTORIES[key](rate, fallbackRate);
}

export function isOptimizer(value: unknown): value is Optimizer {
  if (value === null || typeof value !== 'object') return false;
  const o = value as Record<string, unknown>;
  return typeof o.step === 'function' && typeof o.reset === 'function' && typeof o.rate === 'number';
}

/** An optimizer as data, to rebuild it elsewhere (the worker of `trainAsync`): its name and options. */
export interface OptimizerSpec {
  name: OptimizerName;
  options: Record<string, unknown>;
}

const OPTION_KEYS: Record<OptimizerName, readonly string[]> = {
  sgd: ['rate'],
  momentum: ['rate', 'momentum'],
  nesterov: ['rate', 'momentum'],
  rmsprop: ['rate', 'alpha', 'epsilon'],
  adagrad: ['rate', 'epsilon'],
  adam: ['rate', 'beta1', 'beta2', 'epsilon'],
  adamw: ['rate', 'beta1', 'beta2', 'epsilon', 'weightDecay'],
  rprop: ['rate', 'etas', 'steps'],
  'adaptive-gains': ['gain', 'decay', 'min', 'max'],
  lbfgs: ['rate', 'history', 'maxIterations', 'maxTrials', 'gradientTolerance', 'changeTolerance'],
  perceptron: ['rate'],
};

const CLASSES: Record<OptimizerName, new (options: never) => Optimizer> = {
  sgd: SGD,
  momentum: Momentum,
  nesterov: Nesterov,
  rmsprop: RMSprop,
  adagrad: Adagrad,
  adam: Adam,
  adamw: AdamW,
  rprop: Rprop,
  'adaptive-gains': AdaptiveGains,
  lbfgs: LBFGS,
  perceptron: Perceptron,
};

/** The spec of one of this package's optimizers (its settings, not its state); null for any other object. */
export function optimizerSpec(optimizer: Optimizer): OptimizerSpec | null {
  const name = optimizer.name;
  if (!isOptimizerName(name) || !(optimizer instanceof CLASSES[name])) return null;
  const record = optimizer as unknown as Record<string, unknown>;
  const options: Record<string, unknown> = {};
  for (const key of OPTION_KEYS[name]) options[key] = record[key];
  if (optimizer instanceof AdaptiveGains) {
    const base = optimizerSpec(optimizer.base);
    if (!base) return null;
    options.base = base;
  }
  return { name, options };
}

/** Rebuilds an optimizer from its spec, with fresh state. */
export function optimizerFromSpec(spec: OptimizerSpec): Optimizer {
  const options = { ...spec.options };
  if (spec.name === 'adaptive-gains') options.base = optimizerFromSpec(options.base as OptimizerSpec);
  return new CLASSES[spec.name](options as never);
}

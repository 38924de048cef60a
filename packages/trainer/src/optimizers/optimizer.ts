import { InvalidOptionError } from '../errors.js';
import { type Checker, nonNegativeNumber, readOptions, type Schema } from '../checkers.js';
import type { Evaluate, ParameterLike } from './parameter.js';

/** The names `optimizer: '...'` accepts. */
export type OptimizerName =
  | 'sgd'
  | 'momentum'
  | 'nesterov'
  | 'rmsprop'
  | 'adagrad'
  | 'adam'
  | 'adamw'
  | 'rprop'
  | 'adaptive-gains'
  | 'lbfgs'
  | 'perceptron';

/**
 * An update rule. `step(parameters)` applies one update from each `parameter.gradient` (the
 * trainer zeroes the gradients afterwards); state lives in typed arrays per parameter tensor.
 */
export interface Optimizer {
  readonly name: OptimizerName;
  /** The learning rate of the next step; a rate schedule sets it before each step. */
  rate: number;
  /** true: `step` needs `evaluate` and the whole set at once (LBFGS). */
  readonly fullBatch: boolean;
  step(parameters: readonly ParameterLike[], evaluate?: Evaluate): void;
  /** Forgets the state (moments, step sizes, history, step count). */
  reset(): void;
}

/** Reads an optimizer's options: unknown keys and bad values throw an `InvalidOptionError` naming `X.key`. */
export function readOptimizerOptions<T extends object>(raw: unknown, name: string, schema: Schema<T>): Partial<T> {
  const options = readOptions(raw, `new ${name}`, prefixed(schema, name));
  return options;
}

function prefixed<T extends object>(schema: Schema<T>, name: string): Schema<T> {
  const out = {} as Record<string, Checker<unknown>>;
  for (const key of Object.keys(schema)) {
    const check = (schema as Record<string, Checker<unknown>>)[key];
    out[key] = (value, option) => check(value, `${name}.${option}`);
  }
  return out as Schema<T>;
}

/** A finite number > 0. */
export const positiveNumber: Checker<number> = (value, option) => {
  const n = nonNegativeNumber(value, option);
  if (n === 0) throw new InvalidOptionError(option, 'must be greater than 0, got 0');
  return n;
};

/** A number in [0, 1). */
export const fraction: Checker<number> = (value, option) => {
  const n = nonNegativeNumber(value, option);
  if (n >= 1) throw new InvalidOptionError(option, `must be in [0, 1), got ${n}`);
  return n;
};

export function required<T>(value: T | undefined, option: string, what: string): T {
  if (value === undefined) throw new InvalidOptionError(option, `is required (${what})`);
  return value;
}

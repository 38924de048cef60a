import type { RandomSource } from '@synaptic/core';
import { cost as costs, type CostFunction } from '../cost.js';
import { describe } from '../describe.js';
import { InvalidOptionError } from '../errors.js';
import { DivergenceGuard } from '../guard.js';
import { requireSizes, type TrainableNetwork } from '../network.js';
import {
  boolean,
  integerAtLeast,
  log,
  nonNegativeNumber,
  rate,
  schedule,
  taskCommonSchema,
  type ProgressOptions,
  type RandomOptions,
  type Rate,
  type Schedule,
  type ScheduleData,
  type Schema,
  type TrainingProgress,
} from '../options.js';
import { rateSchedule } from '../rate.js';
import { taskHooks } from './hooks.js';
import { generateERG, isERG } from './reber.js';

export interface ERGOptions extends RandomOptions, ProgressOptions {
  iterations?: number;
  /** Training stops once the error of a string is at or below this. */
  error?: number;
  rate?: Rate;
  /** Logs every `log` strings (1.x's default: 500); false or 0: never. */
  log?: number | boolean;
  cost?: CostFunction;
  schedule?: Schedule;
  /**
   * New (default false, 1.x's behaviour): reset the network before each string (its traces with
   * `clear()`, and the state and activation of every unit when it lists them with `neurons()`),
   * so that the start of a string is visible to it; evaluate it the same way (see `resetERG`).
   */
  clear?: boolean;
}

export interface ERGResult {
  iterations: number;
  error: number;
  time: number;
  /** Whether a string is a whole embedded Reber string. */
  test: (text: string) => boolean;
  /** A random embedded Reber string (from the task's random source). */
  generate: () => string;
}

export const ergSchema: Schema<ERGOptions> = {
  ...taskCommonSchema,
  iterations: integerAtLeast(0),
  error: nonNegativeNumber,
  rate,
  log,
  clear: boolean,
  schedule: schedule<ScheduleData>(),
  cost: (value, option) => {
    if (typeof value !== 'function')
      throw new InvalidOptionError(option, `must be a cost function, got ${describe(value)}`);
    return value as CostFunction;
  },
};

/**
 * 1.x's one-hot code: B P T X S E. 1.x has no slot for V, so V is read and predicted as all
 * zeros; an ERG network has 6 inputs and 6 outputs.
 */
export const ERG_SYMBOLS = ['B', 'P', 'T', 'X', 'S', 'E'] as const;

export function ergVector(symbol: string): number[] {
  const v = [0, 0, 0, 0, 0, 0];
  const k = (ERG_SYMBOLS as readonly string[]).indexOf(symbol);
  if (k >= 0) v[k] = 1;
  return v;
}

/** The index of the largest output above 0, or -1 (1.x's arg-max, which a V target never matches). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  let index = -1;
  for (let i = 0; i < values.length; i++) {
    if (values[i] > best) {
      best = values[i];
      index = i;
    }
  }
  return index;
}

/**
 * Resets a network before a string (ERG's `clear` option): its traces and its units' states and
 * activations (core's `clear({ states: true })`), so that the network is as if new.
 */
export function resetERG(network: TrainableNetwork): void {
  network.clear?.({ states: true });
}

/**
 * 1.x's ERG: each iteration feeds a fresh random embedded Reber string symbol by symbol and
 * trains the network to predict the next symbol, propagating only when the arg-max of the output
 * is not the symbol that came; the error is the string's total cost divided by its length. Stops
 * when a string's error is at or below `error`, or after `iterations` strings. The network is not
 * cleared between strings, as in 1.x.
 *
 * Fixed: the network must have 6 inputs and 6 outputs (1.x computed NaN with others), a `log` of
 * 0 or false turns logging off (1.x logged every 500 strings regardless), `test` accepts whole
 * strings only, and `schedule` is accepted as in `train`.
 */
export function runERG(
  network: TrainableNetwork,
  options: Partial<ERGOptions>,
  defaultCost: CostFunction | null,
  random: RandomSource,
): ERGResult {
  requireSizes(network, 'ERG', 6, 6);
  const iterations = options.iterations ?? 150000;
  const criterion = options.error ?? 0.05;
  const cost = options.cost ?? defaultCost ?? costs.CROSS_ENTROPY;
  const logEvery = Number(options.log ?? 500); // true: every string, false: never
  const rateAt = rateSchedule(options.rate ?? 0.1, iterations);
  const hooks = taskHooks<ScheduleData, TrainingProgress>(options, logEvery, iterations);
  const guard = new DivergenceGuard(network);

  const start = Date.now();
  let iteration = 0;
  let error = 1;
  let currentRate = 0;
  let stopped = false;
  while (!stopped && iteration < iterations && (iteration === 0 || error > criterion)) {
    const current = iteration + 1;
    currentRate = rateAt(current, iteration === 0 ? 0 : error);
    guard.begin(current);
    const text = generateERG(random);
    if (options.clear) resetERG(network);
    error = 0;
    for (let i = 0; i + 1 < text.length; i++) {
      const input = ergVector(text[i]);
      const target = ergVector(text[i + 1]);
      const output = network.activate(input);
      guard.checkOutput(output, current);
      if (argmax(output) !== argmax(target)) network.propagate(currentRate, target);
      const c = cost(target, output);
      guard.checkCost(c, current);
      error += c;
    }
    error /= text.length;
    iteration = current;
    const time = Date.now() - start;
    stopped = hooks.after(
      iteration,
      () => ({ error, iterations: iteration, rate: currentRate }),
      () => ['iterations:', iteration, ' time:', time, ' error:', error],
      () => ({ iterations: iteration, error, rate: currentRate, elapsed: time }),
    );
  }
  guard.end(iteration);
  hooks.finish(iteration, () => ({ iterations: iteration, error, rate: currentRate, elapsed: Date.now() - start }));
  return { iterations: iteration, error, time: Date.now() - start, test: isERG, generate: () => generateERG(random) };
}

import { describe } from './describe.js';
import type { CostFunction } from './cost.js';
import { InvalidOptionError } from './errors.js';
import { type FitOptions, fitSchema } from './fit-options.js';
import { checkRateSchedule, type RateScheduleOptions } from './rate-schedule.js';

/** A learning rate: a number, rates split evenly over the iterations, or `(iterations, lastError) => rate`. */
export type Rate = number | readonly number[] | RateFunction;
export type RateFunction = (iterations: number, lastError: number) => number;

/** What `schedule.do` receives from `train` (1.x's shape). */
export interface ScheduleData {
  error: number;
  iterations: number;
  rate: number;
}

/** Calls `do` every `every` iterations; `do` returning true stops training. */
export interface Schedule<Data = ScheduleData> {
  every: number;
  // biome-ignore lint/suspicious/noConfusingVoidType: a schedule callback may return nothing
  do: (data: Data) => boolean | void;
}

/** What `onProgress` receives: the iteration just finished, its error and rate, and the ms since training started. */
export interface TrainingProgress {
  iterations: number;
  error: number;
  rate: number;
  elapsed: number;
}

export type ProgressListener<P = TrainingProgress> = (progress: P) => void;

/** Holds the last `testSize` (a fraction) of the set out of training and measures the error on it. */
export interface CrossValidate {
  testSize: number;
  /** Training stops once the test error is at or below this. */
  testError?: number;
}

/** Every random choice (shuffling, task sequences) comes from `random`, or from `mulberry32(seed)`. */
export interface RandomOptions {
  seed?: number;
  random?: () => number;
}

/** Options of `new Trainer(network, options)`: defaults for every call (1.x: rate 0.2, 100000 iterations, error 0.005). */
export interface TrainerOptions extends RandomOptions {
  rate?: Rate;
  iterations?: number;
  error?: number;
  cost?: CostFunction;
  crossValidate?: CrossValidate | null;
}

/** Progress reporting, shared by `train`, `trainAsync` and the tasks. */
export interface ProgressOptions<P = TrainingProgress> {
  /** Called every `progressEvery` iterations and after the last one. */
  onProgress?: ProgressListener<P>;
  /** Default: `log` when it is a number, else `schedule.every`, else 1% of `iterations`. */
  progressEvery?: number;
}

/**
 * The options of `train`: 1.x's, and the gradient path's (`FitOptions`: optimizer, batchSize,
 * l1, l2, clip, dropout, validation, earlyStopping, metrics, onEpochEnd, onBatchEnd; `epochs` is
 * `iterations`). `schedule` is 1.x's `{ every, do }`, or a schedule of rates `{ type, ... }`.
 */
export interface TrainOptions extends RandomOptions, ProgressOptions, FitOptions {
  rate?: Rate;
  iterations?: number;
  error?: number;
  shuffle?: boolean;
  /** Logs every `log` iterations with console.log; false or 0: never. */
  log?: number | boolean;
  cost?: CostFunction;
  schedule?: Schedule | RateScheduleOptions;
  /** 1.x's deprecated name of `schedule`. */
  customLog?: Schedule;
  crossValidate?: CrossValidate | null;
}

export interface TrainAsyncOptions extends Omit<TrainOptions, 'random' | 'batchExecutor'> {
  /** Aborting rejects with an `AbortError` and leaves the network unchanged. */
  signal?: AbortSignal;
  /** Where the worker script is, when it is not next to this module (bundlers, tests). */
  workerUrl?: URL | string;
}

export interface TestOptions {
  cost?: CostFunction;
}

// ---------------------------------------------------------------------------
// Reading options: everything is checked before anything runs.
// ---------------------------------------------------------------------------

export {
  boolean,
  type Checker,
  fn,
  integerAtLeast,
  nonNegativeNumber,
  readOptions,
  type Schema,
} from './checkers.js';
import { boolean, type Checker, fn, integerAtLeast, nonNegativeNumber, type Schema } from './checkers.js';

/** A rate: finite and not negative; an array of such (not empty), or a function (checked on each call). */
export const rate: Checker<Rate> = (value, option) => {
  if (typeof value === 'function') return value as RateFunction;
  if (Array.isArray(value)) {
    if (value.length === 0) throw new InvalidOptionError(option, 'must not be an empty array');
    value.forEach((r, i) => checkRateValue(r, `${option}[${i}]`));
    return value.slice();
  }
  return checkRateValue(value, option);
};

export function checkRateValue(value: unknown, option: string, when = ''): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidOptionError(option, `must be a finite number >= 0${when}, got ${describe(value)}`);
  }
  return value;
}

/** `log`: a number of iterations, true (every iteration), or false/0 (never). Read as a number. */
export const log: Checker<number> = (value, option) => {
  if (value === false) return 0;
  if (value === true) return 1;
  return integerAtLeast(0)(value, option);
};

export function schedule<D>(): Checker<Schedule<D>> {
  return (value, option) => {
    if (value === null || typeof value !== 'object') {
      throw new InvalidOptionError(option, `must be { every, do }, got ${describe(value)}`);
    }
    const { every, do: action } = value as Record<string, unknown>;
    return {
      every: integerAtLeast(1)(every, `${option}.every`),
      do: fn<Schedule<D>['do']>('a function')(action, `${option}.do`),
    };
  };
}

/** `crossValidate`: `{ testSize, testError? }`, or null for none. */
export const crossValidate: Checker<CrossValidate | null> = (value, option) => {
  if (value === null || value === false) return null;
  if (typeof value !== 'object')
    throw new InvalidOptionError(option, `must be { testSize, testError }, got ${describe(value)}`);
  const { testSize, testError, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length)
    throw new InvalidOptionError(
      `${option}.${extra[0]}`,
      'is not an option of crossValidate (known: testSize, testError)',
    );
  if (typeof testSize !== 'number' || !(testSize > 0 && testSize < 1)) {
    throw new InvalidOptionError(
      `${option}.testSize`,
      `must be a number between 0 and 1 (the fraction of the set held out), got ${describe(testSize)}`,
    );
  }
  const out: CrossValidate = { testSize };
  if (testError !== undefined) out.testError = nonNegativeNumber(testError, `${option}.testError`);
  return out;
};

export const seed: Checker<number> = (value, option) => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new InvalidOptionError(option, `must be an integer, got ${describe(value)}`);
  }
  return value;
};

const randomChecker = fn<() => number>('a function returning numbers in [0, 1)');
const costChecker = fn<CostFunction>('a cost function (target, output) => number, e.g. Trainer.cost.MSE');
const progressChecker = fn<ProgressListener>('a function');

export const trainerSchema: Schema<TrainerOptions> = {
  rate,
  iterations: integerAtLeast(0),
  error: nonNegativeNumber,
  cost: costChecker,
  crossValidate,
  seed,
  random: randomChecker,
};

/** A gradient-path checker, looked up when called (fit-options.ts imports this module). */
function lazyFit<K extends keyof typeof fitSchema>(key: K): (typeof fitSchema)[K] {
  return ((value: unknown, option: string) => fitSchema[key](value, option)) as (typeof fitSchema)[K];
}

/** 1.x's `{ every, do }`, or a schedule of rates `{ type, ... }`. */
const anySchedule: Checker<Schedule | RateScheduleOptions> = (value, option) => {
  if (value !== null && typeof value === 'object' && 'type' in value) return checkRateSchedule(value, option);
  return schedule<ScheduleData>()(value, option);
};

export const trainSchema: Schema<TrainOptions> = {
  rate,
  iterations: integerAtLeast(0),
  error: nonNegativeNumber,
  shuffle: boolean,
  log,
  cost: costChecker,
  schedule: anySchedule,
  customLog: schedule<ScheduleData>(),
  crossValidate,
  seed,
  random: randomChecker,
  onProgress: progressChecker,
  progressEvery: integerAtLeast(1),
  optimizer: lazyFit('optimizer'),
  batchSize: lazyFit('batchSize'),
  epochs: lazyFit('epochs'),
  l1: lazyFit('l1'),
  l2: lazyFit('l2'),
  clip: lazyFit('clip'),
  dropout: lazyFit('dropout'),
  validation: lazyFit('validation'),
  earlyStopping: lazyFit('earlyStopping'),
  metrics: lazyFit('metrics'),
  onEpochEnd: lazyFit('onEpochEnd'),
  onBatchEnd: lazyFit('onBatchEnd'),
  batchExecutor: lazyFit('batchExecutor'),
  bptt: lazyFit('bptt'),
  truncation: lazyFit('truncation'),
};

const signal: Checker<AbortSignal> = (value, option) => {
  const s = value as Partial<AbortSignal> | null;
  if (
    s === null ||
    typeof s !== 'object' ||
    typeof s.aborted !== 'boolean' ||
    typeof s.addEventListener !== 'function'
  ) {
    throw new InvalidOptionError(option, `must be an AbortSignal, got ${describe(value)}`);
  }
  return value as AbortSignal;
};

const workerUrl: Checker<URL | string> = (value, option) => {
  if (value instanceof URL || (typeof value === 'string' && value.length > 0)) return value;
  throw new InvalidOptionError(option, `must be a URL or a non-empty string, got ${describe(value)}`);
};

const { random: _random, batchExecutor: _batchExecutor, ...trainSchemaWithoutRandom } = trainSchema;

export const trainAsyncSchema: Schema<TrainAsyncOptions> = {
  ...trainSchemaWithoutRandom,
  signal,
  workerUrl,
};

export const testSchema: Schema<TestOptions> = { cost: costChecker };

/** The random/seed and progress keys every task accepts. */
export const taskCommonSchema = {
  seed,
  random: randomChecker,
  onProgress: progressChecker,
  progressEvery: integerAtLeast(1),
};

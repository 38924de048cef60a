import type { CostFunction } from './cost.js';
import { describe } from './describe.js';
import { checkClip, type Clip } from './clip.js';
import { InvalidOptionError } from './errors.js';
import { isOptimizer, isOptimizerName, OPTIMIZER_NAMES } from './optimizers/by-name.js';
import type { Optimizer, OptimizerName } from './optimizers/optimizer.js';
import { boolean, type Checker, fn, integerAtLeast, nonNegativeNumber } from './checkers.js';
import type { SampleSet } from './training-set.js';

/** What `onBatchEnd` receives. */
export interface BatchEnd {
  epoch: number;
  /** 1-based within the epoch */
  batch: number;
  batches: number;
  /** the batch's mean loss (without the l1/l2 penalty) */
  loss: number;
  rate: number;
}

/** One epoch of `history` (and what `onEpochEnd` receives). */
export interface EpochEntry {
  epoch: number;
  /** mean loss over the epoch's training samples, measured while training (dropout on) */
  loss: number;
  /** mean loss over the validation samples after the epoch, when there are some */
  validationLoss?: number;
  /** the `metrics` asked for, on the training samples (measured while training) */
  metrics: Partial<Record<MetricName, number>>;
  /** the `metrics` on the validation samples after the epoch */
  validationMetrics?: Partial<Record<MetricName, number>>;
  /** the rate of the epoch's last step */
  rate: number;
  /** milliseconds the epoch took */
  time: number;
}

export type MetricName = 'accuracy';

export interface EarlyStopping {
  /** epochs without a better validation loss (training loss without validation) before stopping */
  patience: number;
  /** whether to put back the weights of the best epoch at the end (default true) */
  restoreBest?: boolean;
  /** how much lower a loss must be to count as better (default 0) */
  minDelta?: number;
}

// biome-ignore lint/suspicious/noConfusingVoidType: a callback may return nothing
export type StopCallback<T> = (data: T) => boolean | void;

/** The options of `train` beyond 1.x's; any of them (but `epochs`) selects the gradient path. */
export interface FitOptions {
  /** an optimizer, or its name (`'adam'`); default SGD at `rate` */
  optimizer?: Optimizer | OptimizerName;
  /** samples per optimizer step (default 1; LBFGS always takes the whole set) */
  batchSize?: number;
  /** the same as `iterations`: passes over the set */
  epochs?: number;
  l1?: number;
  l2?: number;
  clip?: Clip;
  /** dropout rate on every hidden layer while training (or one per hidden layer) */
  dropout?: number | readonly number[];
  /** a validation set, or the fraction of the set to hold out (its end) */
  validation?: SampleSet | number;
  earlyStopping?: EarlyStopping;
  metrics?: readonly MetricName[];
  onEpochEnd?: StopCallback<EpochEntry>;
  onBatchEnd?: StopCallback<BatchEnd>;
  /**
   * Runs each mini-batch as matrix products instead of sample by sample: `compileBatch(network, {
   * batchSize })` from `@synaptic/compile`, or anything with the same `forward`/`backward`. Its
   * `backward` must add the batch's summed gradient into `network.parameters()`. Only on this thread
   * (not `trainAsync`), and not with dropout, sequences or the perceptron rule.
   */
  batchExecutor?: BatchExecutor;
  /**
   * Exact gradients through time (core's `network.bptt`): each sample is an episode (a sequence
   * sample's steps, from cleared states; a plain sample, one step from the current state) and its
   * gradient is that of the cost summed over its steps. Without it, sequences get LSTM-g's online
   * gradient (`backward` step by step).
   */
  bptt?: boolean;
  /**
   * With `bptt`: cut each episode into chunks of this many steps; the gradient flows back within a
   * chunk only (the state carries over, as a constant), and the chunks' gradients add up.
   */
  truncation?: number;
}

/** What `batchExecutor` needs: `@synaptic/compile`'s `CompiledBatch` has it. */
export interface BatchExecutor {
  readonly batchSize: number;
  /** count × inputs numbers in, count × outputs numbers out */
  forward(inputs: Float64Array): ArrayLike<number>;
  /** after forward: adds the gradient summed over the samples; returns E summed over them */
  backward(targets: Float64Array, options: { cost: CostFunction }): number;
}

/** The keys that select the gradient path. */
export const FIT_KEYS = [
  'optimizer',
  'batchSize',
  'l1',
  'l2',
  'clip',
  'dropout',
  'validation',
  'earlyStopping',
  'metrics',
  'onEpochEnd',
  'onBatchEnd',
  'batchExecutor',
  'bptt',
  'truncation',
] as const;

const optimizer: Checker<Optimizer | OptimizerName> = (value, option) => {
  if (isOptimizer(value)) return value;
  if (typeof value === 'string') {
    const key = value.toLowerCase().replace(/[_\s]/g, '-').replace('adaptivegains', 'adaptive-gains');
    if (isOptimizerName(key)) return key;
  }
  throw new InvalidOptionError(
    option,
    `must be an optimizer (new Adam(), ...) or one of ${OPTIMIZER_NAMES.join(', ')}, got ${describe(value)}`,
  );
};

const unitFraction = (value: unknown, option: string): number => {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new InvalidOptionError(option, `must be a number in [0, 1), got ${describe(value)}`);
  }
  return value;
};

const dropout: Checker<number | readonly number[]> = (value, option) => {
  if (Array.isArray(value)) return value.map((v, i) => unitFraction(v, `${option}[${i}]`));
  return unitFraction(value, option);
};

const validation: Checker<SampleSet | number> = (value, option) => {
  if (typeof value === 'number') {
    if (!(value > 0 && value < 1)) {
      throw new InvalidOptionError(option, `as a fraction must be between 0 and 1, got ${describe(value)}`);
    }
    return value;
  }
  if (Array.isArray(value)) return value as SampleSet; // checked against the network with the set
  throw new InvalidOptionError(option, `must be a set of samples or a fraction of the set, got ${describe(value)}`);
};

const earlyStopping: Checker<EarlyStopping> = (value, option) => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidOptionError(option, `must be { patience, restoreBest?, minDelta? }, got ${describe(value)}`);
  }
  const { patience, restoreBest, minDelta, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length) {
    throw new InvalidOptionError(
      `${option}.${extra[0]}`,
      'is not an option of earlyStopping (known: patience, restoreBest, minDelta)',
    );
  }
  const out: EarlyStopping = { patience: integerAtLeast(0)(patience, `${option}.patience`) };
  if (restoreBest !== undefined) out.restoreBest = boolean(restoreBest, `${option}.restoreBest`);
  if (minDelta !== undefined) out.minDelta = nonNegativeNumber(minDelta, `${option}.minDelta`);
  return out;
};

const metrics: Checker<readonly MetricName[]> = (value, option) => {
  if (!Array.isArray(value))
    throw new InvalidOptionError(option, `must be an array such as ['accuracy'], got ${describe(value)}`);
  value.forEach((m, i) => {
    if (m !== 'accuracy') throw new InvalidOptionError(`${option}[${i}]`, `must be 'accuracy', got ${describe(m)}`);
  });
  return value.slice() as MetricName[];
};

export const fitSchema = {
  optimizer,
  batchSize: integerAtLeast(1),
  epochs: integerAtLeast(0),
  l1: nonNegativeNumber,
  l2: nonNegativeNumber,
  clip: checkClip,
  dropout,
  validation,
  earlyStopping,
  metrics,
  onEpochEnd: fn<StopCallback<EpochEntry>>('a function'),
  onBatchEnd: fn<StopCallback<BatchEnd>>('a function'),
  bptt: boolean,
  truncation: integerAtLeast(1),
  batchExecutor: ((value: unknown, option: string) => {
    const v = value as Partial<BatchExecutor> | null;
    if (
      v === null ||
      typeof v !== 'object' ||
      typeof v.forward !== 'function' ||
      typeof v.backward !== 'function' ||
      !Number.isInteger(v.batchSize)
    )
      throw new InvalidOptionError(
        option,
        `must be a batch executor such as compileBatch(network, { batchSize }) from @synaptic/compile, got ${describe(value)}`,
      );
    return v as BatchExecutor;
  }) as Checker<BatchExecutor>,
};

import type { RandomSource } from '@synaptic/core';
import { cost as costs, type CostFunction } from '../cost.js';
import { describe } from '../describe.js';
import { InvalidOptionError } from '../errors.js';
import { DivergenceGuard } from '../guard.js';
import { requireSizes, type TrainableNetwork } from '../network.js';
import {
  integerAtLeast,
  log,
  rate,
  schedule,
  taskCommonSchema,
  type Checker,
  type ProgressOptions,
  type RandomOptions,
  type Rate,
  type Schedule,
  type Schema,
  type TrainingProgress,
} from '../options.js';
import { pick } from '../random.js';
import { rateSchedule } from '../rate.js';
import { taskHooks } from './hooks.js';

/** What `schedule.do` receives from `DSR` (1.x's shape). */
export interface DSRScheduleData {
  iterations: number;
  success: number;
  error: number;
  time: number;
  correct: number;
}

export interface DSRProgress extends TrainingProgress {
  /** The fraction of sequences recalled without a mistake in the current block of 1000. */
  success: number;
}

/**
 * Distracted sequence recall. Symbols are numbered 0..n-1 and fed one-hot, so the network needs
 * as many inputs as there are symbols, and as many outputs as there are targets.
 */
export interface DSROptions extends RandomOptions, ProgressOptions<DSRProgress> {
  targets?: readonly number[];
  distractors?: readonly number[];
  prompts?: readonly number[];
  length?: number;
  /** The success rate (fraction of a block of 1000 sequences recalled perfectly) that ends training. */
  success?: number;
  iterations?: number;
  rate?: Rate;
  log?: number | boolean;
  schedule?: Schedule<DSRScheduleData>;
  cost?: CostFunction;
}

export interface DSRResult {
  iterations: number;
  success: number;
  error: number;
  time: number;
}

const symbols: Checker<number[]> = (value, option) => {
  if (!Array.isArray(value) || value.length === 0)
    throw new InvalidOptionError(option, `must be a non-empty array of symbol numbers, got ${describe(value)}`);
  return value.map((v, i) => integerAtLeast(0)(v, `${option}[${i}]`));
};

const fraction: Checker<number> = (value, option) => {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1))
    throw new InvalidOptionError(option, `must be a number between 0 and 1, got ${describe(value)}`);
  return value;
};

export const dsrSchema: Schema<DSROptions> = {
  ...taskCommonSchema,
  targets: symbols,
  distractors: symbols,
  prompts: symbols,
  length: integerAtLeast(1),
  success: fraction,
  iterations: integerAtLeast(0),
  rate,
  log,
  schedule: schedule<DSRScheduleData>(),
  cost: (value, option) => {
    if (typeof value !== 'function')
      throw new InvalidOptionError(option, `must be a cost function, got ${describe(value)}`);
    return value as CostFunction;
  },
};

const BLOCK = 1000;

/**
 * 1.x's DSR: each trial is a fresh sequence of `length - prompts` random distractors with
 * randomly chosen targets at distinct random positions, then the prompts; at the k-th prompt the
 * network must name the k-th target seen (one-hot over the targets), elsewhere output zeros. It is
 * propagated only on the steps whose rounded output is wrong. Success is the fraction of fully
 * correct sequences in the current block of 1000; training stops at a block boundary once success
 * reaches the criterion, or after `iterations` trials. The network is not cleared between
 * sequences, as in 1.x.
 *
 * Fixed: positions are sorted as numbers (1.x sorted them as strings, so position 10 came before
 * 2), the first sequence of each block counts (1.x zeroed the count after it), symbols and
 * lengths are checked, the network must have one input per symbol and one output per target, and
 * `schedule.do` returning true stops training.
 */
export function runDSR(
  network: TrainableNetwork,
  options: Partial<DSROptions>,
  defaultCost: CostFunction | null,
  random: RandomSource,
): DSRResult {
  const targets = options.targets ?? [2, 4, 7, 8];
  const distractors = options.distractors ?? [3, 5, 6, 9];
  const prompts = options.prompts ?? [0, 1];
  const length = options.length ?? 24;
  const criterion = options.success ?? 0.95;
  const iterations = options.iterations ?? 100000;
  const cost = options.cost ?? defaultCost ?? costs.CROSS_ENTROPY;
  const logEvery = Number(options.log ?? 0); // true: every trial, false: never
  const symbolCount = targets.length + distractors.length + prompts.length;
  checkSymbols(targets, distractors, prompts, symbolCount);
  const sequenceLength = length - prompts.length;
  if (sequenceLength < prompts.length) {
    throw new InvalidOptionError(
      'length',
      `must be at least ${2 * prompts.length} (room for ${prompts.length} targets and ${prompts.length} prompts), got ${length}`,
    );
  }
  requireSizes(network, `DSR with ${symbolCount} symbols and ${targets.length} targets`, symbolCount, targets.length);
  const rateAt = rateSchedule(options.rate ?? 0.1, iterations);
  const hooks = taskHooks<DSRScheduleData, DSRProgress>(options, logEvery, iterations);
  const guard = new DivergenceGuard(network);

  const start = Date.now();
  let trial = 0;
  let correct = 0;
  let success = 0;
  let error = 1;
  let currentRate = 0;
  let stopped = false;
  while (!stopped && trial < iterations && (success < criterion || trial % BLOCK !== 0)) {
    const iteration = trial + 1;
    currentRate = rateAt(iteration, trial === 0 ? 0 : error);
    guard.begin(iteration);
    if (trial % BLOCK === 0) correct = 0;
    const { sequence, picked } = dsrSequence(targets, distractors, prompts, length, random);
    let right = 0;
    error = 0;
    for (let i = 0; i < length; i++) {
      const input = new Array<number>(symbolCount).fill(0);
      input[sequence[i]] = 1;
      const target = new Array<number>(targets.length).fill(0);
      if (i >= sequenceLength) target[picked[i - sequenceLength]] = 1;
      const prediction = network.activate(input);
      guard.checkOutput(prediction, iteration);
      if (roundsTo(prediction, target)) right++;
      else network.propagate(currentRate, target);
      const c = cost(target, prediction);
      guard.checkCost(c, iteration);
      error += c;
    }
    if (right === length) correct++;
    trial = iteration;
    success = correct / (trial % BLOCK || BLOCK);
    error /= length;
    const time = Date.now() - start;
    stopped = hooks.after(
      trial,
      () => ({ iterations: trial, success, error, time, correct }),
      () => ['iterations:', trial, ' success:', success, ' correct:', correct, ' time:', time, ' error:', error],
      () => ({ iterations: trial, error, rate: currentRate, elapsed: time, success }),
    );
  }
  guard.end(trial);
  hooks.finish(trial, () => ({ iterations: trial, error, rate: currentRate, elapsed: Date.now() - start, success }));
  return { iterations: trial, success, error, time: Date.now() - start };
}

/**
 * One DSR sequence, drawing random numbers in 1.x's order: the distractors, then for each prompt
 * a target (by index) and a free position. `picked[k]` is the index (into `targets`) of the
 * target the k-th prompt asks for.
 */
export function dsrSequence(
  targets: readonly number[],
  distractors: readonly number[],
  prompts: readonly number[],
  length: number,
  random: RandomSource,
): { sequence: number[]; picked: number[] } {
  const sequenceLength = length - prompts.length;
  const sequence: number[] = [];
  for (let i = 0; i < sequenceLength; i++) sequence.push(distractors[pick(random, distractors.length)]);
  const picked: number[] = [];
  const positions: number[] = [];
  for (let k = 0; k < prompts.length; k++) {
    picked.push(pick(random, targets.length));
    let position: number;
    do position = pick(random, sequenceLength);
    while (positions.includes(position));
    positions.push(position);
  }
  positions.sort((a, b) => a - b);
  for (let k = 0; k < prompts.length; k++) {
    sequence[positions[k]] = targets[picked[k]];
    sequence.push(prompts[k]);
  }
  return { sequence, picked };
}

/** Whether every output rounds to its target (1.x's test of a correct step). */
function roundsTo(prediction: number[], target: number[]): boolean {
  for (let i = 0; i < prediction.length; i++) if (Math.round(prediction[i]) !== target[i]) return false;
  return true;
}

function checkSymbols(
  targets: readonly number[],
  distractors: readonly number[],
  prompts: readonly number[],
  count: number,
): void {
  const seen = new Map<number, string>();
  const lists: Array<[string, readonly number[]]> = [
    ['targets', targets],
    ['distractors', distractors],
    ['prompts', prompts],
  ];
  for (const [name, list] of lists) {
    list.forEach((symbol, i) => {
      if (symbol >= count) {
        throw new InvalidOptionError(
          `${name}[${i}]`,
          `is ${symbol}, but with ${count} symbols in all they must be numbered 0 to ${count - 1} (one network input each)`,
        );
      }
      const other = seen.get(symbol);
      if (other !== undefined)
        throw new InvalidOptionError(
          `${name}[${i}]`,
          `is ${symbol}, which is already in ${other}: every symbol must be distinct`,
        );
      seen.set(symbol, name);
    });
  }
}

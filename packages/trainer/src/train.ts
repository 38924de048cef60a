import type { RandomSource } from '@synaptic/core';
import { defaultProgressEvery } from './cadence.js';
import { cost as costs, type CostFunction } from './cost.js';
import { InvalidOptionError } from './errors.js';
import { crossValidationSplit, trainLoop, type LoopSettings, type TrainResult } from './loop.js';
import type { TrainableNetwork } from './network.js';
import type { CrossValidate, ProgressListener, Rate, Schedule, TrainOptions } from './options.js';
import { isRateSchedule, resolveEpochs } from './fit-plan.js';
import { rateSchedule } from './rate.js';
import type { Sample } from './training-set.js';

/** The trainer's defaults (1.x: rate 0.2, 100000 iterations, error 0.005, MSE). */
export interface TrainerDefaults {
  rate: Rate;
  iterations: number;
  error: number;
  cost: CostFunction | null;
  crossValidate: CrossValidate | null;
}

/** One `train` call with every option resolved: the call's own, else the trainer's, else 1.x's default. */
export interface TrainPlan {
  rate: Rate;
  iterations: number;
  error: number;
  shuffle: boolean;
  cost: CostFunction;
  crossValidate: CrossValidate | null;
  log: number;
  schedule: Schedule | null;
  onProgress: ProgressListener | null;
  progressEvery: number;
}

/**
 * 1.x wrote a call's options into the trainer (so they applied to every later call) and ignored
 * options given as 0; here a call's options apply to that call only, and 0 is a value.
 */
export function planTrain(defaults: TrainerDefaults, options: Partial<TrainOptions>, setSize: number): TrainPlan {
  const iterations = resolveEpochs(options, defaults.iterations);
  const log = Number(options.log ?? 0); // true: every iteration, false: never
  // a schedule of rates (`{ type }`) takes the gradient path, so here it is always 1.x's `{ every, do }`
  const given = options.schedule && !isRateSchedule(options.schedule) ? options.schedule : undefined;
  const schedule = given ?? options.customLog ?? null;
  const crossValidate = options.crossValidate === undefined ? defaults.crossValidate : options.crossValidate;
  if (crossValidate) {
    const split = crossValidationSplit(setSize, crossValidate.testSize);
    if (split < 1 || split >= setSize) {
      throw new InvalidOptionError(
        'crossValidate.testSize',
        `of ${crossValidate.testSize} leaves ${setSize - split} of ${setSize} samples for testing and ${split} for training: both need at least one`,
      );
    }
  }
  return {
    rate: options.rate ?? defaults.rate,
    iterations,
    error: options.error ?? defaults.error,
    shuffle: options.shuffle ?? false,
    cost: options.cost ?? defaults.cost ?? costs.MSE,
    crossValidate,
    log,
    schedule,
    onProgress: options.onProgress ?? null,
    progressEvery: defaultProgressEvery(options.progressEvery, log, schedule?.every ?? 0, iterations),
  };
}

export function loopSettings(plan: Omit<TrainPlan, 'schedule' | 'onProgress'>, random: RandomSource): LoopSettings {
  return {
    rate: rateSchedule(plan.rate, plan.iterations),
    iterations: plan.iterations,
    error: plan.error,
    shuffle: plan.shuffle,
    cost: plan.cost,
    crossValidate: plan.crossValidate,
    random,
  };
}

/** 1.x's log line. */
export function logIteration(iterations: number, error: number, rate: number): void {
  console.log('iterations', iterations, 'error', error, 'rate', rate);
}

/** Runs `train` on this thread: `schedule.do` is answered at once. */
export function runTrain(
  network: TrainableNetwork,
  samples: readonly Sample[],
  plan: TrainPlan,
  random: RandomSource,
): TrainResult {
  const { schedule } = plan;
  const loop = trainLoop(network, samples, loopSettings(plan, random), {
    scheduleEvery: schedule?.every ?? 0,
    logEvery: plan.log,
    log: logIteration,
    progressEvery: plan.progressEvery,
    progress: plan.onProgress,
  });
  let step = loop.next();
  while (!step.done) step = loop.next(Boolean(schedule?.do(step.value)));
  return step.value;
}

import { NonFiniteError, type RandomSource } from '@synaptic/core';
import { fires } from './cadence.js';
import type { CostFunction } from './cost.js';
import type { EpochEntry } from './fit-options.js';
import { TrainingDivergedError } from './errors.js';
import { DivergenceGuard } from './guard.js';
import type { TrainableNetwork } from './network.js';
import type { CrossValidate, ScheduleData, TrainingProgress } from './options.js';
import { shuffleInPlace } from './random.js';
import type { RateSchedule } from './rate.js';
import type { Sample } from './training-set.js';

/** Everything one training run needs, resolved and checked. */
export interface LoopSettings {
  rate: RateSchedule;
  iterations: number;
  error: number;
  shuffle: boolean;
  cost: CostFunction;
  crossValidate: CrossValidate | null;
  random: RandomSource;
}

export interface IterationReport {
  iterations: number;
  error: number;
  rate: number;
}

/**
 * The training loop of `train`, one iteration per `step()`, so that `train` (synchronous) and the
 * worker of `trainAsync` (which waits for `schedule.do` answers between iterations) run the same
 * code. One iteration activates and propagates every training sample in order and measures the
 * error, 1.x's way:
 * - without cross-validation, the average cost over the set, measured while training;
 * - with it, the last `testSize` of the set is held out, and the error is its average cost after
 *   the iteration.
 * Training goes on while iterations remain and the error is above `error` (and above
 * `crossValidate.testError`). 1.x started the error at 1 and tested it before the first
 * iteration, so an `error` option of 1 or more trained nothing; here the first iteration always
 * runs (a run of 0 iterations still reports 1.x's error of 1).
 */
export class TrainingRun {
  iterations = 0;
  error = 1;
  rate = 0;
  private lastError = 0;
  private stopped = false;
  private midIteration = false;
  private readonly trainSet: Sample[];
  private readonly testSet: Sample[] | null;
  private readonly guard: DivergenceGuard;

  constructor(
    private readonly network: TrainableNetwork,
    samples: readonly Sample[],
    private readonly settings: LoopSettings,
  ) {
    this.guard = new DivergenceGuard(network);
    const cv = settings.crossValidate;
    if (cv) {
      const split = crossValidationSplit(samples.length, cv.testSize);
      this.trainSet = samples.slice(0, split);
      this.testSet = samples.slice(split);
    } else {
      this.trainSet = samples.slice();
      this.testSet = null;
    }
  }

  get running(): boolean {
    const { iterations, error, crossValidate } = this.settings;
    if (this.stopped || this.iterations >= iterations) return false;
    if (this.iterations === 0) return true;
    if (this.error <= error) return false;
    return !(crossValidate?.testError !== undefined && this.error <= crossValidate.testError);
  }

  /** Ends the run after the current iteration (a schedule asked to stop). */
  stop(): void {
    this.stopped = true;
  }

  step(): IterationReport {
    const iteration = this.iterations + 1;
    const rate = this.settings.rate(iteration, this.lastError);
    this.guard.begin(iteration);
    this.midIteration = true;
    let error: number;
    if (this.testSet) {
      this.pass(this.trainSet, rate, true, iteration);
      error = this.pass(this.testSet, rate, false, iteration) / this.testSet.length;
    } else {
      error = this.pass(this.trainSet, rate, true, iteration) / this.trainSet.length;
    }
    this.guard.checkCost(error, iteration);
    this.iterations = iteration;
    this.error = this.lastError = error;
    this.rate = rate;
    // 1.x shuffled the caller's array after every iteration, and with cross-validation shuffled
    // that array while training on fixed slices of it; here the training part is shuffled
    if (this.settings.shuffle) shuffleInPlace(this.trainSet, this.settings.random);
    this.midIteration = false;
    return { iterations: iteration, error, rate };
  }

  /**
   * After a failure (a throwing cost, a `random` out of range, a bad sample): an iteration left
   * half done is undone, as the divergence guard does, so the network is as it was at the end
   * of the last complete iteration.
   */
  abandon(error: unknown): void {
    if (this.midIteration && !(error instanceof TrainingDivergedError)) this.guard.restore();
    this.midIteration = false;
  }

  /** Call once the loop is over: throws if the last iteration left NaN in the network. */
  finish(): void {
    this.guard.end(this.iterations);
  }

  private pass(samples: Sample[], rate: number, learn: boolean, iteration: number): number {
    const { network, guard } = this;
    const { cost } = this.settings;
    let sum = 0;
    for (let i = 0; i < samples.length; i++) {
      const { steps } = samples[i];
      if (steps) {
        sum += this.sequence(steps, rate, learn, iteration);
        continue;
      }
      const { input, output: target } = samples[i];
      let output: number[];
      try {
        output = network.activate(input);
        guard.checkOutput(output, iteration);
        if (learn) network.propagate(rate, target);
      } catch (error) {
        // core refuses NaN/Infinity outputs and undoes a propagation that would store them
        // (a standalone module's runner throws an Error named NonFiniteError: it has no core)
        if (error instanceof NonFiniteError || (error instanceof Error && error.name === 'NonFiniteError'))
          guard.fail(iteration, error.message);
        throw error;
      }
      const c = cost(target, output);
      guard.checkCost(c, iteration);
      sum += c;
    }
    return sum;
  }

  /** Online LSTM-g through an episode: cleared (states too), then activate and propagate each step; its cost is the steps' mean. */
  private sequence(steps: NonNullable<Sample['steps']>, rate: number, learn: boolean, iteration: number): number {
    const { network, guard } = this;
    network.clear?.({ states: true });
    let sum = 0;
    for (const { input, output: target } of steps) {
      const output = network.activate(input);
      guard.checkOutput(output, iteration);
      if (learn) network.propagate(rate, target);
      const c = this.settings.cost(target, output);
      guard.checkCost(c, iteration);
      sum += c;
    }
    return sum / steps.length;
  }
}

export interface TrainResult {
  error: number;
  iterations: number;
  /** Milliseconds. */
  time: number;
  /** The gradient path's: one entry per epoch (loss, validation loss, metrics, rate, time). */
  history?: EpochEntry[];
  /** The gradient path's: the epoch whose weights early stopping put back. */
  bestEpoch?: number;
  /** The gradient path's: why training ended. */
  stopped?: 'epochs' | 'error' | 'early-stopping' | 'callback';
}

/** Where the loop reports to: on this thread, the caller's functions; in a worker, messages to the caller. */
export interface LoopHooks {
  /** 0: no schedule. */
  scheduleEvery: number;
  /** 0: no log. */
  logEvery: number;
  log(iterations: number, error: number, rate: number): void;
  progressEvery: number;
  progress: ((progress: TrainingProgress) => void) | null;
}

/**
 * The whole of a `train` run. It yields at every schedule point with the data for
 * `schedule.do` and expects back whether to stop, so the caller can answer at once (`train`) or
 * after a round trip to another thread (the worker of `trainAsync`).
 */
export function* trainLoop(
  network: TrainableNetwork,
  samples: readonly Sample[],
  settings: LoopSettings,
  hooks: LoopHooks,
): Generator<ScheduleData, TrainResult, boolean> {
  const start = Date.now();
  const run = new TrainingRun(network, samples, settings);
  let reported = 0;
  try {
    while (run.running) {
      const { iterations, error, rate } = run.step();
      if (fires(hooks.scheduleEvery, iterations) && (yield { error, iterations, rate })) run.stop();
      if (fires(hooks.logEvery, iterations)) hooks.log(iterations, error, rate);
      if (hooks.progress && fires(hooks.progressEvery, iterations)) {
        hooks.progress({ iterations, error, rate, elapsed: Date.now() - start });
        reported = iterations;
      }
    }
  } catch (error) {
    run.abandon(error);
    throw error;
  }
  run.finish();
  if (hooks.progress && run.iterations > 0 && reported !== run.iterations) {
    hooks.progress({ iterations: run.iterations, error: run.error, rate: run.rate, elapsed: Date.now() - start });
  }
  return { error: run.error, iterations: run.iterations, time: Date.now() - start };
}

/** 1.x's split: the first `ceil((1 - testSize) * n)` samples train, the rest test. */
export function crossValidationSplit(size: number, testSize: number): number {
  return Math.ceil((1 - testSize) * size);
}

import type { RandomSource } from '@synaptic/core';
import { cost, type CostFunction } from './cost.js';
import { InvalidOptionError } from './errors.js';
import type { TrainResult } from './loop.js';
import { checkNetwork, requireSizes, sizesOf, type TrainableNetwork } from './network.js';
import {
  readOptions,
  testSchema,
  trainAsyncSchema,
  trainerSchema,
  trainSchema,
  type CrossValidate,
  type Rate,
  type TestOptions,
  type TrainAsyncOptions,
  type TrainerOptions,
  type TrainOptions,
} from './options.js';
import { resolveRandom } from './random.js';
import { checkGradientNetwork, type FitResult } from './fit.js';
import { planFit, usesFit } from './fit-plan.js';
import { fitCallbacks, runFit } from './run-fit.js';
import { runDSR, dsrSchema, type DSROptions, type DSRResult } from './tasks/dsr.js';
import { ergSchema, runERG, type ERGOptions, type ERGResult } from './tasks/erg.js';
import { timingSamples, timingSchema, type TimingTaskOptions, type TimingTaskResult } from './tasks/timing.js';
import { xorOptions, xorSet } from './tasks/xor.js';
import { planTrain, runTrain, type TrainerDefaults } from './train.js';
import { trainFitInWorker, trainInWorker } from './train-async.js';
import { checkTrainingSet, type SampleSet, type TrainingSet } from './training-set.js';

export interface TestResult {
  error: number;
  /** Milliseconds. */
  time: number;
}

/**
 * Trains a network on a set, or on one of 1.x's built-in tasks. Options given to the
 * constructor are the defaults of every call; options given to a call apply to it alone.
 */
export class Trainer {
  /** The cost functions: `CROSS_ENTROPY`, `MSE` (the default) and `BINARY`. */
  static readonly cost = cost;

  readonly network: TrainableNetwork;
  readonly rate: Rate;
  readonly iterations: number;
  readonly error: number;
  readonly cost: CostFunction | null;
  readonly crossValidate: CrossValidate | null;
  private readonly random: RandomSource | null;

  constructor(network: TrainableNetwork, options?: TrainerOptions) {
    this.network = checkNetwork(network);
    const o = readOptions(options, 'new Trainer', trainerSchema);
    // 1.x: `options.rate || .2` and so on, so a 0 fell back to the default; here it is kept
    this.rate = o.rate ?? 0.2;
    this.iterations = o.iterations ?? 100000;
    this.error = o.error ?? 0.005;
    this.cost = o.cost ?? null;
    this.crossValidate = o.crossValidate ?? null;
    this.random = o.seed !== undefined || o.random !== undefined ? resolveRandom(o, null) : null;
  }

  /**
   * Trains on `set`. Without any of the gradient options, 1.x's algorithm, unchanged: online
   * `propagate` until the error is at or below `error` or `iterations` have run. With any of
   * `optimizer`, `batchSize`, `l1`, `l2`, `clip`, `dropout`, `validation`, `earlyStopping`,
   * `metrics`, `onEpochEnd`, `onBatchEnd` or a rate `schedule` ({ type, ... }), the gradient path:
   * epochs of mini-batches through `backward` and the optimizer (default SGD at `rate`, batches
   * of 1, no shuffling unless `shuffle`), and the result has `history`, one entry per epoch.
   */
  train(set: SampleSet, options?: TrainOptions): TrainResult {
    const o = readOptions(options, 'train', trainSchema);
    if (usesFit(o)) return this.fit(set, o);
    const { inputs, outputs } = sizesOf(this.network);
    const samples = checkTrainingSet(set, inputs, outputs);
    const plan = planTrain(this.defaults(), o, samples.length);
    return runTrain(this.network, samples, plan, resolveRandom(o, this.random));
  }

  /**
   * `train` in a worker thread (worker_threads in Node.js, a Web Worker in browsers), resolving
   * with the same result once the trained weights are written back into the network. Do not
   * use the network meanwhile: its parameters are replaced when training ends. `signal` aborts
   * (rejecting with an `AbortError`, the network unchanged); `schedule.do` and `onProgress` run on
   * this thread. A `rate` or `cost` function is sent as source text, so it must not use outside
   * variables; seed shuffling with `seed` (a `random` function cannot be sent).
   */
  async trainAsync(set: SampleSet, options?: TrainAsyncOptions): Promise<TrainResult> {
    if (options && typeof options === 'object' && 'batchExecutor' in options) {
      throw new InvalidOptionError(
        'batchExecutor',
        "cannot be sent to the worker of trainAsync (it runs on this thread's memory): use train",
      );
    }
    if (options && typeof options === 'object' && 'random' in options && options.random !== undefined) {
      throw new InvalidOptionError(
        'random',
        'cannot be sent to the worker of trainAsync (a function that keeps state): give a `seed` instead',
      );
    }
    const o = readOptions(options, 'trainAsync', trainAsyncSchema);
    if (usesFit(o)) {
      const network = checkGradientNetwork(this.network);
      const { plan, samples } = planFit(this.defaults(), o, network, set, sizesOf(network));
      // the worker draws from mulberry32(seed): without a seed, draw one from this trainer's source
      const random = plan.shuffle || plan.dropout !== null;
      const seed = o.seed ?? (random ? Math.floor(resolveRandom({}, this.random)() * 2 ** 32) : 0);
      const callbacks = fitCallbacks(o, plan.epochs);
      return trainFitInWorker(network, samples, plan, callbacks, { seed, signal: o.signal, workerUrl: o.workerUrl });
    }
    const { inputs, outputs } = sizesOf(this.network);
    const samples = checkTrainingSet(set, inputs, outputs);
    const plan = planTrain(this.defaults(), o, samples.length);
    // the worker shuffles with mulberry32(seed): without a seed, draw one from this trainer's source
    const seed = o.seed ?? (plan.shuffle ? Math.floor(resolveRandom({}, this.random)() * 2 ** 32) : 0);
    return trainInWorker(this.network, samples, plan, { seed, signal: o.signal, workerUrl: o.workerUrl });
  }

  /** The average cost over `set`, without training. */
  test(set: TrainingSet, options?: TestOptions): TestResult {
    const o = readOptions(options, 'test', testSchema);
    const { inputs, outputs } = sizesOf(this.network);
    const samples = checkTrainingSet(set, inputs, outputs);
    const costOf = o.cost ?? this.cost ?? cost.MSE;
    const start = Date.now();
    let error = 0;
    for (const { input, output } of samples) error += costOf(output, this.network.activate(input));
    return { error: error / samples.length, time: Date.now() - start };
  }

  /** Trains XOR (1.x's defaults: 100000 iterations, shuffled, MSE); needs 2 inputs and 1 output. */
  XOR(options?: TrainOptions): TrainResult {
    const o = readOptions(options, 'XOR', trainSchema);
    requireSizes(this.network, 'XOR', 2, 1);
    return this.train(xorSet(), xorOptions(o));
  }

  /** Distracted sequence recall; needs one input per symbol and one output per target. */
  DSR(options?: DSROptions): DSRResult {
    const o = readOptions(options, 'DSR', dsrSchema);
    return runDSR(this.network, o, this.cost, resolveRandom(o, this.random));
  }

  /** Embedded Reber grammar; needs 6 inputs and 6 outputs. */
  ERG(options?: ERGOptions): ERGResult {
    const o = readOptions(options, 'ERG', ergSchema);
    return runERG(this.network, o, this.cost, resolveRandom(o, this.random));
  }

  /** The timing task (1.x's defaults: 200 iterations, rates [0.03, 0.02], 7000 + 1000 samples); needs 2 inputs and 1 output. */
  timingTask(options?: TimingTaskOptions): TimingTaskResult {
    const o = readOptions(options, 'timingTask', timingSchema);
    requireSizes(this.network, 'the timing task', 2, 1);
    const samples = timingSamples(o.trainSamples ?? 7000, o.testSamples ?? 1000, resolveRandom(o, this.random));
    const costOf = o.cost ?? this.cost ?? cost.MSE;
    const train = this.train(samples.train, {
      rate: o.rate ?? [0.03, 0.02],
      log: o.log ?? 10,
      iterations: o.iterations ?? 200,
      error: o.error ?? 0.005,
      cost: costOf,
      schedule: o.schedule,
      onProgress: o.onProgress,
      progressEvery: o.progressEvery,
    });
    return { train, test: this.test(samples.test, { cost: costOf }) };
  }

  private fit(set: SampleSet, o: Partial<TrainOptions>): FitResult {
    const network = checkGradientNetwork(this.network);
    const sizes = sizesOf(network);
    const { plan, samples } = planFit(this.defaults(), o, network, set, sizes);
    return runFit(
      network,
      samples,
      plan,
      fitCallbacks(o, plan.epochs),
      resolveRandom(o, this.random),
      o.batchExecutor ?? null,
    );
  }

  private defaults(): TrainerDefaults {
    return {
      rate: this.rate,
      iterations: this.iterations,
      error: this.error,
      cost: this.cost,
      crossValidate: this.crossValidate,
    };
  }
}

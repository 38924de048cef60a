import type { BatchExecutor } from './fit-options.js';
import type { RandomSource } from '@synaptic/core';
import { clipGradients, type Clip } from './clip.js';
import type { CostFunction } from './cost.js';
import { argmax } from './data.js';
import { Dropout } from './dropout.js';
import { IncompatibleNetworkError, InvalidOptionError } from './errors.js';
import type { BatchEnd, EarlyStopping, EpochEntry, MetricName } from './fit-options.js';
import type { FitSample } from './fit-set.js';
import { DivergenceGuard } from './guard.js';
import type { TrainableNetwork } from './network.js';
import type { Optimizer } from './optimizers/optimizer.js';
import type { ParameterLike } from './optimizers/parameter.js';
import type { ScheduleData, TrainingProgress } from './options.js';
import { shuffleInPlace } from './random.js';
import type { RateSchedule } from './rate.js';
import { type RateScheduleOptions, scheduledRate } from './rate-schedule.js';
import { addPenaltyGradients, penaltyOf } from './regularization.js';

/** What the gradient path needs beyond 1.x's network: core's Engine 2 API. */
export interface GradientNetwork extends TrainableNetwork {
  parameters(): readonly ParameterLike[];
  backward(
    target: ArrayLike<number> | null,
    options?: { cost?: CostFunction; outputGradient?: ArrayLike<number> },
  ): number | undefined;
  zeroGradients(): void;
  /** core's exact gradients through time (the `bptt` option) */
  bptt?(
    inputs: ArrayLike<number>[],
    targets: ArrayLike<number>[],
    options?: { cost?: CostFunction; onStep?: (step: number, output: number[]) => void },
  ): number;
}

export function checkGradientNetwork(network: TrainableNetwork): GradientNetwork {
  const n = network as Partial<GradientNetwork>;
  for (const method of ['parameters', 'backward', 'zeroGradients'] as const) {
    if (typeof n[method] !== 'function') {
      throw new IncompatibleNetworkError(
        `optimizers, mini-batches and the other gradient options need a network with ${method}() (a @synaptic/core Network has it)`,
      );
    }
  }
  return network as GradientNetwork;
}

/** Everything one run of the gradient path needs, resolved and checked. */
export interface FitSettings {
  optimizer: Optimizer;
  /** the base rate of each epoch (1-based), 1.x's rate option (number, array or function) */
  rate: RateSchedule;
  schedule: RateScheduleOptions | null;
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  cost: CostFunction;
  /** the loss measured on validation samples (the categorical cross-entropy on a softmax output) */
  measure: CostFunction;
  l1: number;
  l2: number;
  clip: Clip | null;
  dropout: readonly number[] | null;
  validation: FitSample[] | null;
  earlyStopping: EarlyStopping | null;
  metrics: readonly MetricName[];
  /** stop once the epoch's loss (validation loss when there is validation) is at or below this; null: never */
  error: number | null;
  random: RandomSource;
  /** runs each mini-batch as matrix products (see `FitOptions.batchExecutor`); null: sample by sample */
  batchExecutor?: BatchExecutor | null;
  /** exact gradients through time, in chunks of `truncation` steps (null: whole episodes) */
  bptt?: boolean;
  truncation?: number | null;
}

/** What the loop asks its caller between steps; the caller answers whether to stop. */
export type FitEvent =
  | { kind: 'batch'; data: BatchEnd }
  | { kind: 'epoch'; data: EpochEntry }
  | { kind: 'schedule'; data: ScheduleData };

export interface FitHooks {
  /** which events to yield (the others are not even built) */
  batchEvents: boolean;
  epochEvents: boolean;
  scheduleEvery: number;
  logEvery: number;
  log(iterations: number, error: number, rate: number): void;
  progressEvery: number;
  progress: ((progress: TrainingProgress) => void) | null;
}

export interface FitResult {
  error: number;
  iterations: number;
  time: number;
  history: EpochEntry[];
  /** the epoch whose weights the network has at the end, when early stopping restored them */
  bestEpoch?: number;
  /** why training ended: all epochs ran, the error was reached, early stopping, or a callback */
  stopped: 'epochs' | 'error' | 'early-stopping' | 'callback';
}

/** Whether the outputs name the right class: argmax for several outputs, a 0.5 threshold for one. */
function correct(target: ArrayLike<number>, output: ArrayLike<number>): boolean {
  if (output.length === 1) return output[0] >= 0.5 === target[0] >= 0.5;
  return argmax(output) === argmax(target);
}

/**
 * The gradient path of `train`: epochs of mini-batches. Each batch: zeroed gradients, then for
 * each sample activate (with dropout) and `backward` (a sequence is cleared first and stepped
 * through, each step adding its gradient), the gradients averaged over the batch, the l1/l2
 * penalty's gradient added, clipped, the rate set from the schedule, one optimizer step. LBFGS
 * takes one step per epoch on the whole set, evaluating it afresh at every trial point.
 */
export function* fitLoop(
  network: GradientNetwork,
  samples: readonly FitSample[],
  settings: FitSettings,
  hooks: FitHooks,
): Generator<FitEvent, FitResult, boolean> {
  const start = Date.now();
  const { optimizer, epochs, cost, metrics, random } = settings;
  const parameters = network.parameters();
  const guard = new DivergenceGuard(network);
  const dropout = settings.dropout ? new Dropout(network, settings.dropout, random) : null;
  const forward = dropout
    ? (x: ArrayLike<number>) => dropout.activate(x)
    : (x: ArrayLike<number>) => network.activate(x);
  const perceptron = (optimizer as { outputGradient?: Perceptronish['outputGradient'] }).outputGradient;
  const delta = new Float64Array(network.outputs());
  if (settings.batchExecutor) {
    const why = dropout
      ? 'dropout'
      : perceptron
        ? 'the perceptron rule'
        : samples.some((s) => s.sequence)
          ? 'sequence samples'
          : settings.batchExecutor.batchSize < settings.batchSize
            ? `a batchSize of ${settings.batchSize} (the executor runs ${settings.batchExecutor.batchSize} at most)`
            : null;
    if (why) throw new InvalidOptionError('batchExecutor', `cannot run ${why}: leave it out to train sample by sample`);
  }
  const order = samples.slice();
  const history: EpochEntry[] = [];
  const accuracy = metrics.includes('accuracy');
  let best = Infinity;
  let bestEpoch = 0;
  let bestValues: Float64Array[] | null = null;
  let sinceBest = 0;
  let stopped: FitResult['stopped'] = 'epochs';
  let lastLoss = 0;
  let error = 1;
  let epoch = 0;
  let reported = 0;
  network.zeroGradients();
  // schedules set the optimizer's rate step by step; the next call starts from the rate it had
  const initialRate = optimizer.rate;
  try {
    return yield* epochsOf();
  } finally {
    optimizer.rate = initialRate;
  }

  function* epochsOf(): Generator<FitEvent, FitResult, boolean> {
    /** One sample forward and backward; returns its loss (a sequence's: the mean over its steps). */
    const learn = (sample: FitSample, iteration: number, tally: { right: number }): number => {
      if (settings.bptt) return learnThroughTime(sample, iteration, tally);
      if (sample.sequence) network.clear?.({ states: true });
      let loss = 0;
      for (let t = 0; t < sample.inputs.length; t++) {
        const target = sample.outputs[t];
        const y = forward(sample.inputs[t]);
        guard.checkOutput(y, iteration);
        let c: number | undefined;
        if (perceptron) {
          network.backward(null, { outputGradient: perceptron.call(optimizer, target, y, delta) });
        } else {
          c = network.backward(target, { cost });
        }
        c ??= cost(target as number[], y);
        guard.checkCost(c, iteration);
        loss += c;
        if (accuracy && correct(target, y)) tally.right++;
      }
      return loss / sample.inputs.length;
    };

    /**
     * One sample as an episode through `network.bptt` (a sequence from cleared states, in chunks of
     * `truncation` steps); returns its loss, the mean over its steps as for the online gradient.
     */
    const learnThroughTime = (sample: FitSample, iteration: number, tally: { right: number }): number => {
      if (sample.sequence) network.clear?.({ states: true });
      const steps = sample.inputs.length;
      const chunk = settings.truncation ?? steps;
      let loss = 0;
      let offset = 0;
      const onStep = (step: number, y: number[]) => {
        guard.checkOutput(y, iteration);
        if (accuracy && correct(sample.outputs[offset + step], y)) tally.right++;
      };
      for (; offset < steps; offset += chunk) {
        const end = Math.min(steps, offset + chunk);
        const c = network.bptt!(sample.inputs.slice(offset, end), sample.outputs.slice(offset, end), { cost, onStep });
        guard.checkCost(c, iteration);
        loss += c;
      }
      return loss / steps;
    };

    // the batch executor's path: the batch packed row by row, one forward and one backward for it
    const runner = settings.batchExecutor ?? null;
    const packed = runner
      ? {
          inputs: new Float64Array(settings.batchSize * network.inputs()),
          targets: new Float64Array(settings.batchSize * network.outputs()),
        }
      : null;
    const learnBatch = (from: number, to: number, iteration: number, tally: { right: number }): number => {
      const n = network.inputs();
      const m = network.outputs();
      const count = to - from;
      for (let s = 0; s < count; s++) {
        const sample = order[from + s];
        packed!.inputs.set(sample.inputs[0], s * n);
        packed!.targets.set(sample.outputs[0], s * m);
      }
      const out = runner!.forward(packed!.inputs.subarray(0, count * n));
      for (let s = 0; s < count; s++) {
        const y = Array.from({ length: m }, (_, k) => out[s * m + k]);
        guard.checkOutput(y, iteration);
        if (accuracy && correct(order[from + s].outputs[0], y)) tally.right++;
      }
      const loss = runner!.backward(packed!.targets.subarray(0, count * m), { cost });
      guard.checkCost(loss, iteration);
      return loss;
    };

    const update = (batch: number, rate: number): void => {
      if (batch !== 1) {
        const scale = 1 / batch;
        for (const { gradient } of parameters) for (let i = 0; i < gradient.length; i++) gradient[i] *= scale;
      }
      addPenaltyGradients(parameters, settings);
      if (settings.clip) clipGradients(parameters, settings.clip);
      optimizer.rate = rate;
      optimizer.step(parameters);
      network.zeroGradients();
    };

    while (epoch < epochs) {
      const iteration = epoch + 1;
      const epochStart = Date.now();
      guard.begin(iteration);
      if (settings.shuffle) shuffleInPlace(order, random);
      const base = settings.rate(iteration, lastLoss);
      const rateAt = (position: number) =>
        settings.schedule ? scheduledRate(settings.schedule, base, position, epochs) : base;
      const tally = { right: 0, steps: 0 };
      let lossSum = 0;
      let rate = base;
      let stopNow = false;
      if (optimizer.fullBatch) {
        rate = rateAt(iteration);
        optimizer.rate = rate;
        let measured = 0;
        const evaluate = (): number => {
          network.zeroGradients();
          tally.right = 0;
          let sum = 0;
          for (const sample of order) sum += learn(sample, iteration, tally);
          const scale = 1 / order.length;
          for (const { gradient } of parameters) for (let i = 0; i < gradient.length; i++) gradient[i] *= scale;
          addPenaltyGradients(parameters, settings);
          measured = sum * scale;
          return measured + penaltyOf(parameters, settings);
        };
        optimizer.step(parameters, evaluate);
        network.zeroGradients();
        lossSum = measured * order.length;
      } else {
        const { batchSize } = settings;
        const batches = Math.ceil(order.length / batchSize);
        for (let b = 0; b < batches && !stopNow; b++) {
          const from = b * batchSize;
          const to = Math.min(order.length, from + batchSize);
          let batchLoss = 0;
          if (packed) batchLoss = learnBatch(from, to, iteration, tally);
          else for (let s = from; s < to; s++) batchLoss += learn(order[s], iteration, tally);
          rate = rateAt(epoch + (b + 1) / batches);
          update(to - from, rate);
          lossSum += batchLoss;
          if (hooks.batchEvents) {
            const data: BatchEnd = { epoch: iteration, batch: b + 1, batches, loss: batchLoss / (to - from), rate };
            if (yield { kind: 'batch', data }) {
              stopNow = true;
              stopped = 'callback';
            }
          }
        }
      }
      const steps = order.reduce((n, s) => n + s.inputs.length, 0);
      const loss = lossSum / order.length;
      guard.checkCost(loss, iteration);
      const entry: EpochEntry = { epoch: iteration, loss, metrics: {}, rate, time: 0 };
      if (accuracy) entry.metrics.accuracy = tally.right / steps;
      if (settings.validation) {
        const v = evaluateSet(network, settings.validation, settings.measure, accuracy);
        guard.checkCost(v.loss, iteration);
        entry.validationLoss = v.loss;
        entry.validationMetrics = accuracy ? { accuracy: v.accuracy } : {};
      }
      entry.time = Date.now() - epochStart;
      history.push(entry);
      epoch = iteration;
      error = lastLoss = entry.validationLoss ?? loss;

      const { earlyStopping } = settings;
      if (earlyStopping) {
        if (error < best - (earlyStopping.minDelta ?? 0)) {
          best = error;
          bestEpoch = iteration;
          sinceBest = 0;
          if (earlyStopping.restoreBest !== false) bestValues = snapshot(parameters, bestValues);
        } else if (++sinceBest > earlyStopping.patience && stopped === 'epochs') {
          stopped = 'early-stopping';
        }
      }
      if (settings.error !== null && error <= settings.error && stopped === 'epochs') stopped = 'error';
      if (hooks.epochEvents && (yield { kind: 'epoch', data: entry }) && stopped === 'epochs') stopped = 'callback';
      if (hooks.scheduleEvery > 0 && iteration % hooks.scheduleEvery === 0) {
        if ((yield { kind: 'schedule', data: { error, iterations: iteration, rate } }) && stopped === 'epochs') {
          stopped = 'callback';
        }
      }
      if (hooks.logEvery > 0 && iteration % hooks.logEvery === 0) hooks.log(iteration, error, rate);
      if (hooks.progress && iteration % hooks.progressEvery === 0) {
        hooks.progress({ iterations: iteration, error, rate, elapsed: Date.now() - start });
        reported = iteration;
      }
      if (stopNow || stopped !== 'epochs') break;
    }
    guard.end(epoch);
    const result: FitResult = { error, iterations: epoch, time: 0, history, stopped };
    if (bestValues && bestEpoch !== epoch) {
      restore(parameters, bestValues);
      result.bestEpoch = bestEpoch;
      result.error = best;
    } else if (settings.earlyStopping && bestEpoch > 0) {
      result.bestEpoch = bestEpoch;
    }
    if (hooks.progress && epoch > 0 && reported !== epoch) {
      hooks.progress({
        iterations: epoch,
        error: result.error,
        rate: history[history.length - 1].rate,
        elapsed: Date.now() - start,
      });
    }
    result.time = Date.now() - start;
    return result;
  }
}

interface Perceptronish {
  outputGradient(target: ArrayLike<number>, output: ArrayLike<number>, out: Float64Array): Float64Array;
}

/** Mean loss (and accuracy) over `set` without training or dropout. */
export function evaluateSet(
  network: TrainableNetwork,
  set: readonly FitSample[],
  measure: CostFunction,
  withAccuracy: boolean,
): { loss: number; accuracy: number } {
  let loss = 0;
  let right = 0;
  let steps = 0;
  for (const sample of set) {
    if (sample.sequence) network.clear?.({ states: true });
    let sampleLoss = 0;
    for (let t = 0; t < sample.inputs.length; t++) {
      const y = network.activate(sample.inputs[t]);
      sampleLoss += measure(sample.outputs[t] as number[], y);
      if (withAccuracy && correct(sample.outputs[t], y)) right++;
      steps++;
    }
    loss += sampleLoss / sample.inputs.length;
  }
  return { loss: loss / set.length, accuracy: right / steps };
}

function snapshot(parameters: readonly ParameterLike[], reuse: Float64Array[] | null): Float64Array[] {
  if (!reuse) return parameters.map((p) => p.value.slice());
  parameters.forEach((p, i) => reuse[i].set(p.value));
  return reuse;
}

function restore(parameters: readonly ParameterLike[], values: Float64Array[]): void {
  parameters.forEach((p, i) => p.value.set(values[i]));
}

/** LBFGS and dropout (a different network at every trial point) or clipping (a different gradient) do not mix. */
export function checkFullBatch(optimizer: Optimizer, dropout: boolean, clip: boolean): void {
  if (!optimizer.fullBatch) return;
  if (dropout)
    throw new InvalidOptionError(
      'dropout',
      `cannot be used with ${optimizer.name}: its line search needs the same network at every trial point`,
    );
  if (clip)
    throw new InvalidOptionError(
      'clip',
      `cannot be used with ${optimizer.name}: its line search needs the true gradient`,
    );
}

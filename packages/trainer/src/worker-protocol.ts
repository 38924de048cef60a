import type { AnyNetworkJSON } from '@synaptic/core';
import type { CostName } from './cost.js';
import type { TrainResult } from './loop.js';
import type { CrossValidate, ScheduleData, TrainingProgress } from './options.js';
import type { Sample } from './training-set.js';
import type { Clip } from './clip.js';
import type { FitEvent } from './fit.js';
import type { EarlyStopping, MetricName } from './fit-options.js';
import type { FitSample } from './fit-set.js';
import type { OptimizerSpec } from './optimizers/by-name.js';
import type { RateScheduleOptions } from './rate-schedule.js';

/**
 * The messages between `trainAsync` and its worker. Everything is structured-cloneable: functions
 * travel as source text (built-in costs by name), and the functions that must run on the
 * caller's thread (`schedule.do`, `onProgress`) stay there, reached by messages.
 */

/** A function sent as its source text, rebuilt in the worker. */
export interface WireFunction {
  source: string;
}

export type WireRate = number | number[] | WireFunction;
export type WireCost = { name: CostName } | WireFunction;

export interface WirePlan {
  rate: WireRate;
  iterations: number;
  error: number;
  shuffle: boolean;
  cost: WireCost;
  crossValidate: CrossValidate | null;
  log: number;
  scheduleEvery: number;
  progressEvery: number;
  /** Whether the caller listens to progress (if not, none is sent). */
  progress: boolean;
  seed: number;
}

/** The network to train: 1.x JSON for `Network.fromJSON`, or a portable source from a compiled executor. */
export type WireNetwork =
  | { kind: 'json'; json: AnyNetworkJSON }
  | { kind: 'portable'; source: string; inputs: number; outputs: number };

/**
 * The training set packed into two flat arrays (sample i's input is `inputs[i * inputSize ..]`):
 * copying a Float64Array between threads is one block copy, where an array of number arrays is
 * cloned number by number (about 100 ms on the caller's thread for 600 MNIST digits).
 */
export interface WireSet {
  size: number;
  inputSize: number;
  outputSize: number;
  inputs: Float64Array;
  outputs: Float64Array;
}

export interface StartMessage {
  type: 'start';
  network: WireNetwork;
  set: WireSet;
  plan: WirePlan;
}

/** A gradient-path run: the plan as data (the optimizer as its spec, functions as source text). */
export interface WireFitPlan {
  optimizer: OptimizerSpec;
  rate: WireRate;
  schedule: RateScheduleOptions | null;
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  cost: WireCost;
  l1: number;
  l2: number;
  clip: Clip | null;
  dropout: number[] | null;
  validation: FitSample[] | null;
  earlyStopping: EarlyStopping | null;
  metrics: MetricName[];
  error: number | null;
  bptt: boolean;
  truncation: number | null;
  batchEvents: boolean;
  epochEvents: boolean;
  scheduleEvery: number;
  log: number;
  progressEvery: number;
  progress: boolean;
  seed: number;
}

export interface StartFitMessage {
  type: 'start-fit';
  network: AnyNetworkJSON;
  set: FitSample[];
  plan: WireFitPlan;
}

export interface ScheduleReply {
  type: 'schedule-reply';
  stop: boolean;
}

export type ToWorker = StartMessage | StartFitMessage | ScheduleReply;

export interface WireError {
  name: string;
  message: string;
  /** TrainingDivergedError's fields. */
  iteration?: number;
  restored?: boolean;
  detail?: string;
  /** InvalidOptionError's field. */
  option?: string;
}

export type FromWorker =
  | { type: 'progress'; progress: TrainingProgress }
  | { type: 'log'; iterations: number; error: number; rate: number }
  | { type: 'schedule'; data: ScheduleData }
  /** a gradient-path event (batch end, epoch end, schedule point), answered with a `schedule-reply` */
  | { type: 'fit-event'; event: FitEvent }
  | { type: 'done'; result: TrainResult; json: AnyNetworkJSON }
  /** `json`: the network rolled back to before a diverging iteration, to write back; null: write nothing. */
  | { type: 'error'; error: WireError; json: AnyNetworkJSON | null };

/** Rebuilds a function (or a portable network factory) from source text, as core's `PortableNetwork` specifies. */
export function evaluateSource(source: string): unknown {
  return new Function('return (' + source + ')')();
}

export function packSet(samples: readonly Sample[], inputSize: number, outputSize: number): WireSet {
  const inputs = new Float64Array(samples.length * inputSize);
  const outputs = new Float64Array(samples.length * outputSize);
  samples.forEach((sample, i) => {
    inputs.set(sample.input, i * inputSize);
    outputs.set(sample.output, i * outputSize);
  });
  return { size: samples.length, inputSize, outputSize, inputs, outputs };
}

/** The samples again, as plain arrays (what `train` gives a custom cost function). */
export function unpackSet(set: WireSet): Sample[] {
  const { size, inputSize, outputSize, inputs, outputs } = set;
  return Array.from({ length: size }, (_, i) => ({
    input: Array.from(inputs.subarray(i * inputSize, (i + 1) * inputSize)),
    output: Array.from(outputs.subarray(i * outputSize, (i + 1) * outputSize)),
  }));
}

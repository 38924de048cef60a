import type { RandomSource } from '@synaptic/core';
import type { CostFunction } from '../cost.js';
import {
  integerAtLeast,
  log,
  nonNegativeNumber,
  rate,
  schedule,
  taskCommonSchema,
  trainSchema,
  type ProgressOptions,
  type RandomOptions,
  type Rate,
  type Schedule,
  type ScheduleData,
  type Schema,
} from '../options.js';
import type { TrainResult } from '../loop.js';
import type { Sample } from '../training-set.js';

export interface TimingTaskOptions extends RandomOptions, ProgressOptions {
  iterations?: number;
  error?: number;
  rate?: Rate;
  /** 1.x's default: every 10 iterations; false or 0: never. */
  log?: number | boolean;
  cost?: CostFunction;
  schedule?: Schedule;
  trainSamples?: number;
  testSamples?: number;
}

export interface TimingTaskResult {
  train: TrainResult;
  test: { error: number; time: number };
}

export const timingSchema: Schema<TimingTaskOptions> = {
  ...taskCommonSchema,
  iterations: integerAtLeast(0),
  error: nonNegativeNumber,
  rate,
  log,
  cost: trainSchema.cost,
  schedule: schedule<ScheduleData>(),
  trainSamples: integerAtLeast(1),
  testSamples: integerAtLeast(1),
};

/**
 * 1.x's timing task series: a pulse on input 0 starts an interval whose length (0 to 20 steps,
 * as n/20) is on input 1; the output must be 0.5 during the interval and 0 elsewhere. Random
 * numbers are drawn in 1.x's order. The first `trainSize` steps train, the next `testSize` test
 * (1.x sized the test part with `trainSamples`).
 */
export function timingSamples(
  trainSize: number,
  testSize: number,
  random: RandomSource,
): { train: Sample[]; test: Sample[] } {
  const size = trainSize + testSize;
  const set: Sample[] = [];
  for (let i = 0; i < size; i++) set.push({ input: [0, 0], output: [0] });
  let t = 0;
  while (t < size - 20) {
    let n = Math.round(random() * 20);
    set[t].input[0] = 1;
    for (let j = t; j <= t + n; j++) {
      set[j].input[1] = n / 20;
      set[j].output[0] = 0.5;
    }
    t += n;
    n = Math.round(random() * 20);
    for (let k = t + 1; k <= t + n && k < size; k++) set[k].input[1] = set[t].input[1];
    t += n;
  }
  return { train: set.slice(0, trainSize), test: set.slice(trainSize) };
}

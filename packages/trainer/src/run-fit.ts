import type { BatchExecutor } from './fit-options.js';
import type { RandomSource } from '@synaptic/core';
import { defaultProgressEvery } from './cadence.js';
import { type FitEvent, type FitHooks, type FitResult, fitLoop, type GradientNetwork } from './fit.js';
import type { FitOptions } from './fit-options.js';
import type { FitSample } from './fit-set.js';
import { type FitPlan, fitSettings, isRateSchedule } from './fit-plan.js';
import type { Schedule, TrainOptions } from './options.js';
import { logIteration } from './train.js';

/** The callbacks of a gradient-path run, which stay on the caller's thread. */
export interface FitCallbacks {
  onEpochEnd: FitOptions['onEpochEnd'] | null;
  onBatchEnd: FitOptions['onBatchEnd'] | null;
  schedule: Schedule | null;
  onProgress: TrainOptions['onProgress'] | null;
  log: number;
  progressEvery: number;
}

export function fitCallbacks(o: Partial<TrainOptions>, epochs: number): FitCallbacks {
  const schedule = (o.schedule && !isRateSchedule(o.schedule) ? o.schedule : null) ?? o.customLog ?? null;
  const log = Number(o.log ?? 0);
  return {
    onEpochEnd: o.onEpochEnd ?? null,
    onBatchEnd: o.onBatchEnd ?? null,
    schedule,
    onProgress: o.onProgress ?? null,
    log,
    progressEvery: defaultProgressEvery(o.progressEvery, log, schedule?.every ?? 0, epochs),
  };
}

export function fitHooks(callbacks: FitCallbacks): Omit<FitHooks, 'log' | 'progress'> {
  return {
    batchEvents: callbacks.onBatchEnd !== null,
    epochEvents: callbacks.onEpochEnd !== null,
    scheduleEvery: callbacks.schedule?.every ?? 0,
    logEvery: callbacks.log,
    progressEvery: callbacks.progressEvery,
  };
}

/** Answers an event of the loop with the caller's callback: true stops training. */
export function answer(event: FitEvent, callbacks: FitCallbacks): boolean {
  switch (event.kind) {
    case 'batch':
      return Boolean(callbacks.onBatchEnd?.(event.data));
    case 'epoch':
      return Boolean(callbacks.onEpochEnd?.(event.data));
    case 'schedule':
      return Boolean(callbacks.schedule?.do(event.data));
  }
}

/** Runs the gradient path on this thread. */
export function runFit(
  network: GradientNetwork,
  samples: readonly FitSample[],
  plan: FitPlan,
  callbacks: FitCallbacks,
  random: RandomSource,
  batchExecutor: BatchExecutor | null = null,
): FitResult {
  const loop = fitLoop(
    network,
    samples,
    { ...fitSettings(plan, network, random), batchExecutor },
    {
      ...fitHooks(callbacks),
      log: logIteration,
      progress: callbacks.onProgress ?? null,
    },
  );
  let step = loop.next();
  while (!step.done) step = loop.next(answer(step.value, callbacks));
  return step.value;
}

import type { RandomSource } from '@synaptic/core';
import { cost as costs, type CostFunction } from './cost.js';
import { checkDropoutNetwork } from './dropout.js';
import { InvalidOptionError } from './errors.js';
import { checkFullBatch, type FitSettings, type GradientNetwork } from './fit.js';
import { FIT_KEYS, type FitOptions } from './fit-options.js';
import { checkFitSet, type FitSample } from './fit-set.js';
import { optimizerByName } from './optimizers/by-name.js';
import type { Optimizer } from './optimizers/optimizer.js';
import type { Rate, TrainOptions } from './options.js';
import { rateSchedule } from './rate.js';
import type { RateScheduleOptions } from './rate-schedule.js';
import type { TrainerDefaults } from './train.js';

/** Whether `train` takes the gradient path: any option 1.x did not have (but `epochs`), or a rate schedule. */
export function usesFit(options: Partial<TrainOptions>): boolean {
  if (FIT_KEYS.some((key) => options[key] !== undefined)) return true;
  return options.schedule !== undefined && isRateSchedule(options.schedule);
}

export function isRateSchedule(schedule: unknown): schedule is RateScheduleOptions {
  return schedule !== null && typeof schedule === 'object' && 'type' in schedule;
}

/** `epochs` and `iterations` are one thing: both may be given only if equal. */
export function resolveEpochs(options: Partial<TrainOptions>, fallback: number): number {
  const { epochs, iterations } = options;
  if (epochs !== undefined && iterations !== undefined && epochs !== iterations) {
    throw new InvalidOptionError('epochs', `and \`iterations\` are the same thing: got ${epochs} and ${iterations}`);
  }
  return epochs ?? iterations ?? fallback;
}

/** The plan's parts that can travel to a worker (everything but functions and the optimizer instance). */
export interface FitPlan {
  optimizer: Optimizer;
  rate: Rate;
  schedule: RateScheduleOptions | null;
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  cost: CostFunction;
  l1: number;
  l2: number;
  clip: FitSettings['clip'];
  dropout: number[] | null;
  /** the validation samples, already split off or checked */
  validation: FitSample[] | null;
  earlyStopping: FitSettings['earlyStopping'];
  metrics: FitSettings['metrics'];
  error: number | null;
  /** exact gradients through time (`network.bptt`), in chunks of `truncation` steps (null: whole episodes) */
  bptt: boolean;
  truncation: number | null;
}

/** Resolves the options of a gradient-path `train` call against the trainer's defaults and the network. */
export function planFit(
  defaults: TrainerDefaults,
  o: Partial<TrainOptions & FitOptions>,
  network: GradientNetwork,
  set: unknown,
  sizes: { inputs: number; outputs: number },
): { plan: FitPlan; samples: FitSample[] } {
  let samples = checkFitSet(set, sizes.inputs, sizes.outputs);
  let validation: FitSample[] | null = null;
  if (typeof o.validation === 'number') {
    const held = Math.round(o.validation * samples.length);
    if (held < 1 || held >= samples.length) {
      throw new InvalidOptionError(
        'validation',
        `of ${o.validation} holds out ${held} of ${samples.length} samples: both parts need at least one`,
      );
    }
    validation = samples.slice(samples.length - held);
    samples = samples.slice(0, samples.length - held);
  } else if (o.validation !== undefined) {
    validation = checkFitSet(o.validation, sizes.inputs, sizes.outputs, 'validation');
  }
  if (o.crossValidate) {
    throw new InvalidOptionError('crossValidate', "is 1.x's; with the gradient options, use `validation` instead");
  }
  const rate = o.rate ?? defaults.rate;
  const epochs = resolveEpochs(o, defaults.iterations);
  const optimizer = resolveOptimizer(o.optimizer, o.rate, defaults.rate);
  let dropout: number[] | null = null;
  if (o.dropout !== undefined) {
    const hidden = (network as { layers?: { hidden?: unknown } }).layers?.hidden;
    if (!Array.isArray(hidden)) {
      throw new InvalidOptionError('dropout', 'needs a layered network (a @synaptic/core Network built from layers)');
    }
    if (hidden.length === 0) throw new InvalidOptionError('dropout', 'needs hidden layers: this network has none');
    dropout = typeof o.dropout === 'number' ? new Array<number>(hidden.length).fill(o.dropout) : o.dropout.slice();
    checkDropoutNetwork(network, dropout);
    if (dropout.every((p) => p === 0)) dropout = null;
  }
  checkFullBatch(optimizer, dropout !== null, o.clip !== undefined);
  const bptt = o.bptt ?? false;
  if (o.truncation !== undefined && !bptt)
    throw new InvalidOptionError('truncation', 'cuts the episodes of `bptt: true`; add it, or leave truncation out');
  if (bptt) {
    if (typeof (network as { bptt?: unknown }).bptt !== 'function')
      throw new InvalidOptionError(
        'bptt',
        'needs a network with bptt(inputs, targets, options) (a @synaptic/core Network)',
      );
    if (dropout !== null)
      throw new InvalidOptionError(
        'bptt',
        'cannot be used with dropout: bptt runs the network itself, without the mask',
      );
    if (o.batchExecutor !== undefined)
      throw new InvalidOptionError('bptt', 'cannot be used with a batchExecutor: it runs samples one step each');
    if (typeof (optimizer as { outputGradient?: unknown }).outputGradient === 'function')
      throw new InvalidOptionError('bptt', `cannot be used with ${optimizer.name}: it sets its own output error`);
  }
  const plan: FitPlan = {
    optimizer,
    rate: typeof o.rate === 'number' || o.rate === undefined ? optimizer.rate : rate,
    schedule: isRateSchedule(o.schedule) ? o.schedule : null,
    epochs,
    batchSize: o.batchSize ?? 1,
    shuffle: o.shuffle ?? false,
    cost: o.cost ?? defaults.cost ?? costs.MSE,
    l1: o.l1 ?? 0,
    l2: o.l2 ?? 0,
    clip: o.clip ?? null,
    dropout,
    validation,
    earlyStopping: o.earlyStopping ?? null,
    metrics: o.metrics ?? [],
    error: o.error ?? null,
    bptt,
    truncation: o.truncation ?? null,
  };
  return { plan, samples };
}

function resolveOptimizer(option: FitOptions['optimizer'], rate: Rate | undefined, fallback: Rate): Optimizer {
  const numeric = typeof rate === 'number' ? rate : undefined;
  const fallbackRate = typeof fallback === 'number' ? fallback : 0.2;
  if (option === undefined) return optimizerByName('sgd', numeric, fallbackRate);
  if (typeof option === 'string') return optimizerByName(option, numeric, fallbackRate);
  if (numeric !== undefined) option.rate = numeric;
  return option;
}

/** The settings of the loop from a plan. */
export function fitSettings(plan: FitPlan, network: GradientNetwork, random: RandomSource): FitSettings {
  return {
    ...plan,
    rate: rateSchedule(plan.rate, plan.epochs),
    measure: measureFor(network, plan.cost),
    random,
  };
}

/**
 * What validation measures: the cost, except that on a softmax output `cost.CROSS_ENTROPY` means
 * the categorical −Σ t ln y, as in core's `backward`.
 */
export function measureFor(network: unknown, cost: CostFunction): CostFunction {
  const output = (network as { layers?: { output?: { layerFunction?: { name?: string } | null } | null } }).layers
    ?.output;
  if (cost === costs.CROSS_ENTROPY && output?.layerFunction?.name === 'SOFTMAX') {
    return (target, y) => {
      let sum = 0;
      for (let k = 0; k < y.length; k++) sum -= target[k] * Math.log(y[k] + 1e-15);
      return sum;
    };
  }
  return cost;
}

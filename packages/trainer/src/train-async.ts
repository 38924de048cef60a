import { InvalidArgumentError, type AnyNetworkJSON } from '@synaptic/core';
import { builtInCostName, type CostFunction } from './cost.js';
import {
  AbortError,
  InvalidOptionError,
  InvalidTrainingSetError,
  TrainingDivergedError,
  WorkerError,
} from './errors.js';
import type { TrainResult } from './loop.js';
import type { TrainableNetwork } from './network.js';
import type { Rate } from './options.js';
import type { TrainPlan } from './train.js';
import type { Sample } from './training-set.js';
import type { GradientNetwork } from './fit.js';
import type { FitPlan } from './fit-plan.js';
import type { FitSample } from './fit-set.js';
import { optimizerSpec } from './optimizers/by-name.js';
import type { TrainingProgress } from './options.js';
import { answer, type FitCallbacks, fitHooks } from './run-fit.js';
import { openWorker } from './worker-host.js';
import type {
  FromWorker,
  ToWorker,
  WireFitPlan,
  WireCost,
  WireError,
  WireFunction,
  WireNetwork,
  WirePlan,
  WireRate,
} from './worker-protocol.js';
import { packSet } from './worker-protocol.js';

export interface AsyncSettings {
  seed: number;
  signal: AbortSignal | undefined;
  workerUrl: URL | string | undefined;
}

/**
 * Trains in a worker: sends the network (its JSON, or its compiled executor's portable source),
 * the set and the plan; answers schedule points; calls `onProgress`; on success writes the
 * trained parameters into `network` with `loadParameters`. Everything is checked before the
 * worker starts; until it resolves the network is not touched (abort: not at all).
 */
export async function trainInWorker(
  network: TrainableNetwork,
  samples: Sample[],
  plan: TrainPlan,
  settings: AsyncSettings,
): Promise<TrainResult> {
  const wireNetwork = networkForWorker(network);
  const wirePlan: WirePlan = {
    rate: wireRate(plan.rate),
    iterations: plan.iterations,
    error: plan.error,
    shuffle: plan.shuffle,
    cost: wireCost(plan.cost),
    crossValidate: plan.crossValidate,
    log: plan.log,
    scheduleEvery: plan.schedule?.every ?? 0,
    progressEvery: plan.progressEvery,
    progress: plan.onProgress !== null,
    seed: settings.seed,
  };
  if (samples.some((sample) => sample.steps)) {
    throw new InvalidTrainingSetError(
      'set',
      "holds sequences: trainAsync runs them on the gradient path only (give an optimizer, e.g. optimizer: 'sgd'), or use train",
    );
  }
  const set = packSet(samples, network.inputs(), network.outputs());
  return talk(network, { type: 'start', network: wireNetwork, set, plan: wirePlan }, settings, {
    portable: wireNetwork.kind === 'portable',
    onProgress: plan.onProgress,
    answer: (message) => (message.type === 'schedule' ? Boolean(plan.schedule?.do(message.data)) : null),
  });
}

/**
 * `trainAsync` on the gradient path: the plan travels as data (the optimizer as its spec, with
 * fresh state; rate and cost functions as source text), the callbacks stay here and answer the
 * worker's events, and the worker runs the same loop as `train` from the same seed.
 */
export async function trainFitInWorker(
  network: GradientNetwork,
  samples: FitSample[],
  plan: FitPlan,
  callbacks: FitCallbacks,
  settings: AsyncSettings,
): Promise<TrainResult> {
  if (typeof network.toJSON !== 'function' || typeof network.loadParameters !== 'function') {
    throw new InvalidArgumentError(
      'trainAsync needs a network with toJSON() and loadParameters(json) to train it in a worker (a @synaptic/core Network has them)',
    );
  }
  const optimizer = optimizerSpec(plan.optimizer);
  if (!optimizer) {
    throw new InvalidOptionError(
      'optimizer',
      "cannot be sent to the worker of trainAsync: give one of this package's optimizers (or its name)",
    );
  }
  const hooks = fitHooks(callbacks);
  const wirePlan: WireFitPlan = {
    optimizer,
    rate: wireRate(plan.rate),
    schedule: plan.schedule,
    epochs: plan.epochs,
    batchSize: plan.batchSize,
    shuffle: plan.shuffle,
    cost: wireCost(plan.cost),
    l1: plan.l1,
    l2: plan.l2,
    clip: plan.clip,
    dropout: plan.dropout,
    validation: plan.validation,
    earlyStopping: plan.earlyStopping,
    metrics: plan.metrics.slice(),
    error: plan.error,
    bptt: plan.bptt,
    truncation: plan.truncation,
    batchEvents: hooks.batchEvents,
    epochEvents: hooks.epochEvents,
    scheduleEvery: hooks.scheduleEvery,
    log: hooks.logEvery,
    progressEvery: hooks.progressEvery,
    progress: callbacks.onProgress !== null,
    seed: settings.seed,
  };
  return talk(
    network,
    {
      type: 'start-fit',
      network: network.toJSON(),
      set: samples,
      plan: wirePlan,
    },
    settings,
    {
      portable: false,
      onProgress: callbacks.onProgress ?? null,
      answer: (message) => (message.type === 'fit-event' ? answer(message.event, callbacks) : null),
    },
  );
}

interface Conversation {
  portable: boolean;
  onProgress: ((progress: TrainingProgress) => void) | null | undefined;
  /** the reply to a message that waits for one (a schedule point or a fit event), null for others */
  answer(message: FromWorker): boolean | null;
}

/** Starts the worker, sends `start`, answers it until it is done, and writes the trained parameters back. */
async function talk(
  network: TrainableNetwork,
  start: ToWorker,
  settings: AsyncSettings,
  conversation: Conversation,
): Promise<TrainResult> {
  const load = (json: AnyNetworkJSON) => network.loadParameters!(json);
  const { signal } = settings;
  if (signal?.aborted) throw new AbortError(signal.reason);
  const port = await openWorker(settings.workerUrl);
  return new Promise<TrainResult>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      port.terminate();
      try {
        outcome();
      } catch (error) {
        reject(error); // loadParameters refused the trained JSON (the network changed shape meanwhile)
      }
    };
    const fail = (error: unknown) => settle(() => reject(error));
    const onAbort = () => fail(new AbortError(signal?.reason));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });

    const handle = (message: FromWorker) => {
      switch (message.type) {
        case 'progress':
          conversation.onProgress?.(message.progress);
          break;
        case 'log':
          console.log('iterations', message.iterations, 'error', message.error, 'rate', message.rate);
          break;
        case 'schedule':
        case 'fit-event': {
          const stop = Boolean(conversation.answer(message));
          if (!settled) port.post({ type: 'schedule-reply', stop });
          break;
        }
        case 'done':
          settle(() => {
            load(message.json);
            resolve(message.result);
          });
          break;
        case 'error':
          settle(() => {
            if (message.json) load(message.json);
            reject(reviveError(message.error, conversation.portable));
          });
          break;
      }
    };
    port.listen((message) => {
      if (settled) return;
      try {
        handle(message);
      } catch (error) {
        // a callback or loadParameters threw: stop the worker and report it
        fail(error);
      }
    }, fail);
    port.post(start);
  });
}

/** A compiled executor's portable source when there is one, else the network's JSON. */
function networkForWorker(network: TrainableNetwork): WireNetwork {
  if (typeof network.loadParameters !== 'function') {
    throw new InvalidArgumentError(
      'trainAsync needs a network with loadParameters(json) to write the trained weights back (a @synaptic/core Network has it)',
    );
  }
  const executor = typeof network.executor === 'function' ? network.executor() : null;
  const portable = executor && typeof executor.portable === 'function' ? executor.portable() : null;
  if (portable) {
    if (typeof portable.source !== 'string')
      throw new InvalidArgumentError("trainAsync: the executor's portable() must return { source: string }");
    return { kind: 'portable', source: portable.source, inputs: network.inputs(), outputs: network.outputs() };
  }
  if (typeof network.toJSON !== 'function') {
    throw new InvalidArgumentError(
      'trainAsync needs a network with toJSON() (or a compiled executor with portable()) to send it to the worker',
    );
  }
  const json = network.toJSON();
  refuseCustomSquash(json);
  return { kind: 'json', json };
}

/**
 * A custom squash function has no name in JSON (its `squash` is null): the worker would rebuild
 * the unit with LOGISTIC and train something else. Refused, as the compiled path refuses it.
 */
function refuseCustomSquash(json: AnyNetworkJSON): void {
  const units: unknown = 'units' in json ? json.units : 'neurons' in json ? json.neurons : null;
  if (!Array.isArray(units)) return;
  const unit = units.findIndex(
    (u) => u !== null && typeof u === 'object' && (u as { squash?: unknown }).squash === null,
  );
  if (unit !== -1)
    throw new InvalidArgumentError(
      `trainAsync: unit ${unit} has a custom squash function, which cannot travel to the worker (only LOGISTIC, TANH, IDENTITY, HLIM, RELU and SOFTMAX can): train it with train() on this thread`,
    );
}

function wireRate(rate: Rate): WireRate {
  if (typeof rate === 'number') return rate;
  if (typeof rate === 'function') return functionSource(rate, 'rate');
  return rate.slice();
}

function wireCost(cost: CostFunction): WireCost {
  const name = builtInCostName(cost);
  return name ? { name } : functionSource(cost, 'cost');
}

/**
 * A function for the worker, as source text. It must stand alone (no variables from around it):
 * only its text travels. Checked here by compiling it, so a method shorthand, a bound or a native
 * function fails before the worker starts.
 */
function functionSource(fn: (...args: never[]) => unknown, option: string): WireFunction {
  const source = Function.prototype.toString.call(fn);
  try {
    new Function('return (' + source + ')');
  } catch {
    throw new InvalidOptionError(
      option,
      'is a function that trainAsync cannot send to its worker: functions travel as source text, so write it as a self-contained arrow or function expression (no method shorthand, bound or native functions, or outside variables)',
    );
  }
  return { source };
}

function reviveError(wire: WireError, portable: boolean): Error {
  if (wire.name === 'TrainingDivergedError' && wire.iteration !== undefined && wire.detail !== undefined) {
    if (portable && wire.restored !== true) {
      return new TrainingDivergedError(
        wire.iteration,
        false,
        wire.detail,
        'nothing was written back: the network is as it was before trainAsync',
      );
    }
    return new TrainingDivergedError(wire.iteration, wire.restored === true, wire.detail);
  }
  if (wire.name === 'InvalidOptionError' && wire.option !== undefined) {
    const error = new InvalidOptionError(wire.option, '');
    error.message = wire.message;
    return error;
  }
  return new WorkerError(`training in the worker failed with ${wire.name}: ${wire.message}`);
}

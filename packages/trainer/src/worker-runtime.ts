import { mulberry32, type AnyNetworkJSON, type PortableRunner } from '@synaptic/core';
import { cost as costs, type CostFunction } from './cost.js';
import { InvalidOptionError, TrainingDivergedError } from './errors.js';
import { trainLoop } from './loop.js';
import type { TrainableNetwork } from './network.js';
import type { Rate, RateFunction, TrainingProgress } from './options.js';
import { loopSettings } from './train.js';
import { checkGradientNetwork, fitLoop } from './fit.js';
import { type FitPlan, fitSettings } from './fit-plan.js';
import { optimizerFromSpec } from './optimizers/by-name.js';
import {
  evaluateSource,
  type FromWorker,
  type StartFitMessage,
  type StartMessage,
  type ToWorker,
  type WireCost,
  type WireError,
  type WireRate,
  unpackSet,
} from './worker-protocol.js';

/** The worker's side of the channel to the caller. */
export interface WorkerEndpoint {
  post(message: FromWorker): void;
  /** The next message from the caller (a reply to a schedule point). */
  receive(): Promise<ToWorker>;
}

export type NetworkFromJSON = (json: AnyNetworkJSON) => TrainableNetwork & { toJSON(): AnyNetworkJSON };

interface Trainee {
  network: TrainableNetwork;
  toJSON(): AnyNetworkJSON;
}

/**
 * Runs one `trainAsync` job inside the worker: rebuilds the network (from its JSON, or by
 * evaluating the portable source of a compiled executor and training the runner it builds), runs
 * the same loop as `train`, and posts progress, log lines, schedule points (waiting for the
 * caller's answer) and finally the result with the trained network's JSON.
 */
export async function serveTraining(
  message: StartMessage,
  endpoint: WorkerEndpoint,
  fromJSON: NetworkFromJSON,
): Promise<void> {
  let trainee: Trainee | null = null;
  try {
    trainee = buildTrainee(message, fromJSON);
    const { plan } = message;
    const settings = loopSettings(
      { ...plan, rate: reviveRate(plan.rate), cost: reviveCost(plan.cost) },
      mulberry32(plan.seed),
    );
    const loop = trainLoop(trainee.network, unpackSet(message.set), settings, reportingHooks(plan, endpoint));
    const result = await drive(loop, endpoint, (data) => ({ type: 'schedule', data }));
    endpoint.post({ type: 'done', result, json: trainee.toJSON() });
  } catch (error) {
    const restored = error instanceof TrainingDivergedError && error.restored && trainee !== null;
    endpoint.post({ type: 'error', error: wireError(error), json: restored && trainee ? trainee.toJSON() : null });
  }
}

/** Runs one gradient-path `trainAsync` job: the same loop as `train`, events answered by the caller. */
export async function serveFit(
  message: StartFitMessage,
  endpoint: WorkerEndpoint,
  fromJSON: NetworkFromJSON,
): Promise<void> {
  let network: (TrainableNetwork & { toJSON(): AnyNetworkJSON }) | null = null;
  try {
    network = fromJSON(message.network);
    const gradientNetwork = checkGradientNetwork(network);
    const { plan } = message;
    const fitPlan: FitPlan = {
      ...plan,
      optimizer: optimizerFromSpec(plan.optimizer),
      rate: reviveRate(plan.rate),
      cost: reviveCost(plan.cost),
    };
    const loop = fitLoop(gradientNetwork, message.set, fitSettings(fitPlan, gradientNetwork, mulberry32(plan.seed)), {
      batchEvents: plan.batchEvents,
      epochEvents: plan.epochEvents,
      ...reportingHooks(plan, endpoint),
    });
    const result = await drive(loop, endpoint, (event) => ({ type: 'fit-event', event }));
    endpoint.post({ type: 'done', result, json: network.toJSON() });
  } catch (error) {
    const restored = error instanceof TrainingDivergedError && error.restored && network !== null;
    endpoint.post({ type: 'error', error: wireError(error), json: restored && network ? network.toJSON() : null });
  }
}

function buildTrainee(message: StartMessage, fromJSON: NetworkFromJSON): Trainee {
  const wire = message.network;
  if (wire.kind === 'json') {
    const network = fromJSON(wire.json);
    return { network, toJSON: () => network.toJSON() };
  }
  const factory = evaluateSource(wire.source);
  if (typeof factory !== 'function') throw new TypeError('the portable source did not evaluate to a function');
  const runner = factory() as PortableRunner;
  const { inputs, outputs } = wire;
  // with checkpoints (every runner @synaptic/compile writes), divergence rolls back to the start
  // of the iteration at fault and that is written back, as for an interpreted network
  const network: TrainableNetwork = {
    activate: (input) => runner.activate(input),
    propagate: (rate, target) => runner.propagate(rate, target),
    inputs: () => inputs,
    outputs: () => outputs,
  };
  if (typeof runner.checkpoint === 'function' && typeof runner.rollback === 'function') {
    network.checkpoint = () => runner.checkpoint!();
    network.rollback = (checkpoint) => runner.rollback!(checkpoint);
  }
  return { network, toJSON: () => runner.toJSON() };
}

function reviveRate(rate: WireRate): Rate {
  if (typeof rate === 'number' || Array.isArray(rate)) return rate;
  const fn = evaluateSource(rate.source);
  if (typeof fn !== 'function') throw new InvalidOptionError('rate', 'did not rebuild into a function in the worker');
  return fn as RateFunction;
}

function reviveCost(cost: WireCost): CostFunction {
  if ('name' in cost) return costs[cost.name];
  const fn = evaluateSource(cost.source);
  if (typeof fn !== 'function') throw new InvalidOptionError('cost', 'did not rebuild into a function in the worker');
  return fn as CostFunction;
}

function wireError(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const out: WireError = { name: error.name, message: error.message };
  if (error instanceof TrainingDivergedError) {
    out.iteration = error.iteration;
    out.restored = error.restored;
    out.detail = error.detail;
  }
  if (error instanceof InvalidOptionError) out.option = error.option;
  return out;
}

/** The hooks both loops share in a worker: log and progress lines go to the caller. */
function reportingHooks(
  plan: { scheduleEvery: number; log: number; progressEvery: number; progress: boolean },
  endpoint: WorkerEndpoint,
) {
  return {
    scheduleEvery: plan.scheduleEvery,
    logEvery: plan.log,
    log: (iterations: number, error: number, rate: number) => endpoint.post({ type: 'log', iterations, error, rate }),
    progressEvery: plan.progressEvery,
    progress: plan.progress ? (progress: TrainingProgress) => endpoint.post({ type: 'progress', progress }) : null,
  };
}

/** Runs a loop to its end, sending each event it yields to the caller and answering it with the reply. */
async function drive<E, R>(
  loop: Generator<E, R, boolean>,
  endpoint: WorkerEndpoint,
  message: (event: E) => FromWorker,
): Promise<R> {
  let step = loop.next();
  while (!step.done) {
    endpoint.post(message(step.value));
    const reply = await endpoint.receive();
    step = loop.next(reply.type === 'schedule-reply' && reply.stop);
  }
  return step.value;
}

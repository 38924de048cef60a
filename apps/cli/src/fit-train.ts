import { Worker } from 'node:worker_threads';
import { type AnyNetworkJSON, cost as costs, type Network } from '@synaptic/core';
import {
  type BatchEnd,
  type CostName,
  type EpochEntry,
  type RateScheduleOptions,
  type TrainOptions,
  type TrainResult,
  optimizerByName,
} from '@synaptic/trainer';
import { BadInputError, CliError, EXIT, InterruptedError } from './errors.js';
import { interruption } from './interrupt.js';
import { formatCount, formatError, type Progress } from './progress.js';
import { type PackedSamples, packedBuffers, packSamples, type VectorSample } from './packed-samples.js';
import type { LoopResult } from './train-loop.js';

/** The gradient path's settings, from the pinned flags; plain data, so they travel to the worker. */
export interface FitSettings {
  optimizer: string;
  /** the optimizer's rate; undefined: its own default (Adam's 0.001) */
  rate?: number;
  batchSize: number;
  epochs: number;
  cost: CostName;
  l2: number;
  dropout: number;
  validation: number;
  /** 0: no early stopping */
  earlyStop: number;
  schedule: RateScheduleOptions | null;
  shuffle: boolean;
  seed: number;
  /** Stop once an epoch's loss is at most this (0: run every epoch). */
  errorGoal: number;
  /** compileBatch's arithmetic for the mini-batches (`--precision`) */
  precision: Precision;
}

/** `--precision`: compileBatch's arithmetic. */
export type Precision = 'f64' | 'f32';

export interface FitRequest {
  network: AnyNetworkJSON;
  /** moved to the worker, not copied (see packed-samples.ts) */
  samples: PackedSamples;
  settings: FitSettings;
  compile: boolean;
}

export type FitWorkerMessage =
  | { type: 'batch'; batch: BatchEnd }
  | { type: 'epoch'; entry: EpochEntry }
  | { type: 'done'; result: TrainResult; json: AnyNetworkJSON }
  | {
      type: 'failed';
      message: string;
      stack?: string;
      diverged: { iteration: number; detail: string } | null;
      badInput: boolean;
    };

export interface FitLoopResult extends LoopResult {
  history: EpochEntry[];
  /** the training loss along the run: the mean of each run of batches, about 60 points */
  curve: number[];
  bestEpoch?: number;
}

/** The options of `Trainer.train` from the flags (the callbacks are added where it runs). */
export function fitOptions(settings: FitSettings): TrainOptions {
  return {
    optimizer: optimizerByName(settings.optimizer, settings.rate, settings.rate ?? 0.01, '--optimizer'),
    cost: costs[settings.cost],
    batchSize: settings.batchSize,
    epochs: settings.epochs,
    shuffle: settings.shuffle,
    seed: settings.seed,
    metrics: ['accuracy'],
    ...(settings.l2 > 0 ? { l2: settings.l2 } : {}),
    ...(settings.dropout > 0 ? { dropout: settings.dropout } : {}),
    ...(settings.validation > 0 ? { validation: settings.validation } : {}),
    ...(settings.earlyStop > 0 ? { earlyStopping: { patience: settings.earlyStop, restoreBest: true } } : {}),
    ...(settings.schedule ? { schedule: settings.schedule } : {}),
    ...(settings.errorGoal > 0 ? { error: settings.errorGoal } : {}),
  };
}

/**
 * Trains on the gradient path (the optimizer, mini-batches, l2, dropout, validation, early
 * stopping and schedules are the trainer's) in a worker thread (fit-worker.js), compiled unless
 * `compile` is false (dropout needs the interpreter). The progress bar moves after every batch;
 * Ctrl-C terminates the worker and leaves the network as it was. On success the trained weights
 * are loaded into `network`.
 */
export async function fitEpochs(
  network: Network,
  samples: readonly VectorSample[],
  settings: FitSettings,
  compile: boolean,
  progress: Progress,
  interruptedNote: string,
): Promise<FitLoopResult> {
  fitOptions(settings); // bad settings fail here, before the worker starts
  const held = settings.validation > 0 ? Math.round(settings.validation * samples.length) : 0;
  const trained = samples.length - held;
  if (settings.validation > 0 && (held < 1 || trained < 1)) {
    throw new BadInputError(
      `--validation ${settings.validation} leaves no samples on one side of ${formatCount(samples.length)}`,
    );
  }
  const total = settings.epochs * trained;
  const start = performance.now();
  let done = 0;
  let epochLoss = 0;
  let epochSamples = 0;
  const speed = (): number => done / Math.max(1e-9, (performance.now() - start) / 1000);
  const batchesPerPoint = Math.max(1, Math.floor((settings.epochs * Math.ceil(trained / settings.batchSize)) / 60));
  const curve: number[] = [];
  let pointLoss = 0;
  let pointBatches = 0;
  const request: FitRequest = { network: network.toJSON(), samples: packSamples(samples), settings, compile };
  progress.start(total, { label: `epoch 1/${settings.epochs}`, error: Number.NaN, speed: 0 });
  const outcome = await new Promise<{ result: TrainResult; json: AnyNetworkJSON }>((resolve, reject) => {
    const worker = new Worker(new URL('./fit-worker.js', import.meta.url), {
      workerData: request,
      transferList: packedBuffers(request.samples),
    });
    let settled = false;
    const finish = (action: () => void): void => {
      if (settled) return;
      settled = true;
      interruption.removeEventListener('abort', onAbort);
      void worker.terminate();
      action();
    };
    const onAbort = (): void =>
      finish(() =>
        reject(new InterruptedError(`interrupted: training stopped, nothing was saved (${interruptedNote})`)),
      );
    if (interruption.aborted) return onAbort();
    interruption.addEventListener('abort', onAbort);
    worker.on('message', (message: FitWorkerMessage) => {
      switch (message.type) {
        case 'batch': {
          const { batch } = message;
          const size = Math.min(settings.batchSize, trained - (batch.batch - 1) * settings.batchSize);
          done += size;
          epochLoss += batch.loss * size;
          epochSamples += size;
          pointLoss += batch.loss;
          if (++pointBatches === batchesPerPoint) {
            curve.push(pointLoss / pointBatches);
            pointLoss = 0;
            pointBatches = 0;
          }
          progress.update(done, {
            label: `epoch ${batch.epoch}/${settings.epochs}`,
            error: epochLoss / epochSamples,
            speed: speed(),
          });
          break;
        }
        case 'epoch': {
          const { entry } = message;
          epochLoss = 0;
          epochSamples = 0;
          const validation =
            entry.validationLoss !== undefined
              ? `, validation ${formatError(entry.validationLoss)} (${(100 * (entry.validationMetrics?.accuracy ?? 0)).toFixed(2)}%)`
              : '';
          progress.note(
            `epoch ${entry.epoch}/${settings.epochs}: loss ${formatError(entry.loss)}${validation}, rate ${entry.rate.toPrecision(3)}, ${formatCount(speed())} samples/s`,
            entry.epoch === settings.epochs || settings.epochs <= 20,
          );
          break;
        }
        case 'done':
          finish(() => resolve({ result: message.result, json: message.json }));
          break;
        case 'failed':
          finish(() =>
            reject(
              message.diverged
                ? new CliError(
                    `training diverged in epoch ${message.diverged.iteration}: ${message.diverged.detail}; nothing was saved (try a lower --rate)`,
                    EXIT.FAILURE,
                  )
                : Object.assign(
                    new CliError(
                      `training failed: ${message.message}`,
                      message.badInput ? EXIT.BAD_INPUT : EXIT.FAILURE,
                    ),
                    { stack: message.stack },
                  ),
            ),
          );
          break;
      }
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) =>
      finish(() =>
        reject(new CliError(`the training worker stopped (exit code ${code}) before it finished`, EXIT.FAILURE)),
      ),
    );
  }).finally(() => progress.stop());
  network.loadParameters(outcome.json);
  const seconds = (performance.now() - start) / 1000;
  const history = outcome.result.history ?? [];
  return {
    epochs: outcome.result.iterations,
    error: history.length ? history[history.length - 1].loss : Number.NaN,
    samples: done,
    seconds,
    samplesPerSecond: done / Math.max(1e-9, seconds),
    reachedGoal: outcome.result.stopped === 'error',
    history,
    curve: pointBatches > 0 ? [...curve, pointLoss / pointBatches] : curve,
    bestEpoch: outcome.result.bestEpoch,
  };
}

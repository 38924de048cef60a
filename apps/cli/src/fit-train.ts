import type { Network } from '@synaptic/core';
import {
  AbortError,
  type CostFunction,
  type EpochEntry,
  optimizerByName,
  type RateScheduleOptions,
  Trainer,
  TrainingDivergedError,
} from '@synaptic/trainer';
import { BadInputError, CliError, EXIT, InterruptedError } from './errors.js';
import { interruption } from './interrupt.js';
import type { LoopResult } from './train-loop.js';
import { formatCount, formatError, type Progress } from './progress.js';

/** A sample whose vectors may be typed arrays (full MNIST's pixels are Float32Array views of one buffer). */
export interface VectorSample {
  input: ArrayLike<number>;
  output: ArrayLike<number>;
}

/** The gradient path's settings, from the pinned flags. */
export interface FitSettings {
  optimizer: string;
  /** the optimizer's rate; undefined: its own default (Adam's 0.001) */
  rate?: number;
  batchSize: number;
  epochs: number;
  cost: CostFunction;
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
}

export interface FitLoopResult extends LoopResult {
  history: EpochEntry[];
  bestEpoch?: number;
}

/**
 * Trains with `Trainer.trainAsync` on the gradient path (the optimizer, mini-batches, the
 * penalties, dropout, validation and early stopping are the trainer's), in its worker thread, so
 * that this thread keeps the progress bar moving and notices Ctrl-C (the worker is stopped and the
 * network left as it was). The bar moves after every batch.
 */
export async function fitEpochs(
  network: Network,
  samples: readonly VectorSample[],
  settings: FitSettings,
  progress: Progress,
  interruptedNote: string,
): Promise<FitLoopResult> {
  const trainer = new Trainer(network);
  let optimizer: ReturnType<typeof optimizerByName>;
  try {
    optimizer = optimizerByName(settings.optimizer, settings.rate, settings.rate ?? 0.01, '--optimizer');
  } catch (error) {
    throw new BadInputError(
      `--optimizer ${settings.optimizer}: ${(error as Error).message.replace(/^option `--optimizer` /, '')}`,
    );
  }
  const held = settings.validation > 0 ? Math.round(settings.validation * samples.length) : 0;
  const trained = samples.length - held;
  const total = settings.epochs * trained;
  const start = performance.now();
  let done = 0;
  const speed = (): number => done / Math.max(1e-9, (performance.now() - start) / 1000);
  progress.start(total, { label: `epoch 1/${settings.epochs}`, error: Number.NaN, speed: 0 });
  let epochLoss = 0;
  let epochSamples = 0;
  try {
    const result = await trainer.trainAsync(samples, {
      optimizer,
      cost: settings.cost,
      batchSize: settings.batchSize,
      epochs: settings.epochs,
      shuffle: settings.shuffle,
      seed: settings.seed,
      ...(settings.l2 > 0 ? { l2: settings.l2 } : {}),
      ...(settings.dropout > 0 ? { dropout: settings.dropout } : {}),
      ...(held > 0 ? { validation: settings.validation } : {}),
      ...(settings.earlyStop > 0 ? { earlyStopping: { patience: settings.earlyStop, restoreBest: true } } : {}),
      ...(settings.schedule ? { schedule: settings.schedule } : {}),
      ...(settings.errorGoal > 0 ? { error: settings.errorGoal } : {}),
      metrics: ['accuracy'],
      signal: interruption,
      onBatchEnd: (batch) => {
        const size = Math.min(settings.batchSize, trained - (batch.batch - 1) * settings.batchSize);
        done += size;
        epochLoss += batch.loss * size;
        epochSamples += size;
        progress.update(done, {
          label: `epoch ${batch.epoch}/${settings.epochs}`,
          error: epochLoss / epochSamples,
          speed: speed(),
        });
      },
      onEpochEnd: (entry) => {
        epochLoss = 0;
        epochSamples = 0;
        const validation =
          entry.validationLoss !== undefined
            ? `, validation ${formatError(entry.validationLoss)} (${(100 * (entry.validationMetrics?.accuracy ?? 0)).toFixed(2)}%)`
            : '';
        progress.note(
          `epoch ${entry.epoch}/${settings.epochs}: loss ${formatError(entry.loss)}${validation}, rate ${entry.rate.toPrecision(3)}, ${formatCount(speed())} samples/s`,
          true,
        );
      },
    });
    if (done < total) progress.setTotal(done);
    progress.update(done, { speed: speed() });
    const seconds = (performance.now() - start) / 1000;
    const history = result.history ?? [];
    return {
      epochs: result.iterations,
      error: history.length ? history[history.length - 1].loss : Number.NaN,
      samples: done,
      seconds,
      samplesPerSecond: done / Math.max(1e-9, seconds),
      reachedGoal: result.stopped === 'error',
      history,
      bestEpoch: result.bestEpoch,
    };
  } catch (error) {
    if (error instanceof AbortError) {
      throw new InterruptedError(`interrupted: training stopped, nothing was saved (${interruptedNote})`);
    }
    if (error instanceof TrainingDivergedError) {
      throw new CliError(
        `training diverged in epoch ${error.iteration}: ${error.detail}; nothing was saved (try a lower --rate)`,
        EXIT.FAILURE,
        {
          cause: error,
        },
      );
    }
    throw error;
  } finally {
    progress.stop();
  }
}

import type { Network } from '@synaptic/core';
import { type CostFunction, type OptimizerName, Trainer, type TrainingSample } from '@synaptic/trainer';
import { measureFor } from './training.js';

/** What a page trains: a network, its training set and (optionally) a held-out set. */
export interface Job {
  network: Network;
  train: TrainingSample[];
  validation: TrainingSample[] | null;
  rate: number;
  cost: CostFunction;
  /**
   * An optimizer by name (`trainAsync`'s `optimizer`: the gradient path); null or absent for 1.x's
   * path (`propagate`), unless `batchSize` is above 1 (then plain SGD on the gradient path).
   */
  optimizer?: OptimizerName | null;
  /** Samples per step (the gradient path); 1 or absent: one sample a step. */
  batchSize?: number;
  shuffle: boolean;
  seed: number;
  /** Iterations (passes over `train`) per call of `trainAsync`; the views are redrawn between calls. */
  chunk: number;
  /** Training stops after this many iterations. */
  iterations: number;
}

export interface LossPoint {
  iterations: number;
  /** The training error `trainAsync` reported (the cost averaged over the set during the pass). */
  train: number;
  /** The error on the held-out set, measured after a chunk; null between chunks. */
  validation: number | null;
}

export interface SessionListener {
  onLoss(point: LossPoint): void;
  /** After every chunk: the network holds the trained weights, redraw what depends on them. */
  onChunk(iterations: number): void;
  onState(state: SessionState, detail?: string): void;
}

export type SessionState = 'idle' | 'training' | 'paused' | 'done' | 'failed';

/** The options that move `trainAsync` onto the gradient path; none keeps 1.x's algorithm, bit for bit. */
export function gradientOptions(job: Job): { optimizer?: OptimizerName; batchSize?: number } {
  const options: { optimizer?: OptimizerName; batchSize?: number } = {};
  if (job.optimizer) options.optimizer = job.optimizer;
  if (job.batchSize !== undefined && job.batchSize > 1) options.batchSize = job.batchSize;
  return options;
}

/**
 * Trains a job in the trainer's Web Worker, a chunk at a time: each chunk is one call of
 * `Trainer.trainAsync` (the worker trains, reports progress, and writes the weights back), so
 * the page can show the network between chunks while the main thread stays free.
 */
export class TrainingSession {
  state: SessionState = 'idle';
  iterations = 0;
  readonly losses: LossPoint[] = [];
  /** How many `trainAsync` calls ran (each in its own worker). */
  workerRuns = 0;
  private abort: AbortController | null = null;
  private readonly trainer: Trainer;

  constructor(
    readonly job: Job,
    private readonly listener: SessionListener,
  ) {
    this.trainer = new Trainer(job.network, { cost: job.cost });
  }

  /** Starts or resumes training; resolves when it stops (done, paused or failed). */
  async start(): Promise<void> {
    if (this.state === 'training' || this.state === 'done') return;
    const { job } = this;
    const abort = new AbortController();
    this.abort = abort;
    this.setState('training');
    try {
      while (this.iterations < job.iterations && !abort.signal.aborted) {
        const iterations = Math.min(job.chunk, job.iterations - this.iterations);
        const before = this.iterations;
        this.workerRuns++;
        await this.trainer.trainAsync(job.train, {
          ...gradientOptions(job),
          iterations,
          rate: job.rate,
          error: 0,
          shuffle: job.shuffle,
          seed: job.seed + this.workerRuns,
          cost: job.cost,
          signal: abort.signal,
          progressEvery: Math.max(1, Math.floor(iterations / 4)),
          onProgress: (progress) => {
            const point = { iterations: before + progress.iterations, train: progress.error, validation: null };
            this.losses.push(point);
            this.listener.onLoss(point);
          },
        });
        this.iterations = before + iterations;
        if (job.validation) {
          const error = this.trainer.test(job.validation, { cost: measureFor(job.network, job.cost) }).error;
          const last = this.losses[this.losses.length - 1];
          const point = { iterations: this.iterations, train: last?.train ?? error, validation: error };
          this.losses.push(point);
          this.listener.onLoss(point);
        }
        this.listener.onChunk(this.iterations);
      }
      this.setState(this.iterations >= job.iterations ? 'done' : 'paused');
    } catch (error) {
      if (abort.signal.aborted) this.setState('paused');
      else this.setState('failed', error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    } finally {
      if (this.abort === abort) this.abort = null;
    }
  }

  /** Stops after aborting the running chunk (its weights are not written back). */
  pause(): void {
    this.abort?.abort(new Error('paused'));
  }

  private setState(state: SessionState, detail?: string): void {
    this.state = state;
    this.listener.onState(state, detail);
  }
}

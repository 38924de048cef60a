import { mulberry32, type Network } from '@synaptic/core';
import { Trainer, TrainingDivergedError, type CostFunction } from '@synaptic/trainer';
import type { Sample } from './data.js';
import { CliError, EXIT } from './errors.js';
import { checkInterrupted, yieldToEventLoop } from './interrupt.js';
import { formatCount, formatError, type Progress } from './progress.js';

export interface LoopOptions {
  network: Network;
  samples: Sample[];
  epochs: number;
  /** One rate, or rates spread evenly over the epochs (1.x's buckets: 2 rates over 4 epochs switch after epoch 2). */
  rates: number[];
  cost: CostFunction;
  /** Samples per `Trainer.train` call: how often progress is shown and Ctrl-C is noticed. */
  batch: number;
  shuffle: boolean;
  seed: number;
  /** Stop after an epoch whose mean error is at or below this (0: run every epoch). */
  errorGoal: number;
  progress: Progress;
  /** What an interruption message says was left alone, e.g. `model.json is unchanged`. */
  interruptedNote: string;
}

export interface LoopResult {
  epochs: number;
  /** Mean error (cost) over the last epoch's samples, measured while training. */
  error: number;
  samples: number;
  seconds: number;
  samplesPerSecond: number;
  reachedGoal: boolean;
}

/** The rate of epoch `epoch` (0-based) of `epochs`. */
export function rateFor(rates: readonly number[], epoch: number, epochs: number): number {
  return rates[Math.min(rates.length - 1, Math.floor((epoch * rates.length) / epochs))];
}

function shuffleInPlace<T>(list: T[], random: () => number): void {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = list[i];
    list[i] = list[j];
    list[j] = t;
  }
}

/** Milliseconds of training between two looks at the event loop (signals, the bar's redraws). */
const YIELD_EVERY_MS = 50;

/**
 * Online SGD, synaptic 1.x's way (`activate` then `propagate` on every sample), through
 * `Trainer.train` from @synaptic/trainer: each epoch the samples are shuffled (seeded) and fed in
 * slices of `batch` samples, one `train(slice, { iterations: 1 })` call each. Feeding the same
 * order in slices gives exactly the weights of one long pass, and between slices the progress bar
 * moves and Ctrl-C is noticed. The trainer checks every slice and stops on NaN/Infinity.
 */
export async function trainEpochs(o: LoopOptions): Promise<LoopResult> {
  const trainer = new Trainer(o.network);
  const random = mulberry32((o.seed ^ 0x9e3779b9) >>> 0);
  const order = o.samples.slice();
  const n = order.length;
  const total = o.epochs * n;
  const start = performance.now();
  let lastYield = start;
  let done = 0;
  let epochs = 0;
  let error = NaN;
  let reachedGoal = false;
  const speed = (): number => done / Math.max(1e-9, (performance.now() - start) / 1000);

  o.progress.start(total, { label: `epoch 1/${o.epochs}`, error: NaN, speed: 0 });
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      if (o.shuffle) shuffleInPlace(order, random);
      const rate = rateFor(o.rates, epoch, o.epochs);
      const label = `epoch ${epoch + 1}/${o.epochs}`;
      let sum = 0;
      for (let s = 0; s < n; s += o.batch) {
        const slice = order.slice(s, s + o.batch);
        let result: ReturnType<typeof trainer.train>;
        try {
          result = trainer.train(slice, { iterations: 1, rate, cost: o.cost, error: 0, shuffle: false, log: false });
        } catch (error) {
          if (error instanceof TrainingDivergedError) {
            throw new CliError(
              `training diverged in epoch ${epoch + 1} (samples ${s + 1} to ${s + slice.length} of its order): ${error.detail}; nothing was saved (try a lower --rate)`,
              EXIT.FAILURE,
              { cause: error },
            );
          }
          throw error;
        }
        sum += result.error * slice.length;
        done += slice.length;
        o.progress.update(done, { label, error: sum / Math.min(n, s + slice.length), speed: speed() });
        if (performance.now() - lastYield >= YIELD_EVERY_MS) {
          await yieldToEventLoop();
          lastYield = performance.now();
          checkInterrupted(
            `interrupted in epoch ${epoch + 1} of ${o.epochs}: training stopped, nothing was saved (${o.interruptedNote})`,
          );
        }
      }
      epochs = epoch + 1;
      error = sum / n;
      reachedGoal = error <= o.errorGoal;
      o.progress.note(
        `${label}: error ${formatError(error)}, rate ${rate}, ${formatCount(speed())} samples/s`,
        reachedGoal || epochs === o.epochs,
      );
      if (reachedGoal) break;
    }
    await yieldToEventLoop();
    checkInterrupted(`interrupted: training stopped, nothing was saved (${o.interruptedNote})`);
    if (done < total) o.progress.setTotal(done);
    o.progress.update(done, { speed: speed() });
  } finally {
    o.progress.stop();
  }
  const seconds = (performance.now() - start) / 1000;
  return { epochs, error, samples: done, seconds, samplesPerSecond: done / Math.max(1e-9, seconds), reachedGoal };
}

/**
 * Long training runs that leave the test's event loop free: the run is cut into slices, each a
 * synchronous call of a task, with `await setImmediate` between them, so vitest's worker can
 * answer its RPC calls (it gives up on one after about 60 s of a blocked loop).
 *
 * A sliced run is the same run as one call: every slice draws from one shared random stream,
 * and the rate of global iteration i is what `rate` (an array, split into buckets as `rateSchedule`
 * splits it over the whole run) gives for i, whatever slice it falls in.
 */
import { mulberry32 } from '@synaptic/core';
import type { ERGOptions, Trainer } from '@synaptic/trainer';

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface SlicedERG extends Omit<ERGOptions, 'rate' | 'iterations' | 'random' | 'seed'> {
  iterations: number;
  /** Constant or 1.x-style buckets over the whole run. */
  rate: number | readonly number[];
  seed: number;
  /** Iterations per synchronous slice. */
  slice: number;
}

/** `trainer.ERG({ ...options })` in slices; returns the number of strings trained on. */
export async function ergInSlices(trainer: Trainer, options: SlicedERG): Promise<number> {
  const { iterations, rate, seed, slice, ...rest } = options;
  const random = mulberry32(seed);
  const rates = typeof rate === 'number' ? [rate] : rate.slice();
  const bucket = Math.max(1, Math.floor(iterations / rates.length));
  let done = 0;
  while (done < iterations) {
    const offset = done;
    const count = Math.min(slice, iterations - done);
    const result = trainer.ERG({
      ...rest,
      iterations: count,
      random,
      rate: (i: number) => rates[Math.min(rates.length - 1, Math.floor((offset + i) / bucket))],
    });
    done += result.iterations;
    if (result.iterations < count) break; // stopped early (error criterion or schedule)
    await yieldToEventLoop();
  }
  return done;
}

import { checkRateValue, type Rate } from './options.js';

/** The rate of each iteration (1-based), given the error of the one before (0 before the first). */
export type RateSchedule = (iteration: number, lastError: number) => number;

/**
 * Resolves a `rate` option as 1.x did:
 * - a number is used throughout;
 * - an array is split into `floor(iterations / length)`-iteration buckets, and iteration i uses
 *   bucket `floor(i / size)`, the last rate once past the end (so with 2000 iterations and
 *   [0.01, 0.005], iterations 1-999 use 0.01 and 1000-2000 use 0.005, as in 1.x's tests).
 *   1.x propagated the array itself when there were fewer iterations than rates, and skipped
 *   rates of 0; here buckets are at least one iteration long and 0 is a rate like any other;
 * - a function is called every iteration with `(iteration, lastError)`; what it returns must be
 *   a finite number >= 0.
 */
export function rateSchedule(rate: Rate, iterations: number, option = 'rate'): RateSchedule {
  if (typeof rate === 'number') return () => rate;
  if (typeof rate === 'function') {
    return (iteration, lastError) =>
      checkRateValue(rate(iteration, lastError), option, ` (the rate function returned it for iteration ${iteration})`);
  }
  const rates = rate.slice();
  const bucket = Math.max(1, Math.floor(iterations / rates.length));
  return (iteration) => rates[Math.min(rates.length - 1, Math.floor(iteration / bucket))];
}

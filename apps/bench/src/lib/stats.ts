/** Small statistics and timing helpers shared by the workers. */
import { performance } from 'node:perf_hooks';

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Milliseconds taken by `fn` (awaited when it returns a promise). */
export async function timeMs(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/**
 * Repeats a measurement (at least once, at most `maxRuns` times) while the wall-clock time since
 * the first run started is under `budgetMs`, and returns each run's own milliseconds: fast
 * systems get a median of several runs, slow ones (or ones slow to set up) are measured once.
 */
export async function repeatWithin(
  measure: () => Promise<number>,
  budgetMs: number,
  maxRuns: number,
): Promise<number[]> {
  const runs: number[] = [];
  const started = performance.now();
  do {
    runs.push(await measure());
  } while (runs.length < maxRuns && performance.now() - started < budgetMs);
  return runs;
}

/** Items per second. */
export function perSecond(count: number, ms: number): number {
  return ms > 0 ? (count * 1000) / ms : Number.NaN;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** The sample standard deviation (n − 1 in the denominator); 0 for one value, NaN for none. */
export function standardDeviation(values: readonly number[]): number {
  if (values.length < 2) return values.length === 1 ? 0 : Number.NaN;
  const m = mean(values);
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1));
}

/**
 * When the per-iteration hooks fire: `schedule.do` every `schedule.every` iterations, the console
 * log every `log` iterations, `onProgress` every `progressEvery` iterations and once more after
 * the last iteration if that one was not reported. 1.x skipped the log on iterations where the
 * schedule ran; here they are independent.
 */
export interface Cadence {
  scheduleEvery: number;
  log: number;
  progressEvery: number;
}

/** `progressEvery` when given, else `log` when it is on, else `schedule.every`, else about 1% of the run. */
export function defaultProgressEvery(
  progressEvery: number | undefined,
  log: number,
  scheduleEvery: number,
  iterations: number,
): number {
  if (progressEvery !== undefined) return progressEvery;
  if (log > 0) return log;
  if (scheduleEvery > 0) return scheduleEvery;
  return Math.max(1, Math.floor(iterations / 100));
}

export const fires = (every: number, iteration: number): boolean => every > 0 && iteration % every === 0;

/**
 * What measuring one system in a child process gave: a sample, or why there is none. Used by
 * the MNIST, LSTM and COMPILE suites (SIZE keeps its own, older shape).
 */
import { runTsWorker, type WorkerRun } from './child.js';

export type Outcome<T> =
  | { status: 'ok'; sample: T }
  /** Not run on purpose (e.g. a quick run). */
  | { status: 'skipped'; reason: string }
  /** The peer's package could not be installed or loaded: "could not install: <reason>". */
  | { status: 'unavailable'; reason: string }
  | { status: 'timeout'; afterMs: number }
  | { status: 'error'; message: string };

/** What a worker prints instead of a sample when its peer cannot be loaded. */
export interface UnavailableLine {
  unavailable: string;
}

function isUnavailableLine(value: unknown): value is UnavailableLine {
  return (
    value !== null && typeof value === 'object' && typeof (value as { unavailable?: unknown }).unavailable === 'string'
  );
}

/** Runs a worker and checks its JSON with `isSample`. Never rejects. */
export async function runWorker<T>(run: WorkerRun, isSample: (value: unknown) => value is T): Promise<Outcome<T>> {
  const outcome = await runTsWorker(run);
  switch (outcome.kind) {
    case 'timeout':
      return { status: 'timeout', afterMs: outcome.afterMs };
    case 'error':
      return { status: 'error', message: outcome.message };
    case 'ok':
      if (isUnavailableLine(outcome.result)) return { status: 'unavailable', reason: outcome.result.unavailable };
      if (!isSample(outcome.result))
        return { status: 'error', message: `unexpected worker output ${JSON.stringify(outcome.result).slice(0, 300)}` };
      return { status: 'ok', sample: outcome.result };
  }
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return Number.isInteger(seconds) ? String(seconds) : seconds.toFixed(1);
}

/** Table text for an outcome without a sample. */
export function notMeasuredText(outcome: Exclude<Outcome<unknown>, { status: 'ok' }>): string {
  switch (outcome.status) {
    case 'skipped':
      return outcome.reason;
    case 'unavailable':
      return outcome.reason;
    case 'timeout':
      return `timed out after ${formatSeconds(outcome.afterMs)} s`;
    case 'error':
      return `failed: ${outcome.message.split('\n')[0]}`;
  }
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** True when `value` is an object whose `keys` are all finite numbers. */
export function hasFiniteNumbers(value: unknown, keys: readonly string[]): boolean {
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return keys.every((k) => isFiniteNumber(record[k]));
}

/**
 * The best of several measurements of the same thing (separate processes, interleaved with the
 * other systems): on a shared machine noise only slows a system down, so the sample with the
 * highest `score` is the least disturbed. Without any sample, the last outcome says why.
 */
export function bestOutcome<T>(outcomes: readonly Outcome<T>[], score: (sample: T) => number): Outcome<T> {
  let best: Outcome<T> | undefined;
  for (const o of outcomes) {
    if (o.status !== 'ok') continue;
    if (best === undefined || best.status !== 'ok' || score(o.sample) > score(best.sample)) best = o;
  }
  const last = outcomes[outcomes.length - 1];
  if (best === undefined && last === undefined) throw new Error('bestOutcome: no outcomes');
  return best ?? last;
}

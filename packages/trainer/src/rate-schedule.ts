import { describe } from './describe.js';
import { InvalidOptionError } from './errors.js';

/**
 * A schedule of learning rates over the epochs, multiplying the optimizer's base rate. Positions
 * are in epochs and fractional: the trainer asks before every step with the position where that
 * step ends, `epochs done + (batch + 1) / batches per epoch`, so warmup ramps smoothly within
 * an epoch and the first step already has a rate above 0.
 * - `step`: ×`factor` (default 0.5) every `every` epochs;
 * - `exponential`: ×`factor` (default 0.95) per epoch;
 * - `cosine`: from the base rate down to `min` (default 0) along half a cosine, over `epochs`
 *   (default: the run's) after the warmup (Loshchilov & Hutter 2017, without restarts);
 * - `constant`: the base rate (with `warmup`, a warmup alone).
 * `warmup` (epochs, default 0) ramps the rate up linearly from 0 first (Goyal et al. 2017).
 */
export type RateScheduleOptions =
  | { type: 'constant'; warmup?: number }
  | { type: 'step'; every: number; factor?: number; warmup?: number }
  | { type: 'exponential'; factor?: number; warmup?: number }
  | { type: 'cosine'; epochs?: number; min?: number; warmup?: number };

export type RateScheduleType = RateScheduleOptions['type'];

/** The rate of the step that ends `position` epochs into a run of `totalEpochs` (position > 0). */
export function scheduledRate(
  schedule: RateScheduleOptions,
  base: number,
  position: number,
  totalEpochs: number,
): number {
  const warmup = schedule.warmup ?? 0;
  const ramp = warmup > 0 && position < warmup ? Math.max(position, 0) / warmup : 1;
  // the 0-based epoch the step belongs to (a step ending at exactly 1 is epoch 0's last)
  const done = Math.max(0, Math.ceil(position - 1e-9) - 1);
  let rate: number;
  switch (schedule.type) {
    case 'constant':
      rate = base;
      break;
    case 'step':
      rate = base * (schedule.factor ?? 0.5) ** Math.floor(done / schedule.every);
      break;
    case 'exponential':
      rate = base * (schedule.factor ?? 0.95) ** done;
      break;
    case 'cosine': {
      const span = Math.max((schedule.epochs ?? totalEpochs) - warmup, 1e-12);
      const progress = Math.min(1, Math.max(0, (position - warmup) / span));
      const min = schedule.min ?? 0;
      rate = min + (base - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
      break;
    }
  }
  return rate * ramp;
}

const KEYS: Record<RateScheduleType, readonly string[]> = {
  constant: ['type', 'warmup'],
  step: ['type', 'every', 'factor', 'warmup'],
  exponential: ['type', 'factor', 'warmup'],
  cosine: ['type', 'epochs', 'min', 'warmup'],
};

/** Checks a rate schedule `{ type, ... }`. */
export function checkRateSchedule(value: unknown, option: string): RateScheduleOptions {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidOptionError(
      option,
      `must be { type: 'step' | 'exponential' | 'cosine' | 'constant', ... }, got ${describe(value)}`,
    );
  }
  const record = value as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string' || !Object.hasOwn(KEYS, type)) {
    throw new InvalidOptionError(
      `${option}.type`,
      `must be 'step', 'exponential', 'cosine' or 'constant', got ${describe(type)}`,
    );
  }
  const known = KEYS[type as RateScheduleType];
  for (const key of Object.keys(record)) {
    if (!known.includes(key)) {
      throw new InvalidOptionError(
        `${option}.${key}`,
        `is not an option of a ${type} schedule (known: ${known.join(', ')})`,
      );
    }
  }
  const number = (key: string, check: (n: number) => boolean, what: string): number | undefined => {
    const n = record[key];
    if (n === undefined) return undefined;
    if (typeof n !== 'number' || !Number.isFinite(n) || !check(n)) {
      throw new InvalidOptionError(`${option}.${key}`, `must be ${what}, got ${describe(n)}`);
    }
    return n;
  };
  const warmup = number('warmup', (n) => n >= 0, 'a number of epochs >= 0');
  const out: Record<string, unknown> = { type };
  if (warmup !== undefined) out.warmup = warmup;
  if (type === 'step') {
    const every = number('every', (n) => n > 0, 'a number of epochs > 0');
    if (every === undefined)
      throw new InvalidOptionError(`${option}.every`, 'is required for a step schedule (epochs between decays)');
    out.every = every;
  }
  if (type === 'step' || type === 'exponential') {
    const factor = number('factor', (n) => n > 0 && n <= 1, 'a number in (0, 1]');
    if (factor !== undefined) out.factor = factor;
  }
  if (type === 'cosine') {
    const epochs = number('epochs', (n) => n > 0, 'a number of epochs > 0');
    const min = number('min', (n) => n >= 0, 'a rate >= 0');
    if (epochs !== undefined) out.epochs = epochs;
    if (min !== undefined) out.min = min;
  }
  return out as RateScheduleOptions;
}

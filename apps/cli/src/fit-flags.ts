import { squash, type SquashFunction } from '@synaptic/core';
import { OPTIMIZER_NAMES, type RateScheduleOptions } from '@synaptic/trainer';
import { InvalidArgumentError } from 'commander';

/** Parsers of the gradient path's flags: a bad value is one line from commander, exit code 2. */

export const OUTPUT_SQUASHES: Record<string, SquashFunction> = {
  softmax: squash.SOFTMAX,
  logistic: squash.LOGISTIC,
  tanh: squash.TANH,
  identity: squash.IDENTITY,
  relu: squash.RELU,
  hlim: squash.HLIM,
};

export function optimizerName(value: string): string {
  const name = value.trim().toLowerCase().replace(/_/g, '-');
  if (!(OPTIMIZER_NAMES as readonly string[]).includes(name)) {
    throw new InvalidArgumentError(`expected one of ${OPTIMIZER_NAMES.join(', ')}.`);
  }
  return name;
}

/** A number in [0, 1): a dropout probability. */
export function probability(value: string): number {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!(n >= 0 && n < 1)) throw new InvalidArgumentError('expected a number from 0 up to (not including) 1.');
  return n;
}

/** A number in (0, 1): the fraction of the training data held out. */
export function openFraction(value: string): number {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError('expected a fraction between 0 and 1, e.g. 0.1.');
  return n;
}

const SCHEDULE_KEYS: Record<RateScheduleOptions['type'], readonly string[]> = {
  constant: ['warmup'],
  step: ['every', 'factor', 'warmup'],
  exponential: ['factor', 'warmup'],
  cosine: ['epochs', 'min', 'warmup'],
};

/**
 * `--schedule TYPE[:key=value,...]`: `cosine`, `cosine:warmup=1`, `step:every=2,factor=0.5`,
 * `exponential:factor=0.9`, `constant:warmup=0.5` (counts in epochs).
 */
export function scheduleSpec(value: string): RateScheduleOptions {
  const [type, rest = ''] = value.trim().split(':', 2);
  if (!Object.hasOwn(SCHEDULE_KEYS, type)) {
    throw new InvalidArgumentError(
      'expected step, exponential, cosine or constant, optionally with settings: cosine:warmup=1, step:every=2,factor=0.5.',
    );
  }
  const known = SCHEDULE_KEYS[type as RateScheduleOptions['type']];
  const out: Record<string, unknown> = { type };
  for (const part of rest.split(',').filter((p) => p.trim() !== '')) {
    const [key, raw] = part.split('=', 2).map((s) => s.trim());
    const n = raw === undefined || raw === '' ? Number.NaN : Number(raw);
    if (!known.includes(key)) {
      throw new InvalidArgumentError(
        `a ${type} schedule takes ${known.join(', ')} (e.g. ${type}:${known[0]}=1), not ${JSON.stringify(key)}.`,
      );
    }
    if (!Number.isFinite(n) || n < 0)
      throw new InvalidArgumentError(`${key} must be a number >= 0, got ${JSON.stringify(raw ?? '')}.`);
    out[key] = n;
  }
  if (type === 'step' && out.every === undefined) {
    throw new InvalidArgumentError('a step schedule needs every=EPOCHS, e.g. step:every=2,factor=0.5.');
  }
  return out as RateScheduleOptions;
}

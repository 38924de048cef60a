import { getRandom, mulberry32, type RandomSource } from '@synaptic/core';
import { describe } from './describe.js';
import { InvalidOptionError } from './errors.js';
import type { RandomOptions } from './options.js';

/**
 * The source of a call's random choices: its own `random` or `seed`, else `fallback` (the
 * trainer's), else core's current source (`setRandom`, by default `Math.random` as in 1.x).
 * A `random` that returns something outside [0, 1) throws instead of picking out of range.
 */
export function resolveRandom(options: RandomOptions, fallback: RandomSource | null): RandomSource {
  if (options.seed !== undefined && options.random !== undefined) {
    throw new InvalidOptionError('seed', 'and `random` cannot both be given: pass one of them');
  }
  if (options.seed !== undefined) return mulberry32(options.seed);
  if (options.random !== undefined) return checkedRandom(options.random);
  if (fallback) return fallback;
  return () => getRandom()();
}

function checkedRandom(random: () => number): RandomSource {
  return () => {
    const r = random();
    if (typeof r !== 'number' || !(r >= 0 && r < 1))
      throw new InvalidOptionError('random', `must return numbers in [0, 1), returned ${describe(r)}`);
    return r;
  };
}

/** Fisher-Yates in place, drawing in 1.x's order (from the last slot down), so seeded runs match 1.x's. */
export function shuffleInPlace<T>(list: T[], random: RandomSource): void {
  for (let i = list.length; i > 0; ) {
    const j = Math.floor(random() * i);
    i--;
    const x = list[i];
    list[i] = list[j];
    list[j] = x;
  }
}

/** A whole number in [0, range), drawn as 1.x drew them (`random() * range | 0`). */
export function pick(random: RandomSource, range: number): number {
  return (random() * range) | 0;
}

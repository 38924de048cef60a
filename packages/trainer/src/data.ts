import { InvalidArgumentError, mulberry32 } from '@synaptic/core';
import { describe } from './describe.js';
import { shuffleInPlace } from './random.js';

/** A one-hot vector: 1 at `label`, 0 elsewhere. */
export function oneHot(label: number, classes: number): Float64Array {
  if (!Number.isSafeInteger(classes) || classes < 1) {
    throw new InvalidArgumentError(`oneHot: classes must be a whole number >= 1, got ${describe(classes)}`);
  }
  if (!Number.isInteger(label) || label < 0 || label >= classes) {
    throw new InvalidArgumentError(
      `oneHot: a label must be a whole number from 0 to ${classes - 1}, got ${describe(label)}`,
    );
  }
  const out = new Float64Array(classes);
  out[label] = 1;
  return out;
}

/** One-hot vectors for a list of labels (`labels[i]` names where vector i has its 1). */
export function oneHotLabels(labels: ArrayLike<number>, classes: number): Float64Array[] {
  const out = new Array<Float64Array>(labels.length);
  for (let i = 0; i < labels.length; i++) {
    try {
      out[i] = oneHot(labels[i], classes);
    } catch (error) {
      throw new InvalidArgumentError(`oneHotLabels: labels[${i}]: ${(error as Error).message.replace('oneHot: ', '')}`);
    }
  }
  return out;
}

/** The index of the largest value (the first one on ties): the class a one-hot or softmax output names. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Per-feature normalisation fitted on a set: `apply(v)` gives (v − offset) / scale. */
export interface Normalization {
  readonly method: 'min-max' | 'z-score';
  readonly offset: Float64Array;
  readonly scale: Float64Array;
  apply(vector: ArrayLike<number>): Float64Array;
}

/**
 * Fits a per-feature normalisation on `vectors`: `min-max` maps each feature's range onto [0, 1],
 * `z-score` gives each feature mean 0 and standard deviation 1. A constant feature gets scale 1 (it
 * only moves). Fit it on the training set and apply it to the others too.
 */
export function normalization(
  vectors: readonly ArrayLike<number>[],
  method: 'min-max' | 'z-score' = 'min-max',
): Normalization {
  if (!Array.isArray(vectors) || vectors.length === 0) {
    throw new InvalidArgumentError('normalization: `vectors` must be a non-empty array of vectors');
  }
  if (method !== 'min-max' && method !== 'z-score') {
    throw new InvalidArgumentError(`normalization: method must be 'min-max' or 'z-score', got ${describe(method)}`);
  }
  const size = vectors[0].length;
  const offset = new Float64Array(size);
  const scale = new Float64Array(size);
  vectors.forEach((v, i) => {
    if (v.length !== size) {
      throw new InvalidArgumentError(`normalization: vectors[${i}] has ${v.length} values, vectors[0] has ${size}`);
    }
    for (let k = 0; k < size; k++) {
      if (!Number.isFinite(v[k]))
        throw new InvalidArgumentError(`normalization: vectors[${i}][${k}] is ${describe(v[k])}`);
    }
  });
  for (let k = 0; k < size; k++) {
    if (method === 'min-max') {
      let min = Infinity;
      let max = -Infinity;
      for (const v of vectors) {
        min = Math.min(min, v[k]);
        max = Math.max(max, v[k]);
      }
      offset[k] = min;
      scale[k] = max > min ? max - min : 1;
    } else {
      let mean = 0;
      for (const v of vectors) mean += v[k];
      mean /= vectors.length;
      let variance = 0;
      for (const v of vectors) variance += (v[k] - mean) ** 2;
      const sd = Math.sqrt(variance / vectors.length);
      offset[k] = mean;
      scale[k] = sd > 0 ? sd : 1;
    }
  }
  return {
    method,
    offset,
    scale,
    apply(vector) {
      if (vector.length !== size) {
        throw new InvalidArgumentError(`normalization.apply: expected ${size} values, got ${vector.length}`);
      }
      const out = new Float64Array(size);
      for (let k = 0; k < size; k++) out[k] = (vector[k] - offset[k]) / scale[k];
      return out;
    },
  };
}

export interface SplitOptions {
  /** The fraction held out for validation, in (0, 1). */
  fraction: number;
  /** Seeds the shuffle (mulberry32); default 1. `shuffle: false` keeps the order and holds out the end. */
  seed?: number;
  shuffle?: boolean;
}

/**
 * Splits a set into training and validation parts: shuffled with `mulberry32(seed)`, the last
 * `round(fraction·n)` (at least 1, at most n − 1) validate. The caller's array is not touched.
 */
export function trainValidationSplit<T>(set: readonly T[], options: SplitOptions): { train: T[]; validation: T[] } {
  const { fraction, seed = 1, shuffle = true } = options ?? ({} as SplitOptions);
  if (!Array.isArray(set) || set.length < 2) {
    throw new InvalidArgumentError('trainValidationSplit: `set` must be an array of at least 2 samples');
  }
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1)) {
    throw new InvalidArgumentError(
      `trainValidationSplit: fraction must be a number between 0 and 1, got ${describe(fraction)}`,
    );
  }
  if (!Number.isSafeInteger(seed))
    throw new InvalidArgumentError(`trainValidationSplit: seed must be an integer, got ${describe(seed)}`);
  const list = set.slice();
  if (shuffle) shuffleInPlace(list, mulberry32(seed));
  const held = Math.min(list.length - 1, Math.max(1, Math.round(fraction * list.length)));
  return { train: list.slice(0, list.length - held), validation: list.slice(list.length - held) };
}

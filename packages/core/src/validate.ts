import { describe, InvalidArgumentError, InvalidValueError, SizeMismatchError } from './errors.js';

export function checkFinite(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidValueError(what, value);
  return value;
}

/** A learning rate: undefined or null mean 1.x's default 0.1; 0 is honoured (no learning). */
export function checkRate(rate: unknown): number {
  if (rate === undefined || rate === null) return 0.1;
  return checkFinite(rate, 'learning rate');
}

/** Checks that `values` is an array (or typed array) of `size` finite numbers. */
export function checkVector(values: unknown, size: number, what: string): ArrayLike<number> {
  if (!Array.isArray(values) && !(ArrayBuffer.isView(values) && !(values instanceof DataView))) {
    throw new InvalidArgumentError(`${what} must be an array of ${size} numbers, got ${describe(values)}`);
  }
  const list = values as ArrayLike<number>;
  if (list.length !== size) throw new SizeMismatchError(what, size, list.length);
  for (let i = 0; i < size; i++) {
    const v = list[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidValueError(`${what}[${i}]`, v);
  }
  return list;
}

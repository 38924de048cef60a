import { describe } from './describe.js';
import { InvalidOptionError } from './errors.js';

// ---------------------------------------------------------------------------
// Reading options: everything is checked before anything runs. (No imports from the rest of the
// package, so that every module can use these.)
// ---------------------------------------------------------------------------

export type Checker<T> = (value: unknown, option: string) => T;
export type Schema<T> = { [K in keyof T]-?: Checker<Exclude<T[K], undefined>> };

/** Checks `raw` against `schema`: unknown keys and bad values throw an `InvalidOptionError`; undefined values count as absent. */
export function readOptions<T extends object>(raw: unknown, where: string, schema: Schema<T>): Partial<T> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InvalidOptionError('options', `of ${where} must be an object, got ${describe(raw)}`);
  }
  const known = Object.keys(schema);
  const out: Partial<T> = {};
  for (const key of Object.keys(raw)) {
    if (!Object.hasOwn(schema, key)) {
      throw new InvalidOptionError(key, `is not an option of ${where} (known: ${known.join(', ')})`);
    }
    const value = (raw as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const check = schema[key as keyof T] as Checker<unknown>;
    out[key as keyof T] = check(value, key) as T[keyof T];
  }
  return out;
}

export function integerAtLeast(min: number): Checker<number> {
  return (value, option) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
      throw new InvalidOptionError(option, `must be an integer >= ${min}, got ${describe(value)}`);
    }
    return value;
  };
}

export const nonNegativeNumber: Checker<number> = (value, option) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidOptionError(option, `must be a finite number >= 0, got ${describe(value)}`);
  }
  return value;
};

export const boolean: Checker<boolean> = (value, option) => {
  if (typeof value !== 'boolean') throw new InvalidOptionError(option, `must be true or false, got ${describe(value)}`);
  return value;
};

export function fn<F>(what: string): Checker<F> {
  return (value, option) => {
    if (typeof value !== 'function') throw new InvalidOptionError(option, `must be ${what}, got ${describe(value)}`);
    return value as F;
  };
}

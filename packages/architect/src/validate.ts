import { getRandom, InvalidArgumentError, mulberry32, setRandom, type RandomSource } from '@synaptic/core';

/**
 * Argument checks shared by the architectures. Every constructor checks all of its arguments
 * before it creates a single unit, so a bad call throws an `InvalidArgumentError` (a
 * `SynapticError`) that names the argument, and builds nothing.
 */

/** A short, safe description of any value for an error message (never throws, even for symbols). */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return String(value);
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
    case 'bigint':
      return `${value.toString()}n`;
    case 'undefined':
    case 'boolean':
      return String(value);
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      if (value === null) return 'null';
      if (Array.isArray(value)) return `an array of length ${value.length}`;
      return 'an object';
  }
}

/** A layer size: a positive integer. */
export function checkSize(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(`${what} must be a positive integer, got ${describeValue(value)}`);
  }
  return value;
}

/** A count that may be zero (connections, gates, memory depth): a non-negative integer. */
export function checkCount(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new InvalidArgumentError(`${what} must be a non-negative integer, got ${describeValue(value)}`);
  }
  return value;
}

export function checkBoolean(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean')
    throw new InvalidArgumentError(`${what} must be true or false, got ${describeValue(value)}`);
  return value;
}

/** A plain options object (not an array, not null); its own keys must all be known. */
export function checkOptions(value: unknown, known: readonly string[], what: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw new InvalidArgumentError(`${what} must be an object, got ${describeValue(value)}`);
  const record = value as Record<string, unknown>;
  for (const key of Reflect.ownKeys(record)) {
    if (typeof key !== 'string' || !known.includes(key)) {
      const name = typeof key === 'string' ? JSON.stringify(key) : 'a symbol key';
      throw new InvalidArgumentError(`${what}: unknown option ${name} (known options: ${known.join(', ')})`);
    }
  }
  return record;
}

/** `{ ... }` or `Object.create(null)`: not an array, a class instance, a boxed value, a Map... */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** An optional random source: a function returning numbers in [0, 1). */
export function checkRandomSource(value: unknown, what: string): RandomSource | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function')
    throw new InvalidArgumentError(
      `${what} must be a function returning numbers in [0, 1), got ${describeValue(value)}`,
    );
  return value as RandomSource;
}

/** An optional seed: an integer (any 32-bit pattern; it seeds mulberry32). */
export function checkSeed(value: unknown, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new InvalidArgumentError(`${what} must be an integer, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Runs `build` with `random` installed as core's random source, so that everything the build
 * draws (wiring decisions and the weights and biases core gives new units and connections)
 * comes from it; core's previous source is put back afterwards, even if `build` throws.
 * Without `random`, core's current source is used (by default it reads `Math.random`).
 */
export function withRandomSource<T>(random: RandomSource | undefined, build: (random: RandomSource) => T): T {
  if (random === undefined) return build(getRandom());
  const previous = getRandom();
  setRandom(random);
  try {
    return build(random);
  } finally {
    setRandom(previous);
  }
}

/** `random` if given, else a mulberry32 generator seeded with `seed`, else undefined. */
export function randomFrom(random: RandomSource | undefined, seed: number | undefined): RandomSource | undefined {
  return random ?? (seed === undefined ? undefined : mulberry32(seed));
}

/**
 * A draw from the random source, as an index in [0, n). Checks the source's value, so a broken
 * source fails with a clear error instead of wiring to `undefined`.
 */
export function pick(random: RandomSource, n: number, what: string): number {
  const r = random();
  if (typeof r !== 'number' || !(r >= 0 && r < 1)) {
    throw new InvalidArgumentError(`${what}: the random source must return numbers in [0, 1), got ${describeValue(r)}`);
  }
  // 1.x's `Math.random() * n | 0`
  return (r * n) | 0;
}

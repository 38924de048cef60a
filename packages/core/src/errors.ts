/**
 * Every error this library throws on bad input is a `SynapticError`, so callers can tell
 * "you called it wrong" from a bug. Each subclass names one kind of problem; the message
 * names the offending argument, index or size.
 */
export class SynapticError extends Error {
  override name = 'SynapticError';
}

/** An array had the wrong length: inputs, targets, weights, gates. */
export class SizeMismatchError extends SynapticError {
  override name = 'SizeMismatchError';
  constructor(
    readonly what: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`${what} must have ${expected} value${expected === 1 ? '' : 's'}, got ${actual}`);
  }
}

/** A value was not a finite number (NaN, Infinity, a string, undefined...). */
export class InvalidValueError extends SynapticError {
  override name = 'InvalidValueError';
  constructor(
    readonly what: string,
    readonly value: unknown,
  ) {
    super(`${what} must be a finite number, got ${describe(value)}`);
  }
}

/** An argument of the wrong kind: projecting to something that is not a layer, an unknown option. */
export class InvalidArgumentError extends SynapticError {
  override name = 'InvalidArgumentError';
}

/** A squash function name that is not one of LOGISTIC, TANH, IDENTITY, HLIM, RELU. */
export class UnknownSquashError extends SynapticError {
  override name = 'UnknownSquashError';
  constructor(
    readonly squashName: unknown,
    where: string,
  ) {
    super(`${where}: unknown squash ${describe(squashName)} (expected LOGISTIC, TANH, IDENTITY, HLIM, RELU or null)`);
  }
}

/** A gate that cannot be applied: sizes that do not match, a thing that is not a connection. */
export class GateError extends SynapticError {
  override name = 'GateError';
}

/** A serialized network that does not describe a valid network. `path` points at the bad field. */
export class InvalidJSONError extends SynapticError {
  override name = 'InvalidJSONError';
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`invalid network JSON at ${path}: ${problem}`);
  }
}

/**
 * A layer-level projection (convolution, pooling...) that cannot be made or run: shapes that do not
 * fit, a target that is not feed-forward (self-connected, gated, activated before its source).
 */
export class OpError extends SynapticError {
  override name = 'OpError';
}

export function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}

/**
 * A number the network computed or holds is NaN or Infinity: an output of `activate`, a weight or
 * bias after `propagate` (which is then undone), or a stored number `toJSON` cannot write.
 * `unit` is the unit's index in network order (inputs, hidden layers, outputs), when one is known.
 */
export class NonFiniteError extends SynapticError {
  override name = 'NonFiniteError';
  constructor(
    message: string,
    readonly unit: number | null = null,
  ) {
    super(message);
  }
}

/** A token index that is not an integer in 0 .. vocabulary − 1 (an embedding's input). */
export class InvalidTokenError extends SynapticError {
  override name = 'InvalidTokenError';
  constructor(
    where: string,
    readonly position: number,
    readonly token: unknown,
    readonly vocabulary: number,
  ) {
    super(`${where}: token at position ${position} must be an integer in 0..${vocabulary - 1}, got ${describe(token)}`);
  }
}

/**
 * Embedding lookup: a sequence of token indices selects rows of a table (vocabulary × d), written
 * row-major by position (the `[length, 1, d]` layout): out_{p,c} = T_{t_p, c}. Its gradient is a
 * scatter-add, ∂E/∂T_{t,c} = Σ_{p : t_p = t} ∂E/∂out_{p,c}; tokens carry no gradient.
 */
import { InvalidTokenError } from '../../errors.js';

/** Throws an `InvalidTokenError` unless every token is an integer in 0 .. vocabulary − 1. */
export function checkTokens(tokens: ArrayLike<number>, length: number, vocabulary: number, where: string): void {
  for (let p = 0; p < length; p++) {
    const t = tokens[p];
    if (!Number.isInteger(t) || t < 0 || t >= vocabulary) throw new InvalidTokenError(where, p, t, vocabulary);
  }
}

/** out_{p,·} += T_{t_p,·} for p < length (checked first: nothing is written on a bad token). */
export function embeddingForward(
  tokens: ArrayLike<number>,
  length: number,
  table: Float64Array,
  vocabulary: number,
  d: number,
  out: Float64Array,
  where = 'embedding',
): void {
  checkTokens(tokens, length, vocabulary, where);
  for (let p = 0; p < length; p++) {
    const row = tokens[p] * d;
    const o = p * d;
    for (let c = 0; c < d; c++) out[o + c] += table[row + c];
  }
}

/** ∂E/∂T_{t_p,·} += ∂E/∂out_{p,·}: the scatter-add of the lookup's gradient into `gradient`. */
export function embeddingBackward(
  tokens: ArrayLike<number>,
  length: number,
  dOut: Float64Array,
  d: number,
  gradient: Float64Array,
): void {
  for (let p = 0; p < length; p++) {
    const row = tokens[p] * d;
    const o = p * d;
    for (let c = 0; c < d; c++) gradient[row + c] += dOut[o + c];
  }
}

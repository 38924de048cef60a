/**
 * Sinusoidal positional encodings (Vaswani et al. 2017, section 3.5), laid out `[length, 1, d]`:
 *   PE_{p, 2i} = sin(p / 10000^{2i/d}),   PE_{p, 2i+1} = cos(p / 10000^{2i/d}).
 * They are constants: a sequence layer takes them as fixed biases (learned positions are the same
 * biases, trained).
 */
export function sinusoidalPositions(
  length: number,
  d: number,
  into: Float64Array = new Float64Array(length * d),
): Float64Array {
  for (let p = 0; p < length; p++) {
    for (let c = 0; c < d; c++) {
      const i2 = c - (c % 2);
      const angle = p / 10000 ** (i2 / d);
      into[p * d + c] = c % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return into;
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidTokenError, mulberry32, SynapticError } from '../../src/index.js';
import { checkTokens, embeddingBackward, embeddingForward } from '../../src/ops/kernels/embedding.js';
import { sinusoidalPositions } from '../../src/ops/kernels/positions.js';

describe('embedding kernels', () => {
  it('forward selects rows and backward equals central finite differences', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 5 }),
        (seed, vocabulary, d, length) => {
          const random = mulberry32(seed);
          const table = Float64Array.from({ length: vocabulary * d }, () => random() * 2 - 1);
          const tokens = Array.from({ length }, () => Math.floor(random() * vocabulary));
          const r = Float64Array.from({ length: length * d }, () => random() * 2 - 1);
          const out = new Float64Array(length * d);
          embeddingForward(tokens, length, table, vocabulary, d, out);
          for (let p = 0; p < length; p++)
            for (let c = 0; c < d; c++) expect(out[p * d + c]).toBe(table[tokens[p] * d + c]);
          const energy = () => {
            const o = new Float64Array(length * d);
            embeddingForward(tokens, length, table, vocabulary, d, o);
            return o.reduce((s, x, i) => s + x * r[i], 0);
          };
          const gradient = new Float64Array(vocabulary * d);
          embeddingBackward(tokens, length, r, d, gradient);
          for (let i = 0; i < table.length; i++) {
            const keep = table[i];
            table[i] = keep + 1e-6;
            const plus = energy();
            table[i] = keep - 1e-6;
            const minus = energy();
            table[i] = keep;
            expect(Math.abs(gradient[i] - (plus - minus) / 2e-6)).toBeLessThan(1e-8);
          }
        },
      ),
      { numRuns: 50, seed: 17 },
    );
  });

  it('refuses non-integer, negative and out-of-range tokens with an InvalidTokenError, writing nothing', () => {
    const table = Float64Array.of(1, 2, 3, 4);
    for (const bad of [
      [0, 2],
      [0, -1],
      [0.5, 1],
      [0, Number.NaN],
    ]) {
      const out = new Float64Array(4);
      let error: unknown;
      try {
        embeddingForward(bad, 2, table, 2, 2, out, 'net.activate');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidTokenError);
      expect(error).toBeInstanceOf(SynapticError);
      expect((error as InvalidTokenError).position).toBe(1 - Number(bad[0] === 0.5));
      expect((error as Error).message).toMatch(/net\.activate: token at position \d must be an integer in 0\.\.1/);
      expect([...out]).toEqual([0, 0, 0, 0]);
    }
    expect(() => checkTokens([1, 0], 2, 2, 'x')).not.toThrow();
  });
});

describe('sinusoidal positions', () => {
  it('are sin and cos of p / 10000^(2i/d)', () => {
    const pe = sinusoidalPositions(5, 6);
    expect([...pe.subarray(0, 6)]).toEqual([0, 1, 0, 1, 0, 1]);
    expect(pe[3 * 6 + 0]).toBe(Math.sin(3));
    expect(pe[3 * 6 + 1]).toBe(Math.cos(3));
    expect(pe[2 * 6 + 2]).toBe(Math.sin(2 / 10000 ** (2 / 6)));
    expect(pe[2 * 6 + 5]).toBe(Math.cos(2 / 10000 ** (4 / 6)));
    for (const x of pe) expect(Math.abs(x)).toBeLessThanOrEqual(1);
  });

  it('give every position a different vector', () => {
    const pe = sinusoidalPositions(16, 8);
    const rows = new Set<string>();
    for (let p = 0; p < 16; p++) rows.add([...pe.subarray(p * 8, p * 8 + 8)].map((x) => x.toFixed(6)).join());
    expect(rows.size).toBe(16);
  });
});

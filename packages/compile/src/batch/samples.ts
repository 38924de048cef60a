/** How many samples a batch's `inputs` hold (samples one after another), checked against the batch's size. */
import { InvalidArgumentError, SizeMismatchError } from '@synaptic/core';

export function sampleCount(inputs: ArrayLike<number>, inputSize: number, batchSize: number): number {
  if (inputs === null || typeof inputs !== 'object' || typeof inputs.length !== 'number')
    throw new InvalidArgumentError('batch forward: inputs must be an array of numbers (samples one after another)');
  const count = inputs.length / inputSize;
  if (!Number.isInteger(count) || count < 1 || count > batchSize)
    throw new SizeMismatchError(
      `batch forward inputs (from 1 to ${batchSize} samples of ${inputSize})`,
      inputSize * Math.min(batchSize, Math.max(1, Math.round(count) || 1)),
      inputs.length,
    );
  return count;
}

import { describe } from './describe.js';
import { InvalidTrainingSetError } from './errors.js';

/**
 * A checked sample of the gradient path, as steps: a plain sample is one step; a sequence (input
 * and output arrays of vectors) is its steps in order, and the network is cleared
 * (`clear({ states: true })`) before it. Vectors are used as given (typed arrays are not copied).
 */
export interface FitSample {
  inputs: ArrayLike<number>[];
  outputs: ArrayLike<number>[];
  sequence: boolean;
}

const isVectorLike = (v: unknown): v is ArrayLike<unknown> =>
  Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));

/** Whether a sample's input is an array of vectors (a sequence) rather than a vector. */
export function isSequenceSample(sample: unknown): boolean {
  if (sample === null || typeof sample !== 'object') return false;
  const input = (sample as { input?: unknown }).input;
  return Array.isArray(input) && input.length > 0 && isVectorLike(input[0]);
}

export function checkFitSet(set: unknown, inputs: number, outputs: number, name = 'set'): FitSample[] {
  if (!Array.isArray(set)) {
    throw new InvalidTrainingSetError(name, `must be an array of { input, output } samples, got ${describe(set)}`);
  }
  if (set.length === 0) throw new InvalidTrainingSetError(name, 'is empty');
  return set.map((sample: unknown, i) => {
    const path = `${name}[${i}]`;
    if (sample === null || typeof sample !== 'object') {
      throw new InvalidTrainingSetError(path, `must be an object { input, output }, got ${describe(sample)}`);
    }
    const { input, output } = sample as { input?: unknown; output?: unknown };
    if (!isSequenceSample(sample)) {
      return {
        inputs: [checkVector(input, inputs, `${path}.input`)],
        outputs: [checkVector(output, outputs, `${path}.output`)],
        sequence: false,
      };
    }
    const steps = input as unknown[];
    if (!Array.isArray(output) || output.length !== steps.length) {
      throw new InvalidTrainingSetError(
        `${path}.output`,
        `must be an array of ${steps.length} vectors (one per step of the input sequence), got ${describe(output)}`,
      );
    }
    return {
      inputs: steps.map((v, t) => checkVector(v, inputs, `${path}.input[${t}]`)),
      outputs: output.map((v: unknown, t) => checkVector(v, outputs, `${path}.output[${t}]`)),
      sequence: true,
    };
  });
}

export function checkVector(values: unknown, size: number, path: string): ArrayLike<number> {
  if (!isVectorLike(values)) {
    throw new InvalidTrainingSetError(path, `must be an array of ${size} numbers, got ${describe(values)}`);
  }
  if (values.length !== size) {
    throw new InvalidTrainingSetError(
      path,
      `must have ${size} value${size === 1 ? '' : 's'} (the network's size), got ${values.length}`,
    );
  }
  for (let k = 0; k < size; k++) {
    const v = values[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidTrainingSetError(`${path}[${k}]`, `must be a finite number, got ${describe(v)}`);
    }
  }
  return values as ArrayLike<number>;
}

import { describe } from './describe.js';
import { InvalidTrainingSetError } from './errors.js';
import { isSequenceSample } from './fit-set.js';

/** One example: what goes in and what should come out. */
export interface TrainingSample {
  input: ArrayLike<number>;
  output: ArrayLike<number>;
}

export type TrainingSet = readonly TrainingSample[];

/**
 * A sequence: one input and one target vector per step. The trainer clears the network
 * (`clear({ states: true })`) at its start and steps through it.
 */
export interface SequenceSample {
  input: readonly ArrayLike<number>[];
  output: readonly ArrayLike<number>[];
}

/** What `train` and `trainAsync` take: samples, sequences, or both. */
export type SampleSet = readonly (TrainingSample | SequenceSample)[];

/** A checked sample, its vectors as plain arrays (the arrays given are used as they are). */
export interface Sample {
  input: number[];
  output: number[];
  /** a sequence's steps (then `input` and `output` are its first step's) */
  steps?: { input: number[]; output: number[] }[];
}

/**
 * Checks a whole set before training starts: an array of `{ input, output }` with `inputs` and
 * `outputs` finite numbers each. 1.x trained on whatever it got and produced NaN (or threw a
 * TypeError); here the first bad entry is named. Returns a new list (shuffling never touches
 * the caller's array, which 1.x shuffled in place).
 */
export function checkTrainingSet(set: unknown, inputs: number, outputs: number, name = 'set'): Sample[] {
  if (!Array.isArray(set))
    throw new InvalidTrainingSetError(name, `must be an array of { input, output } samples, got ${describe(set)}`);
  if (set.length === 0) throw new InvalidTrainingSetError(name, 'is empty');
  const samples = new Array<Sample>(set.length);
  for (let i = 0; i < set.length; i++) {
    const sample: unknown = set[i];
    const path = `${name}[${i}]`;
    if (sample === null || typeof sample !== 'object') {
      throw new InvalidTrainingSetError(path, `must be an object { input, output }, got ${describe(sample)}`);
    }
    const { input, output } = sample as { input?: unknown; output?: unknown };
    if (isSequenceSample(sample)) {
      samples[i] = checkSequence(input as unknown[], output, inputs, outputs, path);
      continue;
    }
    samples[i] = {
      input: checkVector(input, inputs, `${path}.input`),
      output: checkVector(output, outputs, `${path}.output`),
    };
  }
  return samples;
}

function checkSequence(input: unknown[], output: unknown, inputs: number, outputs: number, path: string): Sample {
  if (!Array.isArray(output) || output.length !== input.length) {
    throw new InvalidTrainingSetError(
      `${path}.output`,
      `must be an array of ${input.length} vectors (one per step of the input sequence), got ${describe(output)}`,
    );
  }
  const steps = input.map((x, t) => ({
    input: checkVector(x, inputs, `${path}.input[${t}]`),
    output: checkVector(output[t], outputs, `${path}.output[${t}]`),
  }));
  return { input: steps[0].input, output: steps[0].output, steps };
}

function checkVector(values: unknown, size: number, path: string): number[] {
  const typed = ArrayBuffer.isView(values) && !(values instanceof DataView);
  if (!Array.isArray(values) && !typed) {
    throw new InvalidTrainingSetError(path, `must be an array of ${size} numbers, got ${describe(values)}`);
  }
  const list = values as ArrayLike<unknown>;
  if (list.length !== size) {
    throw new InvalidTrainingSetError(
      path,
      `must have ${size} value${size === 1 ? '' : 's'} (the network's size), got ${list.length}`,
    );
  }
  for (let k = 0; k < size; k++) {
    const v = list[k];
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new InvalidTrainingSetError(`${path}[${k}]`, `must be a finite number, got ${describe(v)}`);
  }
  return typed ? Array.from(list as ArrayLike<number>) : (list as number[]);
}

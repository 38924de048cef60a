/**
 * Training samples packed into two flat typed arrays (sample after sample), the form in which
 * they cross to the training worker: two buffers, moved rather than copied, instead of a
 * structured clone of 2 typed arrays and an object per sample (60,000 MNIST digits took seconds
 * to clone). Unpacked, every sample is a view of the buffers; the numbers are the same.
 */
import { BadInputError } from './errors.js';

/** A sample's two vectors (flat numbers; full MNIST's pixels are Float32Array views of one buffer). */
export interface VectorSample {
  input: ArrayLike<number>;
  output: ArrayLike<number>;
}

export interface PackedSamples {
  count: number;
  inputSize: number;
  outputSize: number;
  /** count × inputSize; Float32Array when every input was one (nothing is rounded), else Float64Array */
  inputs: Float32Array | Float64Array;
  /** count × outputSize */
  outputs: Float64Array;
}

/** Copies `samples` into fresh flat arrays (theirs are left alone). All inputs, and all outputs, must have one size. */
export function packSamples(samples: readonly VectorSample[]): PackedSamples {
  const count = samples.length;
  const inputSize = count > 0 ? samples[0].input.length : 0;
  const outputSize = count > 0 ? samples[0].output.length : 0;
  const inputs =
    count > 0 && samples.every((s) => s.input instanceof Float32Array)
      ? new Float32Array(count * inputSize)
      : new Float64Array(count * inputSize);
  const outputs = new Float64Array(count * outputSize);
  for (let i = 0; i < count; i++) {
    const { input, output } = samples[i];
    if (input.length !== inputSize || output.length !== outputSize)
      throw new BadInputError(
        `sample ${i} has ${input.length} inputs and ${output.length} outputs, the first ${inputSize} and ${outputSize}`,
      );
    inputs.set(input, i * inputSize);
    outputs.set(output, i * outputSize);
  }
  return { count, inputSize, outputSize, inputs, outputs };
}

/** The samples again, each a view of the packed arrays. */
export function unpackSamples(packed: PackedSamples): { input: Float32Array | Float64Array; output: Float64Array }[] {
  const { count, inputSize, outputSize, inputs, outputs } = packed;
  return Array.from({ length: count }, (_, i) => ({
    input: inputs.subarray(i * inputSize, (i + 1) * inputSize),
    output: outputs.subarray(i * outputSize, (i + 1) * outputSize),
  }));
}

/** The buffers to move with the message that carries `packed`. */
export function packedBuffers(packed: PackedSamples): ArrayBuffer[] {
  return [packed.inputs.buffer as ArrayBuffer, packed.outputs.buffer as ArrayBuffer];
}

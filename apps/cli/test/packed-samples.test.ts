/** The samples' form on their way to the training worker: two flat arrays, unpacked as views. */
import { describe, expect, it } from 'vitest';
import { BadInputError } from '../src/errors.js';
import { packedBuffers, packSamples, unpackSamples } from '../src/packed-samples.js';

describe('packSamples / unpackSamples', () => {
  it('gives back the same numbers, as views of two buffers', () => {
    const samples = [
      { input: [0.1, -2, 3e-9], output: [1, 0] },
      { input: [Math.PI, 0, 1], output: [0, 1] },
    ];
    const packed = packSamples(samples);
    expect(packed.inputs).toBeInstanceOf(Float64Array);
    expect([packed.count, packed.inputSize, packed.outputSize]).toEqual([2, 3, 2]);
    const back = unpackSamples(packed);
    expect(back.map((s) => [Array.from(s.input), Array.from(s.output)])).toEqual(
      samples.map((s) => [s.input, s.output]),
    );
    expect(back[1].input.buffer).toBe(packed.inputs.buffer);
    expect(packedBuffers(packed)).toEqual([packed.inputs.buffer, packed.outputs.buffer]);
  });

  it('keeps Float32Array inputs as float32 (nothing rounded) and copies, leaving the samples alone', () => {
    const pixels = Float32Array.from([0.5, 0.25, 1 / 3, 2 / 3]);
    const samples = [0, 1].map((i) => ({ input: pixels.subarray(2 * i, 2 * i + 2), output: Float64Array.of(i) }));
    const packed = packSamples(samples);
    expect(packed.inputs).toBeInstanceOf(Float32Array);
    expect(Array.from(unpackSamples(packed)[1].input)).toEqual([pixels[2], pixels[3]]);
    expect(packed.inputs.buffer).not.toBe(pixels.buffer);
    // a mix of float32 and numbers is packed as float64, which holds both exactly
    expect(packSamples([...samples, { input: [0.1, 0.2], output: [1] }]).inputs).toBeInstanceOf(Float64Array);
  });

  it('refuses samples of different sizes, naming the first that differs', () => {
    expect(() =>
      packSamples([
        { input: [1, 2], output: [1] },
        { input: [1], output: [1] },
      ]),
    ).toThrow(BadInputError);
    expect(() =>
      packSamples([
        { input: [1, 2], output: [1] },
        { input: [1, 2], output: [1, 0] },
      ]),
    ).toThrow(/sample 1 has 2 inputs and 2 outputs, the first 2 and 1/);
    expect(packSamples([])).toMatchObject({ count: 0, inputSize: 0, outputSize: 0 });
  });
});

import { describe, expect, it } from 'vitest';
import { Layer, type Network } from '@synaptic/core';
import { optimize } from '@synaptic/compile';
import { GRU, Hopfield, Liquid, LSTM, NARX, Perceptron, Random } from '@synaptic/architect';
import { makeData as makeSteps, withSeededRandom as withSeededMathRandom } from '@synaptic/test-support';

/** Every architecture compiles, and compiled code ({ exact: true }) computes exactly what the interpreter does. */
const architectures: Array<[string, () => Network]> = [
  ['Perceptron(4, 6, 5, 3)', () => new Perceptron(4, 6, 5, 3)],
  ['LSTM(3, 4, 2), defaults', () => new LSTM(3, 4, 2)],
  [
    'LSTM(2, 3, 3, 2), every option',
    () =>
      new LSTM(2, 3, 3, 2, {
        hiddenToHidden: true,
        outputToHidden: true,
        outputToGates: true,
        peepholes: Layer.connectionType.ONE_TO_ONE,
      }),
  ],
  ['Liquid(3, 12, 2, 30, 10)', () => new Liquid(3, 12, 2, 30, 10)],
  ['Hopfield(8)', () => new Hopfield(8)],
  ['GRU(3, 4, 2)', () => new GRU(3, 4, 2)],
  ['NARX(2, [4, 3], 2, 2, 3)', () => new NARX(2, [4, 3], 2, 2, 3)],
  [
    'Random(3, 6, 2, recurrent, gated)',
    () => new Random(3, 6, 2, { seed: 5, backConnections: 3, selfConnections: 2, gates: 4 }),
  ],
];

describe.each(architectures)('%s, compiled', (_, build) => {
  it('computes exactly what the interpreter computes', () => {
    const reference = withSeededMathRandom(21, build);
    const compiled = optimize(reference.clone(), { exact: true });
    for (const { input, target } of makeSteps(reference.inputs(), reference.outputs(), 300, 8)) {
      expect(compiled.activate(input)).toEqual(reference.activate(input));
      reference.propagate(0.1, target);
      compiled.propagate(0.1, target);
    }
    expect(compiled.executor()).not.toBeNull();
    expect(JSON.stringify(compiled.toJSON())).toBe(JSON.stringify(reference.toJSON()));
  });

  it('agrees to 1e-9 in the default (folded) mode', () => {
    const reference = withSeededMathRandom(21, build);
    const compiled = optimize(reference.clone());
    let worst = 0;
    for (const { input, target } of makeSteps(reference.inputs(), reference.outputs(), 300, 8)) {
      const a = reference.activate(input);
      compiled.activate(input).forEach((y, i) => (worst = Math.max(worst, Math.abs(y - a[i]))));
      reference.propagate(0.1, target);
      compiled.propagate(0.1, target);
    }
    expect(worst).toBeLessThanOrEqual(1e-9);
  });
});

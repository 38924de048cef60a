import { describe, expect, it } from 'vitest';
import { Convolution, Layer, Network, Neuron, NonFiniteError } from '../../src/index.js';
import { convInput, convNet } from './conv-nets.js';

const recipe = {
  seed: 41,
  field: [5, 5, 1] as [number, number, number],
  stages: [{ kernel: [2, 2] as [number, number], maps: 2 }],
  outputs: 2,
};

describe('ops: NaN and Infinity never leave silently', () => {
  it('a propagate that would make a kernel entry infinite is undone', () => {
    const input = Layer.shaped(3, 3, 1);
    const maps = Layer.shaped(2, 2, 1).set({ squash: Neuron.squash.IDENTITY });
    new Convolution(input, maps, { kernel: [2, 2] });
    const net = new Network({ input, output: maps });
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((v) => v * 1e200);
    net.activate(x);
    const before = net.parameters().map((p) => Array.from(p.value));
    expect(() => net.propagate(1e200, [1, 0, 0, 1])).toThrow(/entry \d of the kernel of op 0 \(CONVOLUTION\)/);
    expect(net.parameters().map((p) => Array.from(p.value))).toEqual(before);
  });

  it('toJSON refuses a kernel that is not finite, and activate names the output', () => {
    const net = convNet(recipe);
    net.parameters()[0].value[3] = Number.NaN;
    expect(() => net.toJSON()).toThrow(/entry 3 of the kernel of op 0 \(CONVOLUTION\) is NaN/);
    expect(() => net.activate(convInput(net, 2))).toThrow(NonFiniteError);
  });
});

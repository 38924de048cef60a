import { describe, expect, it } from 'vitest';
import { cost, Network } from '../../src/index.js';
import { type ConvRecipe, convInput, convNet } from './conv-nets.js';

const recipe: ConvRecipe = {
  seed: 21,
  field: [8, 8, 2],
  stages: [
    { kernel: [3, 3], maps: 2, padding: 1, pool: { kind: 'max', size: [2, 2] } },
    { kernel: [2, 2], maps: 3, stride: 2, pool: { kind: 'average', size: [1, 1] } },
  ],
  outputs: 3,
};

function run(net: Network, input: number[]): { y: number[]; gradients: number[][] } {
  net.zeroGradients();
  const y = net.activate(input);
  net.backward([1, 0, 0.5], { cost: cost.MSE });
  return { y, gradients: net.parameters().map((p) => Array.from(p.gradient)) };
}

describe('ops: JSON, clone, checkpoint', () => {
  it('lists a convolution kernel and its biases once each', () => {
    const net = convNet(recipe);
    const names = net.parameters().map((p) => p.name);
    expect(names).toEqual([
      'hidden[0].kernel',
      'hidden[0].bias',
      'hidden[2].kernel',
      'hidden[2].bias',
      'output.bias',
      'hidden[3]->output.weight',
    ]);
    const kernel = net.parameters()[0];
    expect(kernel.value.length).toBe(2 * 3 * 3 * 2);
    expect(net.parameters()[1].value.length).toBe(2);
  });

  it('a JSON round trip keeps shapes, shared kernels and every number', () => {
    const net = convNet(recipe);
    const input = convInput(net, 5);
    net.activate(input);
    const json = net.toJSON();
    expect('format' in json && json.version).toBe(2);
    const text = JSON.stringify(json);
    const copy = Network.fromJSON(text);
    expect(copy.parameters().length).toBe(net.parameters().length);
    expect(copy.parameters().map((p) => p.value.length)).toEqual(net.parameters().map((p) => p.value.length));
    expect(copy.layers.hidden.map((l) => l.shape)).toEqual(net.layers.hidden.map((l) => l.shape));
    expect(copy.layers.input!.shape).toEqual([8, 8, 2]);
    expect(run(copy, input)).toEqual(run(net, input));
    expect(JSON.stringify(copy.toJSON())).toBe(JSON.stringify(net.toJSON()));
  });

  it('a clone computes the same numbers and is independent', () => {
    const net = convNet(recipe);
    const input = convInput(net, 6);
    const copy = net.clone();
    expect(copy.parameters().length).toBe(net.parameters().length);
    expect(run(copy, input)).toEqual(run(net, input));
    copy.parameters()[0].value[0] += 1;
    expect(run(copy, input).y).not.toEqual(run(net, input).y);
  });

  it('propagate trains kernels; rollback puts them back exactly', () => {
    const net = convNet(recipe);
    const input = convInput(net, 7);
    const before = net.parameters().map((p) => Array.from(p.value));
    const checkpoint = net.checkpoint();
    for (let i = 0; i < 5; i++) {
      net.activate(input);
      net.propagate(0.3, [1, 0, 0]);
    }
    const after = net.parameters().map((p) => Array.from(p.value));
    expect(after[0]).not.toEqual(before[0]);
    expect(after[1]).not.toEqual(before[1]);
    net.rollback(checkpoint);
    expect(net.parameters().map((p) => Array.from(p.value))).toEqual(before);
  });

  it('loadParameters carries the kernels of a trained copy', () => {
    const net = convNet(recipe);
    const trained = Network.fromJSON(net.toJSON());
    const input = convInput(net, 8);
    for (let i = 0; i < 3; i++) {
      trained.activate(input);
      trained.propagate(0.2, [0, 1, 0]);
    }
    net.loadParameters(trained.toJSON());
    expect(net.parameters().map((p) => Array.from(p.value))).toEqual(
      trained.parameters().map((p) => Array.from(p.value)),
    );
  });

  it('a bad op in a file is refused with its path', () => {
    const json = convNet(recipe).toJSON() as unknown as { ops: Array<{ tensors: { kernel: number[] } }> };
    json.ops[0].tensors.kernel.pop();
    expect(() => Network.fromJSON(json)).toThrow(/\$\.ops\[0\]\.tensors\.kernel: expected 36 numbers/);
    const unknown = convNet(recipe).toJSON() as unknown as { ops: Array<{ kind: string }> };
    unknown.ops[1].kind = 'DILATED';
    expect(() => Network.fromJSON(unknown)).toThrow(/\$\.ops\[1\]\.kind/);
  });

  it('DOT draws one node per map', () => {
    const code = convNet(recipe).toDot().code;
    expect(code).toContain('1_1 [label = "map 1 (8×8)"]');
    expect(code).toContain('0_1 -> 1_0 [label = "conv 3×3 pad 1"');
    expect(code).toContain('1_1 -> 2_1 [label = "max pool 2×2"');
    expect(code).not.toContain('1_2 [');
  });
});

import { describe, expect, it } from 'vitest';
import { Layer, Network, Neuron, SynapticError, cost } from '@synaptic/core';
import { Convolutional, type ConvolutionalLayerSpec } from '@synaptic/architect';

const seed003: ConvolutionalLayerSpec[] = [
  { type: 'input', fieldSize: [28, 28] },
  {
    type: 'convolution',
    squash: Neuron.squash.TANH,
    featureMap: { size: [9, 9], k: 3 },
    pool: { kind: 'max', size: [2, 2] },
  },
  { type: 'fully-connected', squash: Neuron.squash.LOGISTIC, n: 10 },
];

describe('Convolutional', () => {
  it("builds seed 003's network: 28×28 → 3 maps 20×20 → max pool 10×10 → 10", () => {
    const net = new Convolutional(seed003, { seed: 3 });
    expect(net.layers.input!.shape).toEqual([28, 28, 1]);
    expect(net.layers.hidden.map((l) => l.shape)).toEqual([
      [20, 20, 3],
      [10, 10, 3],
    ]);
    expect(net.outputs()).toBe(10);
    expect(net.parameters().map((p) => [p.name, p.value.length])).toEqual([
      ['hidden[0].kernel', 243],
      ['hidden[0].bias', 3],
      ['output.bias', 10],
      ['hidden[1]->output.weight', 3000],
    ]);
    expect(net.layers.hidden[0].list[0].squash).toBe(Neuron.squash.TANH);
    expect(net.layers.output!.list[0].squash).toBe(Neuron.squash.LOGISTIC);
    const y = net.activate(new Array(784).fill(0.5));
    expect(y.every(Number.isFinite)).toBe(true);
  });

  it('is reproducible with a seed, and squashes can be given by name (as JSON holds them)', () => {
    const byName = JSON.parse(
      JSON.stringify([
        { type: 'input', fieldSize: [12, 12] },
        { type: 'convolution', squash: 'RELU', featureMap: { size: [3, 3], k: 2 }, stride: 1, padding: 1 },
        {
          type: 'convolution',
          squash: 'TANH',
          featureMap: { size: [3, 3], k: 4 },
          pool: { kind: 'average', size: [2, 2] },
        },
        { type: 'fully-connected', squash: 'SOFTMAX', n: 5 },
      ]),
    ) as ConvolutionalLayerSpec[];
    const a = new Convolutional(byName, { seed: 9 });
    const b = new Convolutional(byName, { seed: 9 });
    expect(a.layers.hidden.map((l) => l.shape)).toEqual([
      [12, 12, 2],
      [10, 10, 4],
      [5, 5, 4],
    ]);
    const x = Array.from({ length: 144 }, (_, i) => Math.cos(i));
    expect(a.activate(x)).toEqual(b.activate(x));
    expect(a.layers.output!.layerFunction?.name).toBe('SOFTMAX');
    expect(a.activate(x).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });

  it('learns (backward + SGD) on a tiny task: vertical vs horizontal bars', () => {
    const net = new Convolutional(
      [
        { type: 'input', fieldSize: [6, 6] },
        { type: 'convolution', featureMap: { size: [3, 3], k: 2 }, pool: { kind: 'max', size: [2, 2] } },
        { type: 'fully-connected', squash: 'SOFTMAX', n: 2 },
      ],
      { seed: 1 },
    );
    const sample = (k: number) => {
      const vertical = k % 2 === 0;
      const at = (k >> 1) % 6;
      const x = Array.from({ length: 36 }, (_, i) => ((vertical ? i % 6 : (i / 6) | 0) === at ? 1 : 0));
      return { x, t: vertical ? [1, 0] : [0, 1] };
    };
    const loss = () => {
      let sum = 0;
      for (let k = 0; k < 12; k++) {
        const { x, t } = sample(k);
        const y = net.activate(x);
        sum -= Math.log(y[t[0] === 1 ? 0 : 1]);
      }
      return sum;
    };
    const before = loss();
    for (let epoch = 0; epoch < 60; epoch++) {
      for (let k = 0; k < 12; k++) {
        const { x, t } = sample(k);
        net.zeroGradients();
        net.activate(x);
        net.backward(t, { cost: cost.CROSS_ENTROPY });
        for (const p of net.parameters()) for (let i = 0; i < p.value.length; i++) p.value[i] -= 0.2 * p.gradient[i];
      }
    }
    expect(loss()).toBeLessThan(before * 0.5);
  });

  it('a bad spec names the layer and builds nothing', () => {
    const bad: Array<[unknown, RegExp]> = [
      [
        [
          { type: 'input', fieldSize: [8, 8] },
          { type: 'convolution', featureMap: { size: [9, 9], k: 1 } },
        ],
        /layer 1 \(convolution\): the 9×9 kernel is larger than the 8×8 field/,
      ],
      [
        [
          { type: 'input', fieldSize: [28, 28] },
          { type: 'convolution', featureMap: { size: [9, 9], k: 3 }, pool: { kind: 'max', size: [3, 3] } },
        ],
        /layer 1 \(convolution\): 3×3 pools do not tile the 20×20 maps/,
      ],
      [
        [
          { type: 'input', fieldSize: [8, 8] },
          { type: 'convolution', featureMap: { size: [3, 3], k: 0 } },
        ],
        /layer 1 \(convolution\): featureMap.k/,
      ],
      [
        [
          { type: 'input', fieldSize: [8, 8] },
          { type: 'pooling', n: 3 },
        ],
        /layer 1 \("pooling"\)|layer 1 \(pooling\): unknown layer type/,
      ],
      [
        [
          { type: 'input', fieldSize: [8, 8] },
          { type: 'fully-connected', n: 3, squash: 'SOFTMAX' },
          { type: 'fully-connected', n: 2 },
        ],
        /layer 1 \(fully-connected\): SOFTMAX goes on the last layer only/,
      ],
      [
        [
          { type: 'input', fieldSize: [8, 8] },
          { type: 'fully-connected', n: 3 },
          { type: 'convolution', featureMap: { size: [2, 2], k: 1 } },
        ],
        /layer 2 \(convolution\): a convolution needs a shaped layer/,
      ],
      [
        [
          { type: 'input', fieldSize: [8, 8] },
          { type: 'fully-connected', n: 3, squash: 'SWISH' },
        ],
        /layer 1 \(fully-connected\): unknown squash "SWISH"/,
      ],
      [
        [
          { type: 'convolution', featureMap: { size: [2, 2], k: 1 } },
          { type: 'fully-connected', n: 1 },
        ],
        /layer 0 \(convolution\): the first layer must be/,
      ],
    ];
    for (const [spec, message] of bad) {
      let error: unknown;
      try {
        new Convolutional(spec as ConvolutionalLayerSpec[]);
      } catch (e) {
        error = e;
      }
      expect(error, String(message)).toBeInstanceOf(SynapticError);
      expect(String((error as Error).message)).toMatch(message);
    }
  });

  it('round-trips through JSON with shared kernels', () => {
    const net = new Convolutional(seed003, { seed: 5 });
    const copy = Network.fromJSON(JSON.stringify(net.toJSON()));
    expect(copy.parameters().length).toBe(net.parameters().length);
    const x = Array.from({ length: 784 }, (_, i) => (i % 17) / 17);
    expect(copy.activate(x)).toEqual(net.activate(x));
    expect(copy.layers.hidden[0]).toBeInstanceOf(Layer);
  });
});

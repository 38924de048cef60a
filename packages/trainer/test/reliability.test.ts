/** Issue 11: the trainer's findings (5, and 13's failed train() and its NaN rollback). */
import { InvalidArgumentError, Layer, mulberry32, Network, Neuron, setRandom } from '@synaptic/core';
import { describe, expect, it } from 'vitest';
import { Trainer, TrainingDivergedError } from '@synaptic/trainer';

function xorNet(seed: number): Network {
  setRandom(mulberry32(seed));
  const input = new Layer(2);
  const hidden = new Layer(3);
  const output = new Layer(1);
  input.project(hidden);
  hidden.project(output);
  setRandom(Math.random);
  return new Network({ input, hidden: [hidden], output });
}

const XOR = [
  { input: [0, 0], output: [0] },
  { input: [0, 1], output: [1] },
  { input: [1, 0], output: [1] },
  { input: [1, 1], output: [0] },
];

const snapshot = (net: Network) => JSON.stringify(net.toJSON());

describe('finding 13: a train() that fails mid-run leaves the network as it was', () => {
  const failures: Array<[string, Record<string, unknown>]> = [
    ['a rate function returning NaN at iteration 5', { rate: (i: number) => (i === 5 ? Number.NaN : 0.3) }],
    [
      'a throwing schedule',
      {
        schedule: {
          every: 3,
          do: () => {
            throw new Error('schedule failed');
          },
        },
      },
    ],
    [
      'a throwing onProgress',
      {
        progressEvery: 2,
        onProgress: () => {
          throw new Error('progress failed');
        },
      },
    ],
    [
      'a throwing cost',
      {
        cost: (t: number[], y: number[]) => {
          if (y[0] > 0 && t.length > 5) return 0;
          throw new Error('cost failed');
        },
      },
    ],
    ['a random out of range', { shuffle: true, random: (() => { let n = 0; return () => (n++ < 10 ? 0.5 : 2); })() }],
  ];
  for (const [what, options] of failures) {
    it(`${what}: the error reaches the caller and the weights are untouched`, () => {
      const net = xorNet(1);
      const before = snapshot(net);
      expect(() => new Trainer(net).train(XOR, { iterations: 50, ...options })).toThrow();
      expect(snapshot(net)).toBe(before);
    });
  }

  it('divergence still keeps the iterations before the one at fault, as documented', () => {
    const input = new Layer(1);
    const output = new Layer(1);
    output.set({ squash: Neuron.squash.IDENTITY });
    input.project(output, undefined, 0.5);
    const net = new Network({ input, output });
    expect(() => new Trainer(net).train([{ input: [1000], output: [1] }], { iterations: 100, rate: 1 })).toThrow(
      TrainingDivergedError,
    );
    expect((net.toJSON() as { connections: Array<{ weight: number }> }).connections.every((c) => Number.isFinite(c.weight))).toBe(true);
  });
});

describe('finding 5: trainAsync with a custom squash', () => {
  it('is refused before a worker starts, instead of training LOGISTIC', async () => {
    const net = xorNet(2);
    const custom = (x: number, derivate?: boolean) => (derivate ? 1 - Math.tanh(x) ** 2 : Math.tanh(x));
    net.layers.hidden[0].list[1].squash = custom;
    const before = snapshot(net);
    await expect(new Trainer(net).trainAsync(XOR, { iterations: 10 })).rejects.toThrow(InvalidArgumentError);
    await expect(new Trainer(net).trainAsync(XOR, { iterations: 10 })).rejects.toThrow(/unit 3 has a custom squash/);
    expect(snapshot(net)).toBe(before);
  });
});

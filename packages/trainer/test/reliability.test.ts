/** Issue 11: the trainer's findings (5, and 13's failed train() and its NaN rollback). */
import { InvalidArgumentError, Layer, mulberry32, Network, Neuron, setRandom } from '@synaptic/core';
import { optimize } from '@synaptic/compile';
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

describe('finding 13: a train() that fails mid-run undoes the iteration it left half done', () => {
  // [what fails, the options, how many iterations were complete when it failed, options that
  // reproduce those complete iterations]
  const failures: Array<[string, Record<string, unknown>, number, Record<string, unknown>]> = [
    [
      'a throwing cost (in iteration 1, after a propagation)',
      {
        cost: () => {
          throw new Error('cost failed');
        },
      },
      0,
      {},
    ],
    [
      'a cost that starts throwing in iteration 3',
      {
        cost: (() => {
          let calls = 0;
          return (t: number[], y: number[]) => {
            if (++calls > 9) throw new Error('cost failed');
            return (t[0] - y[0]) ** 2;
          };
        })(),
      },
      2,
      { cost: (t: number[], y: number[]) => (t[0] - y[0]) ** 2 },
    ],
    [
      'a random out of range in the shuffle of iteration 3',
      {
        shuffle: true,
        random: (() => {
          let n = 0;
          return () => (n++ < 10 ? 0.5 : 2);
        })(),
      },
      2,
      { shuffle: true, random: () => 0.5 },
    ],
    [
      'a rate function returning NaN for iteration 5',
      { rate: (i: number) => (i === 5 ? Number.NaN : 0.3) },
      4,
      { rate: 0.3 },
    ],
    [
      'a throwing schedule at iteration 3 (after it completed)',
      {
        schedule: {
          every: 3,
          do: () => {
            throw new Error('schedule failed');
          },
        },
      },
      3,
      {},
    ],
    [
      'a throwing onProgress at iteration 2 (after it completed)',
      {
        progressEvery: 2,
        onProgress: () => {
          throw new Error('progress failed');
        },
      },
      2,
      {},
    ],
  ];
  for (const [what, options, complete, reproduce] of failures) {
    it(`${what}: the error reaches the caller, the network is at the end of iteration ${complete}`, () => {
      const net = xorNet(1);
      const copy = xorNet(1);
      if (complete > 0) new Trainer(copy).train(XOR, { iterations: complete, error: 0, ...reproduce });
      expect(() => new Trainer(net).train(XOR, { iterations: 50, error: 0, ...options })).toThrow();
      expect(snapshot(net)).toBe(snapshot(copy));
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
    expect(
      (net.toJSON() as { connections: Array<{ weight: number }> }).connections.every((c) => Number.isFinite(c.weight)),
    ).toBe(true);
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

describe('finding 13: trainAsync after divergence, interpreted or optimized', () => {
  const workerUrl = new URL('../dist/worker.js', import.meta.url);
  const make = () => {
    setRandom(mulberry32(8));
    const input = new Layer(1);
    const output = new Layer(1);
    output.set({ squash: Neuron.squash.IDENTITY });
    input.project(output);
    setRandom(Math.random);
    return new Network({ input, output });
  };
  it('both leave the network at its last good iteration, as train does', async () => {
    const set = [{ input: [1000], output: [1] }];
    const interpreted = make();
    const optimized = optimize(make());
    const sync = make();
    const errors = await Promise.all(
      [interpreted, optimized].map((net) =>
        new Trainer(net).trainAsync(set, { iterations: 1000, rate: 1, workerUrl }).catch((e: unknown) => e),
      ),
    );
    let syncError: unknown;
    try {
      new Trainer(sync).train(set, { iterations: 1000, rate: 1 });
    } catch (e) {
      syncError = e;
    }
    for (const error of [...errors, syncError]) {
      expect(error).toBeInstanceOf(TrainingDivergedError);
      expect((error as TrainingDivergedError).restored).toBe(true);
      expect((error as TrainingDivergedError).iteration).toBe((syncError as TrainingDivergedError).iteration);
    }
    const weights = (n: Network) => JSON.stringify((n.toJSON() as { connections: unknown }).connections);
    expect(weights(optimized)).toBe(weights(sync));
    expect(weights(interpreted)).toBe(weights(sync));
    expect(weights(sync)).not.toBe(weights(make()));
  });
});

/**
 * 1.x's learning tests, seeded: gates from a two-layer network, XOR from a 2-3-1 perceptron and a
 * sine from a 1-12-1 perceptron (also with cross-validation). Weights come from
 * `setRandom(mulberry32(seed))`, shuffles and samples from seeds too, so every run is the same.
 */
import { mulberry32, setRandom } from '@synaptic/core';
import { afterEach, describe, expect, it } from 'vitest';
import { Trainer } from '@synaptic/trainer';
import { perceptron, twoLayer } from './support/lstm.js';

afterEach(() => setRandom());

function seeded<T>(seed: number, make: () => T): T {
  setRandom(mulberry32(seed));
  try {
    return make();
  } finally {
    setRandom();
  }
}

const round = (xs: number[]) => xs.map((x) => Math.round(x));

describe('gates from a two-layer network (1.x: "Basic Neural Network")', () => {
  const gates: Array<[string, number, Array<[number[], number]>]> = [
    [
      'AND',
      2,
      [
        [[0, 0], 0],
        [[0, 1], 0],
        [[1, 0], 0],
        [[1, 1], 1],
      ],
    ],
    [
      'OR',
      2,
      [
        [[0, 0], 0],
        [[0, 1], 1],
        [[1, 0], 1],
        [[1, 1], 1],
      ],
    ],
    [
      'NOT',
      1,
      [
        [[0], 1],
        [[1], 0],
      ],
    ],
  ];
  it.each(gates)('%s', (_, inputs, table) => {
    const network = seeded(1, () => twoLayer(inputs, 1));
    const set = table.map(([input, output]) => ({ input, output: [output] }));
    const result = new Trainer(network).train(set, { iterations: 1000, error: 0.001 });
    expect(result.iterations).toBeLessThanOrEqual(1000);
    for (const [input, output] of table) expect(round(network.activate(input))).toEqual([output]);
  });
});

describe('XOR from Perceptron(2, 3, 1) (1.x: "Perceptron - XOR")', () => {
  it('reaches 1.x’s default error of 0.005 with XOR()', () => {
    const network = seeded(2, () => perceptron(2, [3], 1));
    const result = new Trainer(network).XOR({ seed: 1 });
    expect(result.error).toBeLessThanOrEqual(0.005);
    expect(result.iterations).toBeLessThan(100000);
    expect(network.activate([0, 0])[0]).toBeLessThanOrEqual(0.49);
    expect(network.activate([0, 1])[0]).toBeGreaterThanOrEqual(0.51);
    expect(network.activate([1, 0])[0]).toBeGreaterThanOrEqual(0.51);
    expect(network.activate([1, 1])[0]).toBeLessThanOrEqual(0.49);
  });
});

describe('(sin(x) + 1) / 2 from Perceptron(1, 12, 1), on 200 samples (1.x’s 800: learns-basics.slow.test.ts)', () => {
  const mySin = (x: number) => (Math.sin(x) + 1) / 2;
  const random = mulberry32(4);
  const set = Array.from({ length: 200 }, () => {
    const x = random() * Math.PI * 2;
    return { input: [x], output: [mySin(x)] };
  });
  const grid = Array.from({ length: 50 }, (_, k) => (k / 50) * 2 * Math.PI);
  const worst = (network: ReturnType<typeof perceptron>) =>
    Math.max(...grid.map((x) => Math.abs(network.activate([x])[0] - mySin(x))));

  it('to an MSE of 0.001, within 0.1 of the curve everywhere on [0, 2π)', () => {
    const network = seeded(3, () => perceptron(1, [12], 1));
    const before = new Trainer(network).test(set, { cost: Trainer.cost.MSE }).error;
    const result = new Trainer(network).train(set, {
      iterations: 1000,
      log: false,
      error: 1e-6,
      cost: Trainer.cost.MSE,
    });
    expect(before).toBeGreaterThan(0.01);
    expect(result.error).toBeLessThanOrEqual(0.001);
    expect(worst(network)).toBeLessThanOrEqual(0.1);
  });
});

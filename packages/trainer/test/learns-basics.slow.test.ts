/**
 * 1.x's sine tests at their own size, seeded: (sin(x) + 1) / 2 from a 1-12-1 perceptron on 800
 * samples for 2000 iterations, also with cross-validation (a smaller run: learns-basics.test.ts).
 */
import { mulberry32, setRandom } from '@synaptic/core';
import { afterEach, describe, expect, it } from 'vitest';
import { Trainer } from '@synaptic/trainer';
import { perceptron } from './support/lstm.js';

afterEach(() => setRandom());

function seeded<T>(seed: number, make: () => T): T {
  setRandom(mulberry32(seed));
  try {
    return make();
  } finally {
    setRandom();
  }
}

describe('(sin(x) + 1) / 2 from Perceptron(1, 12, 1) (1.x: "Perceptron - SIN")', () => {
  const mySin = (x: number) => (Math.sin(x) + 1) / 2;
  const sinSet = (seed: number) => {
    const random = mulberry32(seed);
    return Array.from({ length: 800 }, () => {
      const x = random() * Math.PI * 2;
      return { input: [x], output: [mySin(x)] };
    });
  };

  it('to an MSE of 0.001', () => {
    const network = seeded(3, () => perceptron(1, [12], 1));
    const result = new Trainer(network).train(sinSet(4), {
      iterations: 2000,
      log: false,
      error: 1e-6,
      cost: Trainer.cost.MSE,
    });
    expect(result.error).toBeLessThanOrEqual(0.001);
    for (const x of [0, 0.5 * Math.PI, 2])
      expect(Math.abs(network.activate([x])[0] - mySin(x))).toBeLessThanOrEqual(0.15);
  });

  it('with cross-validation (1.x: "Perceptron - SIN - CrossValidate")', () => {
    const network = seeded(5, () => perceptron(1, [12], 1));
    const result = new Trainer(network).train(sinSet(6), {
      iterations: 2000,
      log: false,
      error: 1e-6,
      cost: Trainer.cost.MSE,
      crossValidate: { testSize: 0.3, testError: 1e-6 },
    });
    expect(result.error).toBeLessThanOrEqual(0.001);
    for (const x of [0, 0.5 * Math.PI, 2])
      expect(Math.abs(network.activate([x])[0] - mySin(x))).toBeLessThanOrEqual(0.035);
  });
});

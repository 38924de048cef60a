import { Perceptron } from '@synaptic/architect';
import { mulberry32, setRandom } from '@synaptic/core';
import { cost, OPTIMIZER_NAMES } from '@synaptic/trainer';
import { expect, it } from 'vitest';
import { gradientOptions, type Job } from '../src/lib/session.js';
import { measureFor, OPTIMIZERS, optimizerOption, setOutput, softmaxProblem } from '../src/lib/training.js';

it('offers 1.x and optimizers the trainer knows by name', () => {
  expect(OPTIMIZERS[0]).toBe('1.x');
  for (const name of OPTIMIZERS.slice(1)) expect(OPTIMIZER_NAMES).toContain(name);
  expect(optimizerOption('1.x')).toBeNull();
  expect(optimizerOption('adam')).toBe('adam');
});

it("keeps 1.x's path unless an optimizer or a batch above 1 is chosen", () => {
  const job = { optimizer: null, batchSize: 1 } as Job;
  expect(gradientOptions(job)).toEqual({});
  expect(gradientOptions({ ...job, batchSize: 8 })).toEqual({ batchSize: 8 });
  expect(gradientOptions({ ...job, optimizer: 'adamw' })).toEqual({ optimizer: 'adamw' });
});

it('measures a softmax output with the categorical cross-entropy, other outputs with the cost', () => {
  setRandom(mulberry32(3));
  const logistic = new Perceptron(2, 3, 2);
  expect(measureFor(logistic, cost.CROSS_ENTROPY)).toBe(cost.CROSS_ENTROPY);
  const softmax = new Perceptron(2, 3, 2);
  setOutput(softmax, 'SOFTMAX');
  const y = softmax.activate([0.2, 0.9]);
  expect(y[0] + y[1]).toBeCloseTo(1, 12);
  expect(measureFor(softmax, cost.CROSS_ENTROPY)([0, 1], y)).toBeCloseTo(-Math.log(y[1]), 12);
  expect(measureFor(softmax, cost.MSE)).toBe(cost.MSE);
});

it('refuses a softmax on one output unit or on targets that are not classes', () => {
  expect(softmaxProblem([{ input: [0], output: [1] }])).toContain('at least two output units');
  expect(
    softmaxProblem([
      { input: [0], output: [0, 1] },
      { input: [1], output: [0.5, 0.2] },
    ]),
  ).toContain("row 2's targets are 0.5, 0.2");
  expect(
    softmaxProblem([
      { input: [0], output: [0, 1] },
      { input: [1], output: [1, 0] },
    ]),
  ).toBeNull();
});

/** `train(set, { batchExecutor })`: mini-batches as matrix products give the per-sample path's training. */
import { compileBatch } from '@synaptic/compile';
import { AveragePool, Convolution, cost, Layer, MaxPool, mulberry32, Network, Neuron, setRandom } from '@synaptic/core';
import { InvalidOptionError, Trainer } from '@synaptic/trainer';
import { describe, expect, it } from 'vitest';

function net(softmax: boolean): Network {
  setRandom(mulberry32(5));
  const input = new Layer(4);
  const hidden = new Layer(6).set({ squash: Neuron.squash.TANH });
  const output = new Layer(3);
  input.project(hidden);
  hidden.project(output);
  if (softmax) output.set({ squash: Neuron.squash.SOFTMAX });
  setRandom(Math.random);
  return new Network({ input, hidden: [hidden], output });
}

const random = mulberry32(9);
const set = Array.from({ length: 45 }, () => {
  const input = Array.from({ length: 4 }, () => random());
  const k = input[0] + input[1] > input[2] + input[3] ? 0 : input[0] > 0.5 ? 1 : 2;
  return { input, output: [0, 1, 2].map((c) => (c === k ? 1 : 0)) };
});

describe('train with a batchExecutor (compileBatch)', () => {
  it.each([
    ['softmax + cross-entropy + Adam', true],
    ['logistic + MSE + Adam', false],
  ])('%s: the same weights as sample by sample, within 1e-9', (_, softmax) => {
    const options = {
      optimizer: 'adam' as const,
      rate: 0.01,
      batchSize: 8,
      epochs: 5,
      shuffle: true,
      seed: 3,
      cost: softmax ? cost.CROSS_ENTROPY : cost.MSE,
      metrics: ['accuracy' as const],
    };
    const a = net(softmax);
    const b = net(softmax);
    const ra = new Trainer(a).train(set, options);
    const rb = new Trainer(b).train(set, { ...options, batchExecutor: compileBatch(b, { batchSize: 8 }) });
    const wa = a.parameters().flatMap((p) => Array.from(p.value));
    const wb = b.parameters().flatMap((p) => Array.from(p.value));
    wa.forEach((w, e) => expect(Math.abs(w - wb[e])).toBeLessThan(1e-9));
    expect(rb.history?.length).toBe(5);
    ra.history!.forEach((h, i) => {
      expect(Math.abs(h.loss - rb.history![i].loss)).toBeLessThan(1e-9);
      expect(h.metrics.accuracy).toBe(rb.history![i].metrics.accuracy);
    });
  });

  it.each([
    ['max', MaxPool],
    ['average', AveragePool],
  ])('a convolutional net (%s pool, padding, 2 maps): the same weights as sample by sample, within 1e-9', (_, Pool) => {
    const conv = (): Network => {
      setRandom(mulberry32(11));
      const input = Layer.shaped(2, 2, 1);
      const maps = Layer.shaped(2, 2, 2).set({ squash: Neuron.squash.TANH });
      new Convolution(input, maps, { kernel: [3, 3], padding: 1 });
      const pooled = Layer.shaped(1, 1, 2).set({ squash: Neuron.squash.IDENTITY });
      new Pool(maps, pooled, { size: [2, 2] });
      const output = new Layer(3).set({ squash: Neuron.squash.SOFTMAX });
      pooled.project(output);
      setRandom(Math.random);
      return new Network({ input, hidden: [maps, pooled], output });
    };
    const options = {
      optimizer: 'adam' as const,
      rate: 0.01,
      batchSize: 8,
      epochs: 4,
      seed: 3,
      cost: cost.CROSS_ENTROPY,
    };
    const a = conv();
    const b = conv();
    const ra = new Trainer(a).train(set, options);
    const rb = new Trainer(b).train(set, { ...options, batchExecutor: compileBatch(b, { batchSize: 8 }) });
    const wa = a.parameters().flatMap((p) => Array.from(p.value));
    const wb = b.parameters().flatMap((p) => Array.from(p.value));
    expect(wa.length).toBe(wb.length);
    wa.forEach((w, e) => expect(Math.abs(w - wb[e])).toBeLessThan(1e-9));
    ra.history!.forEach((h, i) => expect(Math.abs(h.loss - rb.history![i].loss)).toBeLessThan(1e-9));
  });

  it('refuses what it cannot run, changing nothing', () => {
    const b = net(false);
    const before = JSON.stringify(b.toJSON());
    const batch = compileBatch(b, { batchSize: 4 });
    const trainer = new Trainer(b);
    expect(() => trainer.train(set, { batchSize: 8, epochs: 1, batchExecutor: batch })).toThrow(/runs 4 at most/);
    expect(() => trainer.train(set, { batchSize: 4, epochs: 1, dropout: 0.2, batchExecutor: batch })).toThrow(
      InvalidOptionError,
    );
    expect(() => trainer.train(set, { batchSize: 4, epochs: 1, batchExecutor: {} as never })).toThrow(/batch executor/);
    expect(JSON.stringify(b.toJSON())).toBe(before);
    return expect(trainer.trainAsync(set, { batchSize: 4, batchExecutor: batch } as never)).rejects.toThrow(
      /cannot be sent to the worker/,
    );
  });
});

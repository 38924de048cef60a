/**
 * The gradient path of `train`, on a stand-in network with Engine 2's API (logistic regression,
 * test/support/logistic.ts), so that the loop itself is checked against hand computations.
 */
import { mulberry32 } from '@synaptic/core';
import {
  Adam,
  IncompatibleNetworkError,
  InvalidOptionError,
  LBFGS,
  SGD,
  scheduledRate,
  Trainer,
  type EpochEntry,
} from '@synaptic/trainer';
import { describe, expect, it } from 'vitest';
import { Logistic, separable } from '../support/logistic.js';

const set = separable(40, 3, mulberry32(1));

/** Per-sample MSE gradients by hand, averaged over `samples`, at the network's current values. */
function meanGradient(net: Logistic, samples: typeof set): Float64Array[] {
  net.zeroGradients();
  for (const s of samples) {
    net.activate(s.input);
    net.backward(s.output);
  }
  return net.parameters().map((p) => p.gradient.map((g) => g / samples.length));
}

describe('mini-batches', () => {
  it('one epoch with batchSize = the set is one step of gradient descent on the mean gradient', () => {
    const net = new Logistic(3, 1);
    const byHand = new Logistic(3, 1);
    const g = meanGradient(byHand, set);
    byHand.parameters().forEach((p, i) => p.value.forEach((v, k) => (p.value[k] = v - 0.5 * g[i][k])));
    new Trainer(net).train(set, { optimizer: new SGD({ rate: 0.5 }), batchSize: set.length, epochs: 1 });
    net
      .parameters()
      .forEach((p, i) => p.value.forEach((v, k) => expect(v).toBeCloseTo(byHand.parameters()[i].value[k], 14)));
  });

  it('batches of 7 step after every 7 samples, the last batch smaller (40 = 5·7 + 5)', () => {
    const net = new Logistic(3, 1);
    const batches: number[] = [];
    new Trainer(net).train(set, {
      optimizer: 'sgd',
      batchSize: 7,
      epochs: 2,
      onBatchEnd: ({ batch, batches: n }) => void batches.push(batch, n),
    });
    expect(batches).toEqual([1, 6, 2, 6, 3, 6, 4, 6, 5, 6, 6, 6, 1, 6, 2, 6, 3, 6, 4, 6, 5, 6, 6, 6]);
    const byHand = new Logistic(3, 1);
    for (let e = 0; e < 2; e++) {
      for (let from = 0; from < set.length; from += 7) {
        const g = meanGradient(byHand, set.slice(from, from + 7));
        byHand.parameters().forEach((p, i) => p.value.forEach((v, k) => (p.value[k] = v - 0.2 * g[i][k])));
      }
    }
    net
      .parameters()
      .forEach((p, i) => p.value.forEach((v, k) => expect(v).toBeCloseTo(byHand.parameters()[i].value[k], 13)));
  });

  it('never calls propagate (1.x’s rule) and learns the separable set with Adam', () => {
    const net = new Logistic(3, 1);
    const result = new Trainer(net).train(set, {
      optimizer: new Adam({ rate: 0.1 }),
      batchSize: 4,
      epochs: 40,
      shuffle: true,
      seed: 3,
      metrics: ['accuracy'],
    });
    expect(result.history).toHaveLength(40);
    expect(result.history![39].metrics.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(result.history![39].loss).toBeLessThan(result.history![0].loss / 3);
    expect(result.iterations).toBe(40);
    expect(result.error).toBe(result.history![39].loss);
  });
});

describe('history, validation, callbacks', () => {
  it('one entry per epoch: loss, validation loss and accuracy, rate, time', () => {
    const result = new Trainer(new Logistic(3, 1)).train(set, {
      optimizer: 'adam',
      rate: 0.05,
      epochs: 3,
      validation: 0.25,
      metrics: ['accuracy'],
    });
    expect(result.history).toHaveLength(3);
    for (const [i, entry] of result.history!.entries()) {
      expect(entry.epoch).toBe(i + 1);
      expect(entry.rate).toBe(0.05);
      expect(entry.time).toBeGreaterThanOrEqual(0);
      expect(entry.metrics.accuracy).toBeGreaterThanOrEqual(0);
      expect(entry.validationMetrics?.accuracy).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(entry.validationLoss)).toBe(true);
    }
    expect(result.error).toBe(result.history![2].validationLoss);
  });

  it('validation as a fraction holds out the end of the set (10 of 40 here) from training', () => {
    const net = new Logistic(3, 1);
    new Trainer(net).train(set, { optimizer: 'sgd', batchSize: 100, epochs: 1, validation: 0.25 });
    const byHand = new Logistic(3, 1);
    const g = meanGradient(byHand, set.slice(0, 30));
    byHand.parameters().forEach((p, i) => p.value.forEach((v, k) => (p.value[k] = v - 0.2 * g[i][k])));
    expect(Array.from(net.weights.value)).toEqual(Array.from(byHand.weights.value));
  });

  it('onEpochEnd and onBatchEnd returning true stop the training', () => {
    const byEpoch = new Trainer(new Logistic(3, 1)).train(set, {
      optimizer: 'sgd',
      epochs: 10,
      onEpochEnd: (e) => e.epoch === 3,
    });
    expect([byEpoch.iterations, byEpoch.history!.length, byEpoch.stopped]).toEqual([3, 3, 'callback']);
    let batches = 0;
    const byBatch = new Trainer(new Logistic(3, 1)).train(set, {
      optimizer: 'sgd',
      epochs: 10,
      batchSize: 10,
      onBatchEnd: () => ++batches === 6,
    });
    expect([batches, byBatch.iterations, byBatch.stopped]).toEqual([6, 2, 'callback']);
  });

  it('early stopping restores the weights of the best epoch', () => {
    // validation labels are the opposite of the training labels: its loss rises as training learns
    const validation = set.slice(0, 20).map((s) => ({ input: s.input, output: [1 - s.output[0]] }));
    const net = new Logistic(3, 1, 0);
    const weights: number[][] = [];
    const result = new Trainer(net).train(set, {
      optimizer: new Adam({ rate: 0.05 }),
      epochs: 50,
      validation,
      earlyStopping: { patience: 2 },
      onEpochEnd: () => void weights.push([...net.weights.value, ...net.bias.value]),
    });
    expect(result.stopped).toBe('early-stopping');
    const losses = result.history!.map((e) => e.validationLoss!);
    const best = losses.indexOf(Math.min(...losses)) + 1;
    expect(result.bestEpoch).toBe(best);
    expect(result.iterations).toBe(best + 3);
    expect(result.error).toBe(losses[best - 1]);
    expect([...net.weights.value, ...net.bias.value]).toEqual(weights[best - 1]);
    expect(weights[weights.length - 1]).not.toEqual(weights[best - 1]);
  });

  it("keeps 1.x's schedule { every, do } and onProgress, per epoch", () => {
    const seen: number[] = [];
    const progress: number[] = [];
    new Trainer(new Logistic(3, 1)).train(set, {
      optimizer: 'sgd',
      epochs: 6,
      schedule: { every: 2, do: (d) => void seen.push(d.iterations) },
      onProgress: (p) => progress.push(p.iterations),
      progressEvery: 3,
    });
    expect(seen).toEqual([2, 4, 6]);
    expect(progress).toEqual([3, 6]);
  });
});

describe('rates, penalties, clipping', () => {
  it('a rate schedule with warmup sets each step’s rate (history holds the epoch’s last)', () => {
    const schedule = { type: 'cosine', warmup: 1 } as const;
    const rates: number[] = [];
    const result = new Trainer(new Logistic(3, 1)).train(set, {
      optimizer: new SGD({ rate: 0.3 }),
      batchSize: 10,
      epochs: 4,
      schedule,
      onBatchEnd: (b) => void rates.push(b.rate),
    });
    [0.075, 0.15, 0.225, 0.3].forEach((r, i) => expect(rates[i]).toBeCloseTo(r, 15));
    rates.forEach((r, i) => expect(r).toBe(scheduledRate(schedule, 0.3, (i + 1) / 4, 4)));
    expect(result.history!.map((e: EpochEntry) => e.rate)).toEqual([0.3, rates[7], rates[11], rates[15]]);
    expect(rates[15]).toBe(0);
  });

  it('an optimizer keeps its own rate across calls: a schedule does not compound', () => {
    const sgd = new SGD({ rate: 0.3 });
    const trainer = new Trainer(new Logistic(3, 1));
    const first: number[] = [];
    const second: number[] = [];
    const schedule = { type: 'exponential', factor: 0.5 } as const;
    trainer.train(set, { optimizer: sgd, epochs: 2, schedule, onEpochEnd: (e) => void first.push(e.rate) });
    expect(sgd.rate).toBe(0.3);
    trainer.train(set, { optimizer: sgd, epochs: 2, schedule, onEpochEnd: (e) => void second.push(e.rate) });
    expect(second).toEqual(first);
    expect(first).toEqual([0.3, 0.15]);
  });

  it('l2 shrinks the weights: the same run with l2 ends with a smaller norm', () => {
    const norm = (l2: number) => {
      const net = new Logistic(3, 1);
      new Trainer(net).train(set, { optimizer: 'adam', rate: 0.05, epochs: 30, l2 });
      return Math.hypot(...net.weights.value);
    };
    expect(norm(0.05)).toBeLessThan(norm(0) * 0.8);
  });

  it('l1 and l2 add their gradient before the step (one full batch of SGD by hand)', () => {
    const net = new Logistic(3, 1);
    new Trainer(net).train(set, { optimizer: new SGD({ rate: 0.5 }), batchSize: 40, epochs: 1, l1: 0.01, l2: 0.1 });
    const byHand = new Logistic(3, 1);
    const g = meanGradient(byHand, set);
    byHand
      .parameters()
      .forEach((p, i) => p.value.forEach((v, k) => (p.value[k] = v - 0.5 * (g[i][k] + 0.01 * Math.sign(v) + 0.1 * v))));
    net
      .parameters()
      .forEach((p, i) => p.value.forEach((v, k) => expect(v).toBeCloseTo(byHand.parameters()[i].value[k], 14)));
  });

  it('clip { value } bounds every step of SGD to rate·value', () => {
    const net = new Logistic(3, 1, 0);
    let before = [...net.weights.value];
    new Trainer(net).train(set, {
      optimizer: new SGD({ rate: 1 }),
      epochs: 1,
      clip: { value: 1e-3 },
      onBatchEnd: () => {
        net.weights.value.forEach((v, k) => expect(Math.abs(v - before[k])).toBeLessThanOrEqual(1e-3 + 1e-15));
        before = [...net.weights.value];
      },
    });
  });
});

describe('LBFGS, determinism, sequences, errors', () => {
  it('LBFGS takes the whole set each epoch, re-evaluating at every trial point', () => {
    const net = new Logistic(3, 1);
    const lbfgs = new LBFGS({ maxIterations: 10 });
    const sgd = new Trainer(new Logistic(3, 1)).train(set, {
      optimizer: new SGD({ rate: 0.5 }),
      batchSize: 40,
      epochs: 5,
    });
    const result = new Trainer(net).train(set, { optimizer: lbfgs, epochs: 5 });
    expect(lbfgs.evaluations).toBeGreaterThan(5);
    expect(net.backwardCalls).toBe(lbfgs.evaluations * set.length);
    expect(result.error).toBeLessThan(sgd.error / 2);
  });

  it('the same seed gives the same run bit for bit; another seed another run', () => {
    const run = (seed: number) => {
      const net = new Logistic(3, 1);
      const r = new Trainer(net).train(set, { optimizer: 'adam', batchSize: 5, epochs: 5, shuffle: true, seed });
      return { w: Array.from(net.weights.value), losses: r.history!.map((e) => e.loss) };
    };
    expect(run(9)).toEqual(run(9));
    expect(run(9).w).not.toEqual(run(10).w);
  });

  it('a sequence sample clears the network (states too) and steps through it', () => {
    const net = new Logistic(3, 1);
    const clears: unknown[] = [];
    Object.assign(net, { clear: (o: unknown) => clears.push(o) });
    const sequence = {
      input: [set[0].input, set[1].input, set[2].input],
      output: [set[0].output, set[1].output, set[2].output],
    };
    const result = new Trainer(net).train([sequence, set[3]], { optimizer: 'sgd', epochs: 2, batchSize: 2 });
    expect(clears).toEqual([{ states: true }, { states: true }]);
    expect(net.backwardCalls).toBe(8);
    expect(result.history).toHaveLength(2);
  });

  it('bad options and unfit networks are refused before anything trains', () => {
    const net = new Logistic(3, 1);
    const before = Array.from(net.weights.value);
    const t = new Trainer(net);
    expect(() => t.train(set, { optimizer: 'adamax' as never })).toThrow(InvalidOptionError);
    expect(() => t.train(set, { optimizer: 'sgd', epochs: 3, iterations: 4 })).toThrow(/same thing/);
    expect(() => t.train(set, { optimizer: 'lbfgs', clip: { norm: 1 } })).toThrow(/clip/);
    expect(() => t.train(set, { validation: 0.001 })).toThrow(/validation/);
    expect(() => t.train(set, { earlyStopping: { patience: -1 } })).toThrow(/earlyStopping.patience/);
    expect(() => t.train(set, { metrics: ['f1' as never] })).toThrow(/metrics\[0\]/);
    expect(() => t.train(set, { dropout: 0.5 })).toThrow(/dropout.*layered network/);
    expect(() => t.train([{ input: [[1, 2, 3]], output: [1] }] as never, { optimizer: 'sgd' })).toThrow(
      /set\[0\].output/,
    );
    expect(Array.from(net.weights.value)).toEqual(before);
    const old = { activate: () => [0], propagate() {}, inputs: () => 3, outputs: () => 1 };
    expect(() => new Trainer(old).train(set, { optimizer: 'adam' })).toThrow(IncompatibleNetworkError);
  });
});

import { optimize } from '@synaptic/compile';
import { ContinuousTransformer, Transformer, TransformerBlock } from '@synaptic/architect';
import {
  cost,
  InvalidArgumentError,
  InvalidTokenError,
  mulberry32,
  NonFiniteError,
  Network,
  setRandom,
  type CostFunction,
} from '@synaptic/core';
import { Adam, Trainer } from '@synaptic/trainer';
import { describe, expect, it } from 'vitest';
import { oneHotRows, reverse, sequenceSet, tokenAccuracy } from './tasks.js';

function seeded<T>(seed: number, build: () => T): T {
  setRandom(mulberry32(seed));
  try {
    return build();
  } finally {
    setRandom();
  }
}

const small = { length: 3, vocabSize: 4, dModel: 4, heads: 2, ff: 3, blocks: 2, classes: 3 };

/** E as `backward` defines it: categorical per position on the softmax output, else the cost. */
function energy(net: Network, input: number[], target: number[], costFn: CostFunction): number {
  const y = net.activate(input);
  return costFn === cost.CROSS_ENTROPY
    ? -target.reduce((s, t, k) => s + t * Math.log(y[k] + 1e-15), 0)
    : costFn(target, y);
}

/** The worst |fd − g| / (1e-6 (|g| + |fd|) + 1e-9) over every parameter entry: at most 1 passes. */
function worstRatio(net: Network, input: number[], target: number[], costFn: CostFunction): number {
  net.zeroGradients();
  net.activate(input);
  net.backward(target, { cost: costFn });
  let worst = 0;
  for (const p of net.parameters()) {
    for (let i = 0; i < p.value.length; i++) {
      if (p.fixed?.[i]) continue;
      const v = p.value[i];
      p.value[i] = v + 1e-6;
      const plus = energy(net, input, target, costFn);
      p.value[i] = v - 1e-6;
      const minus = energy(net, input, target, costFn);
      p.value[i] = v;
      const fd = (plus - minus) / 2e-6;
      worst = Math.max(worst, Math.abs(fd - p.gradient[i]) / (1e-6 * (Math.abs(fd) + Math.abs(p.gradient[i])) + 1e-9));
    }
  }
  return worst;
}

describe('Transformer (token classification)', () => {
  it('returns length × classes probabilities, a softmax per position', () => {
    const net = seeded(1, () => new Transformer(small));
    expect(net.inputs()).toBe(3);
    expect(net.outputs()).toBe(9);
    const y = net.activate([0, 3, 1]);
    for (let p = 0; p < 3; p++) expect(Math.abs(y[p * 3] + y[p * 3 + 1] + y[p * 3 + 2] - 1)).toBeLessThan(1e-12);
  });

  it('lists embedding, positions, every projection, LayerNorm γ and β as parameters', () => {
    const net = seeded(1, () => new Transformer(small));
    const names = net.parameters().map((p) => p.name);
    expect(names.filter((n) => n.endsWith('.table'))).toHaveLength(1);
    expect(names.filter((n) => n.endsWith('.positions'))).toHaveLength(1);
    expect(names.filter((n) => n.endsWith('.gamma'))).toHaveLength(4);
    expect(names.filter((n) => n.endsWith('.kernel')).length).toBe(2 * 6 + 1);
    const sinusoidal = seeded(1, () => new Transformer({ ...small, positions: 'sinusoidal' }));
    expect(sinusoidal.parameters().some((p) => p.name.endsWith('.positions'))).toBe(false);
  });

  it('backward equals central finite differences (bidirectional, causal, sinusoidal positions)', () => {
    for (const options of [
      small,
      { ...small, causal: true },
      { ...small, positions: 'sinusoidal' as const, blocks: 1 },
    ]) {
      const net = seeded(2, () => new Transformer(options));
      expect(worstRatio(net, [2, 0, 3], oneHotRows([1, 2, 0], 3), cost.CROSS_ENTROPY)).toBeLessThan(1);
    }
  });

  it('attentionWeights() is [block][head] length × length, rows summing to 1', () => {
    const net = seeded(3, () => new Transformer({ ...small, causal: true }));
    net.activate([1, 2, 3]);
    const weights = net.attentionWeights();
    expect(weights.length).toBe(2);
    for (const block of weights) {
      expect(block.length).toBe(2);
      for (const head of block) {
        expect(head.length).toBe(3);
        head.forEach((row, i) => {
          expect(Math.abs(row.reduce((s, a) => s + a, 0) - 1)).toBeLessThan(1e-12);
          for (let j = i + 1; j < 3; j++) expect(row[j]).toBe(0);
        });
      }
    }
  });

  it('JSON and clone round trips compute the same (outputs, gradients, attention weights)', () => {
    const net = seeded(4, () => new Transformer(small));
    const input = [3, 1, 1];
    const target = oneHotRows([0, 1, 2], 3);
    const expected = net.activate(input);
    net.zeroGradients();
    net.backward(target, { cost: cost.CROSS_ENTROPY });
    const gradients = net.parameters().map((p) => [...p.gradient]);
    const json = JSON.parse(JSON.stringify(net.toJSON()));
    for (const copy of [Network.fromJSON(json), net.clone()]) {
      expect(copy.activate(input)).toEqual(expected);
      expect(copy.attentionWeights()).toEqual(net.attentionWeights());
      copy.zeroGradients();
      copy.backward(target, { cost: cost.CROSS_ENTROPY });
      expect(copy.parameters().map((p) => [...p.gradient])).toEqual(gradients);
    }
  });

  it('compiled code computes what the interpreter computes: outputs, gradients and online steps', () => {
    const net = seeded(5, () => new Transformer({ ...small, causal: true }));
    const compiled = optimize(net.clone(), { exact: true });
    const random = mulberry32(6);
    for (let step = 0; step < 5; step++) {
      const input = Array.from({ length: 3 }, () => Math.floor(random() * 4));
      const target = oneHotRows(
        reverse(input).map((t) => t % 3),
        3,
      );
      expect(compiled.activate(input)).toEqual(net.activate(input));
      net.zeroGradients();
      compiled.zeroGradients();
      net.backward(target, { cost: cost.CROSS_ENTROPY });
      compiled.backward(target, { cost: cost.CROSS_ENTROPY });
      const a = net.parameters();
      const b = compiled.parameters();
      a.forEach((p, k) => {
        for (let i = 0; i < p.gradient.length; i++)
          expect(Math.abs(b[k].gradient[i] - p.gradient[i])).toBeLessThan(1e-12);
      });
      net.propagate(0.05, target);
      compiled.propagate(0.05, target);
    }
    expect(compiled.executor()).not.toBeNull();
    expect(compiled.attentionWeights()).toEqual(net.attentionWeights());
  });

  it('a propagate that would make a parameter non-finite is undone, interpreted and compiled', () => {
    for (const compiledRun of [false, true]) {
      const built = seeded(16, () => new Transformer(small));
      const net = compiledRun ? optimize(built, { exact: true }) : built;
      net.activate([1, 2, 3]);
      const before = net.parameters().map((p) => [...p.value]);
      expect(() => net.propagate(1e300, oneHotRows([0, 1, 2], 3))).toThrow(NonFiniteError);
      expect(net.parameters().map((p) => [...p.value])).toEqual(before);
    }
  });

  it('draws DOT with the attention, embedding and convolution edges', () => {
    const net = seeded(1, () => new Transformer({ ...small, blocks: 1 }));
    const dot = net.toDot().code;
    expect(dot).toMatch(/attention ×2/);
    expect(dot).toMatch(/embedding 4×4/);
    expect(dot).toMatch(/learned positions/);
  });

  it('refuses bad tokens (InvalidTokenError) and bad options (InvalidArgumentError) naming them', () => {
    const net = seeded(1, () => new Transformer(small));
    const before = net.activate([0, 1, 2]);
    expect(() => net.activate([0, 1, 4])).toThrow(InvalidTokenError);
    expect(() => net.activate([0, 1.5, 2])).toThrow(/token at position 1 must be an integer in 0\.\.3, got 1\.5/);
    expect(net.activate([0, 1, 2])).toEqual(before);
    expect(() => new Transformer({ ...small, heads: 3 })).toThrow(/heads \(3\) must divide dModel \(4\)/);
    expect(() => new Transformer({ ...small, blocks: 0 })).toThrow(InvalidArgumentError);
    expect(() => new Transformer({ ...small, positions: 'rotary' as 'learned' })).toThrow(/positions must be/);
    expect(() => new Transformer({ ...small, depth: 2 } as typeof small)).toThrow(/unknown option "depth"/);
  });

  it('learns to reverse short sequences it never saw (seeded, small)', () => {
    const net = seeded(
      7,
      () => new Transformer({ length: 4, vocabSize: 4, dModel: 8, heads: 2, ff: 16, blocks: 1, classes: 4 }),
    );
    const test = sequenceSet(100, 4, 4, reverse, 70);
    const train = sequenceSet(300, 4, 4, reverse, 71, new Set(test.map((s) => s.input.join())));
    const before = tokenAccuracy((x) => net.activate(x), test, 4);
    new Trainer(net).train(train, {
      optimizer: new Adam({ rate: 0.01 }),
      batchSize: 16,
      cost: cost.CROSS_ENTROPY,
      epochs: 12,
      shuffle: true,
      seed: 1,
    });
    const after = tokenAccuracy((x) => net.activate(x), test, 4);
    expect(before).toBeLessThan(0.5);
    expect(after).toBeGreaterThanOrEqual(0.95);
  });
});

describe('ContinuousTransformer and TransformerBlock', () => {
  const options = { length: 3, inputs: 2, dModel: 4, heads: 2, ff: 3, blocks: 2, outputs: 2 };

  it('reads length × inputs values and gives one output vector; backward equals finite differences', () => {
    const net = seeded(8, () => new ContinuousTransformer(options));
    expect(net.inputs()).toBe(6);
    expect(net.outputs()).toBe(2);
    const input = [0.5, -0.2, 0.1, 0.9, -0.7, 0.3];
    expect(worstRatio(net, input, [0.4, -0.6], cost.MSE)).toBeLessThan(1);
  });

  it('is causal by default (no position attends to a later one) and survives JSON', () => {
    const net = seeded(9, () => new ContinuousTransformer(options));
    net.activate([1, 2, 3, 4, 5, 6]);
    for (const head of net.attentionWeights()[0]) expect(head[0][1] + head[0][2] + head[1][2]).toBe(0);
    const copy = Network.fromJSON(JSON.parse(JSON.stringify(net.toJSON())));
    expect(copy.activate([1, 2, 3, 4, 5, 6])).toEqual(net.activate([1, 2, 3, 4, 5, 6]));
  });

  it('learns a function of the whole sequence (the largest of 4 values) from the last position', () => {
    const net = seeded(
      12,
      () => new ContinuousTransformer({ length: 4, inputs: 1, dModel: 8, heads: 2, ff: 16, blocks: 1, outputs: 1 }),
    );
    const random = mulberry32(13);
    const sample = () => {
      const input = Array.from({ length: 4 }, () => random() * 2 - 1);
      return { input, output: [Math.max(...input)] };
    };
    const set = Array.from({ length: 400 }, sample);
    const test = Array.from({ length: 100 }, sample);
    const mse = () =>
      test.reduce((s, { input, output }) => s + (net.activate(input)[0] - output[0]) ** 2, 0) / test.length;
    const before = mse();
    new Trainer(net).train(set, {
      optimizer: new Adam({ rate: 0.005 }),
      batchSize: 16,
      cost: cost.MSE,
      epochs: 15,
      shuffle: true,
      seed: 2,
    });
    const after = mse();
    expect(after).toBeLessThan(before / 4);
    expect(after).toBeLessThan(0.02);
  });

  it('compiled code computes what the interpreter computes', () => {
    const net = seeded(14, () => new ContinuousTransformer(options));
    const compiled = optimize(net.clone(), { exact: true });
    const random = mulberry32(15);
    for (let step = 0; step < 4; step++) {
      const input = Array.from({ length: 6 }, () => random() * 2 - 1);
      const target = [random(), random()];
      expect(compiled.activate(input)).toEqual(net.activate(input));
      net.zeroGradients();
      compiled.zeroGradients();
      net.backward(target, { cost: cost.MSE });
      compiled.backward(target, { cost: cost.MSE });
      const b = compiled.parameters();
      net.parameters().forEach((p, k) => {
        for (let i = 0; i < p.gradient.length; i++)
          expect(Math.abs(b[k].gradient[i] - p.gradient[i])).toBeLessThan(1e-12);
      });
    }
  });

  it('TransformerBlock: one block from a sequence to a sequence; backward equals finite differences', () => {
    const block = seeded(10, () => new TransformerBlock({ length: 2, dModel: 4, heads: 2, ff: 3 }));
    expect(block.inputs()).toBe(8);
    expect(block.outputs()).toBe(8);
    const random = mulberry32(11);
    const x = Array.from({ length: 8 }, () => random() * 2 - 1);
    const t = Array.from({ length: 8 }, () => random() * 2 - 1);
    expect(worstRatio(block, x, t, cost.MSE)).toBeLessThan(1);
  });
});

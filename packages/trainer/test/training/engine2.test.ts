/**
 * The gradient path on core's Engine 2 networks: softmax with cross-entropy and Adam, dropout
 * (off at inference, and an exact gradient of the thinned network), the perceptron rule on HLIM
 * units, early stopping, sequences, and 1.x's path untouched by the new code.
 */
import { cost, Layer, mulberry32, Network, setRandom, squash } from '@synaptic/core';
import { Adam, argmax, Perceptron, SGD, Trainer, TrainingDivergedError } from '@synaptic/trainer';
import { afterEach, describe, expect, it } from 'vitest';
import { Dropout } from '../../src/dropout.js';

afterEach(() => setRandom());

function mlp(sizes: number[], seed: number, outputSquash = squash.LOGISTIC): Network {
  setRandom(mulberry32(seed));
  const layers = sizes.map((n) => new Layer(n));
  for (let i = 0; i + 1 < layers.length; i++) layers[i].project(layers[i + 1]);
  layers[layers.length - 1].set({ squash: outputSquash });
  const net = new Network({ input: layers[0], hidden: layers.slice(1, -1), output: layers[layers.length - 1] });
  setRandom();
  return net;
}

/** Three seeded Gaussian blobs in 2-D, one-hot labels. */
function blobs(count: number, seed: number) {
  const random = mulberry32(seed);
  const centres = [
    [0.2, 0.2],
    [0.8, 0.3],
    [0.5, 0.85],
  ];
  return Array.from({ length: count }, (_, i) => {
    const c = i % 3;
    const g = () => (random() + random() + random() - 1.5) * 0.15;
    const output = [0, 0, 0];
    output[c] = 1;
    return { input: [centres[c][0] + g(), centres[c][1] + g()], output };
  });
}

const accuracyOf = (net: Network, set: ReturnType<typeof blobs>) =>
  set.filter((s) => argmax(net.activate(s.input)) === argmax(s.output)).length / set.length;

describe('on Engine 2 networks', () => {
  it('softmax + cross-entropy + Adam in mini-batches learns three classes (>= 95% on fresh samples)', () => {
    const net = mlp([2, 8, 3], 1, squash.SOFTMAX);
    const result = new Trainer(net).train(blobs(300, 2), {
      optimizer: new Adam({ rate: 0.02 }),
      cost: cost.CROSS_ENTROPY,
      batchSize: 16,
      epochs: 40,
      shuffle: true,
      seed: 4,
      metrics: ['accuracy'],
      validation: 0.2,
    });
    const history = result.history!;
    expect(history[39].loss).toBeLessThan(history[0].loss / 3);
    expect(history[39].validationMetrics!.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(accuracyOf(net, blobs(300, 99))).toBeGreaterThanOrEqual(0.95);
  });

  it('dropout is off at inference: activate is the same before and after, whatever dropout did in training', () => {
    const net = mlp([2, 16, 3], 3, squash.SOFTMAX);
    new Trainer(net).train(blobs(60, 5), {
      optimizer: 'adam',
      dropout: 0.5,
      epochs: 3,
      seed: 1,
      cost: cost.CROSS_ENTROPY,
    });
    const x = [0.3, 0.6];
    const a = net.activate(x);
    expect(net.activate(x)).toEqual(a);
    const thinned = new Dropout(net, [0.5], mulberry32(8));
    const outputs = Array.from({ length: 5 }, () => thinned.activate(x).join());
    expect(new Set(outputs).size).toBeGreaterThan(1);
    expect(net.activate(x)).toEqual(a);
    // with a rate of 0 the layer-by-layer activation is exactly network.activate
    expect(new Dropout(net, [0], mulberry32(8)).activate(x)).toEqual(a);
  });

  it("dropout's gradient is the exact gradient of the thinned network (finite differences, same mask)", () => {
    const net = mlp([3, 6, 2], 7);
    const x = [0.2, -0.4, 0.9];
    const t = [1, 0];
    const lossWithMask = () => {
      const y = new Dropout(net, [0.4], mulberry32(21)).activate(x);
      return cost.MSE(t, y);
    };
    net.zeroGradients();
    new Dropout(net, [0.4], mulberry32(21)).activate(x);
    net.backward(t, { cost: cost.MSE });
    const h = 1e-6;
    let checked = 0;
    for (const p of net.parameters()) {
      for (let i = 0; i < p.value.length; i++) {
        const v = p.value[i];
        p.value[i] = v + h;
        const up = lossWithMask();
        p.value[i] = v - h;
        const down = lossWithMask();
        p.value[i] = v;
        expect(p.gradient[i]).toBeCloseTo((up - down) / (2 * h), 6);
        checked++;
      }
    }
    expect(checked).toBe(3 * 6 + 6 + 6 * 2 + 2);
    // some hidden units were dropped: their incoming weights have no gradient
    const hiddenWeights = net.parameters().find((p) => p.name.includes('->hidden[0]') || p.name.startsWith('input->'))!;
    expect(hiddenWeights.gradient.some((g) => g === 0)).toBe(true);
  });

  it('the perceptron rule trains HLIM units to separate a linearly separable set', () => {
    const random = mulberry32(3);
    const set = Array.from({ length: 80 }, () => {
      const input = [random() * 2 - 1, random() * 2 - 1];
      return { input, output: [input[0] + 2 * input[1] > 0.1 ? 1 : 0, input[0] - input[1] > 0 ? 1 : 0] };
    });
    const net = mlp([2, 2], 5, squash.HLIM);
    const result = new Trainer(net).train(set, {
      optimizer: new Perceptron({ rate: 0.1 }),
      epochs: 100,
      error: 0,
      metrics: ['accuracy'],
    });
    expect(result.history![result.history!.length - 1].metrics.accuracy).toBe(1);
    expect(result.stopped).toBe('error');
    for (const s of set) expect(net.activate(s.input)).toEqual(s.output);
  });

  it('early stopping restores the best weights of a real network', () => {
    const net = mlp([2, 8, 3], 11, squash.SOFTMAX);
    const train = blobs(90, 1);
    // validation with shuffled labels: its loss gets worse as the net learns
    const validation = blobs(30, 2).map((s, i) => ({ input: s.input, output: blobs(30, 2)[(i + 1) % 30].output }));
    const snapshots: number[][] = [];
    const result = new Trainer(net).train(train, {
      optimizer: new Adam({ rate: 0.05 }),
      cost: cost.CROSS_ENTROPY,
      epochs: 60,
      validation,
      earlyStopping: { patience: 3, restoreBest: true },
      onEpochEnd: () => void snapshots.push(net.parameters().flatMap((p) => Array.from(p.value))),
    });
    expect(result.stopped).toBe('early-stopping');
    const best = result.bestEpoch!;
    expect(net.parameters().flatMap((p) => Array.from(p.value))).toEqual(snapshots[best - 1]);
    expect(result.iterations).toBe(best + 4);
  });

  it('a sequence trains step by step after clear({ states: true }), on both paths', () => {
    const net = mlp([1, 4, 1], 2);
    const seq = { input: [[0], [1], [0]], output: [[0], [1], [0]] };
    const oneX = new Trainer(net).train([seq, seq], { iterations: 5, rate: 0.3 });
    expect(oneX.iterations).toBe(5);
    const modern = new Trainer(net).train([seq], { optimizer: 'sgd', epochs: 5 });
    expect(modern.history).toHaveLength(5);
  });

  it("losses computed elsewhere: backward's outputGradient and an optimizer step equal training on the cost", () => {
    const set = blobs(30, 6);
    const viaCost = mlp([2, 5, 3], 4);
    const viaDelta = mlp([2, 5, 3], 4);
    new Trainer(viaCost).train(set, { optimizer: new Adam({ rate: 0.01 }), batchSize: 30, epochs: 3, cost: cost.MSE });
    const adam = new Adam({ rate: 0.01 });
    const dEdy = new Float64Array(3);
    for (let epoch = 0; epoch < 3; epoch++) {
      viaDelta.zeroGradients();
      for (const s of set) {
        const y = viaDelta.activate(s.input);
        cost.MSE.gradient!(s.output, y, dEdy); // a loss computed outside the network (GAN, VAE, RL)
        viaDelta.backward(null, { outputGradient: dEdy });
      }
      for (const p of viaDelta.parameters()) for (let i = 0; i < p.gradient.length; i++) p.gradient[i] /= set.length;
      adam.step(viaDelta.parameters());
    }
    expect(values(viaDelta)).toEqual(values(viaCost));
  });
});

describe('divergence on the gradient path', () => {
  it('NaN or Infinity stops training with TrainingDivergedError and the weights of the epoch before', () => {
    const net = mlp([1, 3, 1], 9, squash.IDENTITY);
    const set = [
      { input: [1], output: [1e3] },
      { input: [-1], output: [-1e3] },
    ];
    const trainer = new Trainer(net);
    trainer.train(set, { optimizer: new SGD({ rate: 1e-7 }), epochs: 1 });
    const before = values(net);
    let epochs = 0;
    let caught: unknown;
    try {
      trainer.train(set, {
        optimizer: new SGD({ rate: 1e6 }),
        epochs: 50,
        onEpochEnd: () => void epochs++,
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TrainingDivergedError);
    const diverged = caught as TrainingDivergedError;
    expect(diverged.restored).toBe(true);
    expect(diverged.iteration).toBe(epochs + 1);
    expect(values(net).every(Number.isFinite)).toBe(true);
    if (epochs === 0) expect(values(net)).toEqual(before);
  });
});

const values = (n: Network) => n.parameters().flatMap((p) => Array.from(p.value));

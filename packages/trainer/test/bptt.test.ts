/**
 * `train(set, { bptt: true })`: every sample is an episode run through core's `network.bptt`
 * (exact gradients through time), with the optimizers and mini-batches of the gradient path; the
 * same run as a hand-written loop over `bptt`, and in `trainAsync` the same bits.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cost, Layer, mulberry32, Network, Neuron, setRandom } from '@synaptic/core';
import { Adam, InvalidOptionError, Trainer } from '@synaptic/trainer';
import { describe, expect, it } from 'vitest';

const workerUrl = new URL('../dist/worker.js', import.meta.url);

/** input → gated, self-connected hidden layer (and a recurrent link from the output) → output */
function recurrent(seed: number): Network {
  setRandom(mulberry32(seed));
  try {
    const input = new Layer(2);
    const gate = new Layer(3);
    const hidden = new Layer(3).set({ squash: Neuron.squash.TANH });
    const output = new Layer(2);
    input.project(gate);
    input.project(hidden);
    const self = hidden.project(hidden);
    gate.gate(self, Layer.gateType.ONE_TO_ONE);
    hidden.project(output);
    output.project(hidden);
    return new Network({ input, hidden: [gate, hidden], output });
  } finally {
    setRandom();
  }
}

const random = mulberry32(77);
/** sequences of 5 steps: the output is whether the running sum of the first input is positive */
const set = Array.from({ length: 8 }, () => {
  const input = Array.from({ length: 5 }, () => [random() * 2 - 1, random()]);
  let sum = 0;
  const output = input.map(([a]) => {
    sum += a;
    return sum > 0 ? [1, 0] : [0, 1];
  });
  return { input, output };
});

/** The mean over the set of each sequence's mean MSE over its steps, from cleared states. */
function sequenceError(net: Network): number {
  let sum = 0;
  for (const { input, output } of set) {
    net.clear({ states: true });
    let e = 0;
    input.forEach((x, t) => (e += cost.MSE(output[t], net.activate(x))));
    sum += e / input.length;
  }
  return sum / set.length;
}

const values = (n: Network) => n.parameters().flatMap((p) => Array.from(p.value));

describe('train with bptt', () => {
  it('is plain SGD on the summed episode gradient, averaged over each mini-batch (checked by hand)', () => {
    for (const truncation of [undefined, 2]) {
      const a = recurrent(1);
      const b = recurrent(1);
      const result = new Trainer(a).train(set, {
        bptt: true,
        ...(truncation ? { truncation } : {}),
        rate: 0.1,
        epochs: 3,
        batchSize: 3,
        cost: cost.MSE,
      });
      // the same by hand
      let last = 0;
      for (let epoch = 0; epoch < 3; epoch++) {
        let lossSum = 0;
        for (let from = 0; from < set.length; from += 3) {
          const batch = set.slice(from, from + 3);
          b.zeroGradients();
          let batchLoss = 0;
          for (const sample of batch) {
            b.clear({ states: true });
            const chunk = truncation ?? sample.input.length;
            let loss = 0;
            for (let t = 0; t < sample.input.length; t += chunk)
              loss += b.bptt(sample.input.slice(t, t + chunk), sample.output.slice(t, t + chunk), { cost: cost.MSE });
            batchLoss += loss / sample.input.length;
          }
          lossSum += batchLoss;
          const scale = 1 / batch.length;
          for (const p of b.parameters())
            for (let e = 0; e < p.value.length; e++) p.value[e] -= 0.1 * (p.gradient[e] * scale);
        }
        last = lossSum / set.length;
      }
      expect(values(a)).toEqual(values(b));
      expect(result.error).toBe(last);
    }
  });

  it('differs from the online (LSTM-g) gradient of the default sequence path', () => {
    const a = recurrent(2);
    const b = recurrent(2);
    new Trainer(a).train(set, { bptt: true, optimizer: 'sgd', rate: 0.1, epochs: 2 });
    new Trainer(b).train(set, { optimizer: 'sgd', rate: 0.1, epochs: 2 });
    expect(values(a)).not.toEqual(values(b));
  });

  it('with Adam and accuracy learns the running-sum task better than it starts', () => {
    const net = recurrent(3);
    const trainer = new Trainer(net);
    const before = sequenceError(net);
    const result = trainer.train(set, {
      bptt: true,
      optimizer: new Adam({ rate: 0.02 }),
      epochs: 60,
      metrics: ['accuracy'],
    });
    expect(result.error).toBeLessThan(before / 2);
    expect(sequenceError(net)).toBeLessThan(before / 2);
    expect(result.history!.at(-1)!.metrics.accuracy).toBeGreaterThan(0.8);
  });

  it('refuses truncation without bptt, and bptt with dropout', () => {
    const net = recurrent(4);
    const before = values(net);
    expect(() => new Trainer(net).train(set, { truncation: 2, epochs: 1 })).toThrow(InvalidOptionError);
    expect(() => new Trainer(net).train(set, { bptt: true, truncation: 0, epochs: 1 })).toThrow(InvalidOptionError);
    expect(() => new Trainer(net).train(set, { bptt: true, dropout: 0.5, epochs: 1 })).toThrow(/dropout/);
    expect(() => new Trainer(net).train(set, { bptt: 'yes' as never, epochs: 1 })).toThrow(InvalidOptionError);
    expect(values(net)).toEqual(before);
  });

  it.skipIf(!existsSync(fileURLToPath(workerUrl)))(
    'trainAsync gives the same bits as train on a network with grouped LAYER_NORM and softmax layers',
    async () => {
      const make = () => {
        setRandom(mulberry32(8));
        try {
          const input = new Layer(2);
          const hidden = new Layer(4).set({ squash: Neuron.squash.LAYER_NORM, group: 2 });
          const output = new Layer(2).set({ squash: Neuron.squash.SOFTMAX });
          input.project(hidden);
          hidden.project(hidden, Layer.connectionType.ALL_TO_ELSE);
          hidden.project(output);
          return new Network({ input, hidden: [hidden], output });
        } finally {
          setRandom();
        }
      };
      const a = make();
      const b = make();
      const options = { bptt: true, optimizer: 'adam', rate: 0.01, epochs: 3, cost: cost.CROSS_ENTROPY } as const;
      const sync = new Trainer(a).train(set, options);
      const async = await new Trainer(b).trainAsync(set, { ...options, workerUrl });
      expect(values(b)).toEqual(values(a));
      expect(a.parameters().some((p) => p.name === 'hidden[0].gamma')).toBe(true);
      expect(async.error).toBe(sync.error);
    },
  );

  it.skipIf(!existsSync(fileURLToPath(workerUrl)))('trainAsync gives the same bits as train', async () => {
    for (const options of [
      { bptt: true, optimizer: 'adam', rate: 0.01, epochs: 4, batchSize: 2, shuffle: true, seed: 9 },
      { bptt: true, truncation: 3, rate: 0.1, epochs: 3, metrics: ['accuracy'] },
    ] as const) {
      const a = recurrent(5);
      const b = recurrent(5);
      const sync = new Trainer(a).train(set, options as never);
      const async = await new Trainer(b).trainAsync(set, { ...options, workerUrl } as never);
      expect(values(b)).toEqual(values(a));
      expect(async.error).toBe(sync.error);
      expect(async.history?.map(({ time: _t, ...r }) => r)).toEqual(sync.history?.map(({ time: _t, ...r }) => r));
    }
  });
});

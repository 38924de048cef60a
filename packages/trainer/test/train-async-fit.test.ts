/**
 * trainAsync on the gradient path: the same run as train for the same seed, bit for bit (weights,
 * history but its times), with the callbacks answered on this thread. Runs the built worker
 * (dist/worker.js), as train-async.test.ts explains.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cost, Layer, mulberry32, Network, setRandom, squash } from '@synaptic/core';
import {
  Adam,
  AdaptiveGains,
  InvalidOptionError,
  Momentum,
  type EpochEntry,
  type Optimizer,
  Trainer,
} from '@synaptic/trainer';
import { beforeAll, describe, expect, it } from 'vitest';

const workerUrl = new URL('../dist/worker.js', import.meta.url);

beforeAll(() => {
  if (!existsSync(fileURLToPath(workerUrl))) throw new Error('packages/trainer/dist/worker.js is missing: build first');
});

function net(seed: number): Network {
  setRandom(mulberry32(seed));
  const input = new Layer(2);
  const hidden = new Layer(6);
  const output = new Layer(3);
  input.project(hidden);
  hidden.project(output);
  output.set({ squash: squash.SOFTMAX });
  setRandom();
  return new Network({ input, hidden: [hidden], output });
}

const random = mulberry32(5);
const set = Array.from({ length: 60 }, (_, i) => {
  const output = [0, 0, 0];
  output[i % 3] = 1;
  return { input: [(i % 3) / 2 + random() * 0.3, random()], output };
});

const values = (n: Network) => n.parameters().flatMap((p) => Array.from(p.value));
const withoutTimes = (history: EpochEntry[] | undefined) => history?.map(({ time: _time, ...rest }) => rest);

async function both(options: Record<string, unknown>, optimizer: () => Optimizer | string) {
  const a = net(3);
  const b = net(3);
  const sync = new Trainer(a).train(set, { ...options, optimizer: optimizer() } as never);
  const async = await new Trainer(b).trainAsync(set, { ...options, optimizer: optimizer(), workerUrl } as never);
  return { a, b, sync, async };
}

describe('trainAsync with the gradient options', () => {
  it('Adam, shuffled mini-batches, dropout, l2, clip, a cosine schedule with warmup, validation: bit for bit', async () => {
    const { a, b, sync, async } = await both(
      {
        cost: cost.CROSS_ENTROPY,
        batchSize: 8,
        epochs: 6,
        shuffle: true,
        seed: 12,
        dropout: 0.3,
        l2: 1e-3,
        clip: { norm: 1 },
        schedule: { type: 'cosine', warmup: 1 },
        validation: 0.2,
        metrics: ['accuracy'],
      },
      () => new Adam({ rate: 0.02 }),
    );
    expect(values(b)).toEqual(values(a));
    expect(withoutTimes(async.history)).toEqual(withoutTimes(sync.history));
    expect([async.error, async.iterations, async.stopped]).toEqual([sync.error, sync.iterations, sync.stopped]);
    expect(values(b)).not.toEqual(values(net(3)));
  });

  it('early stopping and callbacks that stop, answered on this thread', async () => {
    const batches: number[] = [];
    const options = {
      epochs: 30,
      seed: 2,
      shuffle: true,
      batchSize: 10,
      validation: set.slice(0, 12).map((s, i) => ({ input: s.input, output: set[(i + 1) % 12].output })),
      earlyStopping: { patience: 1 },
      onBatchEnd: (e: { batch: number }) => void batches.push(e.batch),
      onEpochEnd: (e: EpochEntry) => e.epoch === 20,
    };
    const { a, b, sync, async } = await both(options, () => new AdaptiveGains({ base: new Momentum({ rate: 0.1 }) }));
    expect(values(b)).toEqual(values(a));
    expect(async.bestEpoch).toBe(sync.bestEpoch);
    expect(async.stopped).toBe(sync.stopped);
    expect(batches.length).toBe(2 * 6 * sync.iterations);
  });

  it('an optimizer by name, and LBFGS on the whole set', async () => {
    const named = await both({ epochs: 3, batchSize: 4 }, () => 'rmsprop');
    expect(values(named.b)).toEqual(values(named.a));
    const lbfgs = await both({ epochs: 2, cost: cost.CROSS_ENTROPY }, () => 'lbfgs');
    expect(values(lbfgs.b)).toEqual(values(lbfgs.a));
    expect(lbfgs.async.error).toBe(lbfgs.sync.error);
  });

  it('refuses an optimizer it cannot rebuild in the worker, before starting it', async () => {
    const custom: Optimizer = { name: 'sgd', rate: 0.1, fullBatch: false, step() {}, reset() {} };
    await expect(new Trainer(net(1)).trainAsync(set, { optimizer: custom, workerUrl })).rejects.toThrow(
      InvalidOptionError,
    );
  });

  it("sequences: on the gradient path bit for bit; on 1.x's path refused with a clear error", async () => {
    const sequences = [
      { input: [set[0].input, set[1].input], output: [set[0].output, set[1].output] },
      { input: [set[2].input], output: [set[2].output] },
    ];
    const a = net(5);
    const b = net(5);
    new Trainer(a).train(sequences, { optimizer: 'adam', epochs: 3 });
    await new Trainer(b).trainAsync(sequences, { optimizer: 'adam', epochs: 3, workerUrl });
    expect(values(b)).toEqual(values(a));
    await expect(new Trainer(net(5)).trainAsync(sequences, { iterations: 2, workerUrl })).rejects.toThrow(
      /holds sequences: trainAsync runs them on the gradient path only/,
    );
  });
});

/**
 * trainAsync runs the worker of the BUILT package (dist/worker.js, which imports core's build):
 * the root `pnpm test` builds every package first. The trainer itself comes from the sources
 * here, so `workerUrl` points at the build; packaging.test.ts checks that the built ES module and
 * CommonJS entries find their worker on their own.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { optimize } from '@synaptic/compile';
import { Layer, mulberry32, Network, setRandom, squash, SynapticError, format1x } from '@synaptic/core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  AbortError,
  InvalidOptionError,
  InvalidTrainingSetError,
  Trainer,
  TrainingDivergedError,
  WorkerError,
  type TrainingProgress,
} from '@synaptic/trainer';
import { lstm, perceptron } from './support/lstm.js';
import { feedForwardSource, portableExecutor } from './support/portable.js';

const workerUrl = new URL('../dist/worker.js', import.meta.url);

beforeAll(() => {
  if (!existsSync(fileURLToPath(workerUrl))) {
    throw new Error(
      'packages/trainer/dist/worker.js is missing: build first (`pnpm build`, or the root `pnpm test`, which builds)',
    );
  }
});

afterEach(() => {
  setRandom();
  vi.restoreAllMocks();
});

const XOR = [
  { input: [0, 0], output: [0] },
  { input: [1, 0], output: [1] },
  { input: [0, 1], output: [1] },
  { input: [1, 1], output: [0] },
];

function seededPerceptron(seed: number, hidden = 3): Network {
  setRandom(mulberry32(seed));
  const net = perceptron(2, [hidden], 1);
  setRandom();
  return net;
}

const weightsOf = (net: Network) => JSON.stringify(net.toJSON().connections.map((c) => c.weight));

describe('trainAsync', () => {
  it('trains XOR in a worker, resolves like train and writes the weights back, bit for bit', async () => {
    const net = seededPerceptron(1);
    const copy = net.clone();
    const options = { iterations: 20000, rate: 0.3, shuffle: true, seed: 4 };
    const result = await new Trainer(net).trainAsync(XOR, { ...options, workerUrl });
    const expected = new Trainer(copy).train(XOR, options);
    expect(Object.keys(result).sort()).toEqual(['error', 'iterations', 'time']);
    expect([result.error, result.iterations]).toEqual([expected.error, expected.iterations]);
    expect(result.error).toBeLessThanOrEqual(0.005);
    expect(weightsOf(net)).toBe(weightsOf(copy));
    expect(net.activate([1, 0])[0]).toBeGreaterThan(0.9);
    expect(net.activate([1, 1])[0]).toBeLessThan(0.1);
  });

  it('does not block the main thread while it trains', async () => {
    const net = seededPerceptron(2);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      await new Trainer(net).trainAsync(XOR, { iterations: 60000, error: 0, workerUrl });
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(5);
  });

  it('reports progress on this thread, at the same iterations as train', async () => {
    const seen: TrainingProgress[] = [];
    const syncSeen: TrainingProgress[] = [];
    const net = seededPerceptron(3);
    const copy = net.clone();
    await new Trainer(net).trainAsync(XOR, {
      iterations: 1000,
      error: 0,
      progressEvery: 250,
      onProgress: (p) => seen.push(p),
      workerUrl,
    });
    new Trainer(copy).train(XOR, {
      iterations: 1000,
      error: 0,
      progressEvery: 250,
      onProgress: (p) => syncSeen.push(p),
    });
    expect(seen.map((p) => p.iterations)).toEqual([250, 500, 750, 1000]);
    expect(seen.map((p) => [p.error, p.rate])).toEqual(syncSeen.map((p) => [p.error, p.rate]));
    for (const p of seen) expect(p.elapsed).toBeGreaterThanOrEqual(0);
  });

  it('logs on this thread with 1.x’s log line', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await new Trainer(seededPerceptron(4)).trainAsync(XOR, { iterations: 30, error: 0, log: 10, workerUrl });
    expect(log.mock.calls.map((call) => call[1])).toEqual([10, 20, 30]);
    expect(log.mock.calls[0][0]).toBe('iterations');
  });

  it('runs schedule.do on this thread; true stops the worker at that iteration', async () => {
    const net = seededPerceptron(5);
    const copy = net.clone();
    const calls: number[] = [];
    const schedule = {
      every: 100,
      do: (data: { iterations: number }) => (calls.push(data.iterations), data.iterations === 300),
    };
    const result = await new Trainer(net).trainAsync(XOR, { iterations: 1000, error: 0, schedule, workerUrl });
    expect(result.iterations).toBe(300);
    expect(calls).toEqual([100, 200, 300]);
    new Trainer(copy).train(XOR, {
      iterations: 1000,
      error: 0,
      schedule: { every: 100, do: (d) => d.iterations === 300 },
    });
    expect(weightsOf(net)).toBe(weightsOf(copy));
  });

  it('aborts through an AbortSignal: rejects with an AbortError and leaves the network unchanged', async () => {
    const net = seededPerceptron(6);
    const before = JSON.stringify(net.toJSON());
    const controller = new AbortController();
    const promise = new Trainer(net).trainAsync(XOR, {
      iterations: 10_000_000,
      error: 0,
      progressEvery: 1000,
      onProgress: () => controller.abort(new Error('user cancelled')),
      signal: controller.signal,
      workerUrl,
    });
    const error = await promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(error).toBeInstanceOf(SynapticError);
    expect((error as AbortError).name).toBe('AbortError');
    expect(((error as AbortError).cause as Error).message).toBe('user cancelled');
    expect(JSON.stringify(net.toJSON())).toBe(before);
  });

  it('rejects at once with a signal aborted before it starts', async () => {
    const net = seededPerceptron(7);
    const before = JSON.stringify(net.toJSON());
    await expect(new Trainer(net).trainAsync(XOR, { signal: AbortSignal.abort(), workerUrl })).rejects.toBeInstanceOf(
      AbortError,
    );
    expect(JSON.stringify(net.toJSON())).toBe(before);
  });

  it('stops on NaN with the weights as they were before that iteration, like train', async () => {
    const make = () => {
      setRandom(mulberry32(8));
      const input = new Layer(1);
      const output = new Layer(1);
      output.set({ squash: squash.IDENTITY });
      input.project(output);
      setRandom();
      return new Network({ input, output });
    };
    const set = [{ input: [1000], output: [1] }];
    const net = make();
    const copy = make();
    const asyncError = await new Trainer(net)
      .trainAsync(set, { iterations: 1000, rate: 1, workerUrl })
      .catch((e: unknown) => e);
    let syncError: unknown;
    try {
      new Trainer(copy).train(set, { iterations: 1000, rate: 1 });
    } catch (e) {
      syncError = e;
    }
    expect(asyncError).toBeInstanceOf(TrainingDivergedError);
    expect(syncError).toBeInstanceOf(TrainingDivergedError);
    expect((asyncError as TrainingDivergedError).iteration).toBe((syncError as TrainingDivergedError).iteration);
    expect((asyncError as TrainingDivergedError).restored).toBe(true);
    expect(weightsOf(net)).toBe(weightsOf(copy));
    expect(net.toJSON().connections.every((c) => Number.isFinite(c.weight))).toBe(true);
  });

  it('trains an LSTM in the worker bit for bit like train (its JSON replays the LSTM’s order of summation)', async () => {
    const sequence = Array.from({ length: 30 }, (_, t) => ({
      input: [t % 3 === 0 ? 1 : 0, (t % 5) / 5],
      output: [t % 3 === 1 ? 1 : 0, (t % 4) / 4],
    }));
    for (const options of [{}, { outputToGates: true, hiddenToHidden: true }]) {
      setRandom(mulberry32(21));
      const net = lstm(2, [3, 2], 2, options);
      setRandom();
      const copy = net.clone();
      expect('replay' in net.toJSON()).toBe(true);
      const train = { iterations: 40, rate: 0.2, error: 0 };
      const result = await new Trainer(net).trainAsync(sequence, { ...train, workerUrl });
      const expected = new Trainer(copy).train(sequence, train);
      expect(result.error).toBe(expected.error);
      expect(weightsOf(net)).toBe(weightsOf(copy));
    }
  });

  it('sends rate and cost functions as source text', async () => {
    const net = seededPerceptron(9);
    const copy = net.clone();
    const rate = (iterations: number) => (iterations < 500 ? 0.5 : 0.2);
    const cost = (target: number[], output: number[]) => Math.abs(target[0] - output[0]);
    const result = await new Trainer(net).trainAsync(XOR, { iterations: 800, error: 0, rate, cost, workerUrl });
    const expected = new Trainer(copy).train(XOR, { iterations: 800, error: 0, rate, cost });
    expect(result.error).toBe(expected.error);
    expect(weightsOf(net)).toBe(weightsOf(copy));
  });

  it('refuses functions that cannot travel, and a random function, before starting', async () => {
    const trainer = new Trainer(seededPerceptron(10));
    const methods = {
      rate(iterations: number) {
        return iterations > 10 ? 0.1 : 0.2;
      },
    };
    await expect(trainer.trainAsync(XOR, { rate: methods.rate, workerUrl })).rejects.toThrow(InvalidOptionError);
    await expect(
      trainer.trainAsync(XOR, { rate: Math.max.bind(null, 0.1) as (i: number) => number, workerUrl }),
    ).rejects.toThrow(/rate/);
    // @ts-expect-error random cannot be sent to a worker: seed instead
    await expect(trainer.trainAsync(XOR, { random: Math.random, workerUrl })).rejects.toThrow(
      /^option `random` cannot be sent to the worker of trainAsync .*give a `seed` instead/,
    );
  });

  it('reports a function that fails in the worker (e.g. one using outside variables) as a WorkerError', async () => {
    const net = seededPerceptron(11);
    const before = JSON.stringify(net.toJSON());
    const outside = 0.3;
    const error = await new Trainer(net)
      .trainAsync(XOR, { rate: () => outside, iterations: 10, workerUrl })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerError);
    expect((error as Error).message).toMatch(/ReferenceError.*outside/);
    expect(JSON.stringify(net.toJSON())).toBe(before);
  });

  it('checks the set and options before starting a worker', async () => {
    const trainer = new Trainer(seededPerceptron(12));
    await expect(trainer.trainAsync([{ input: [0], output: [1] }], { workerUrl })).rejects.toThrow(
      InvalidTrainingSetError,
    );
    await expect(trainer.trainAsync(XOR, { iterations: -1, workerUrl })).rejects.toThrow(/iterations/);
  });

  it('rejects with a WorkerError when the worker script cannot be loaded', async () => {
    const net = seededPerceptron(13);
    const before = JSON.stringify(net.toJSON());
    const missing = new URL('../dist/no-such-worker.js', import.meta.url);
    await expect(new Trainer(net).trainAsync(XOR, { iterations: 10, workerUrl: missing })).rejects.toThrow(WorkerError);
    expect(JSON.stringify(net.toJSON())).toBe(before);
  });
});

describe('trainAsync on a network with compiled code (a portable executor)', () => {
  it('evaluates the portable source in the worker, trains its runner and loads the result', async () => {
    const net = seededPerceptron(14, 2);
    const reference = net.clone();
    net.useExecutor((n) => portableExecutor(n, () => feedForwardSource(format1x(net.toJSON()))));
    const options = { iterations: 3000, rate: 0.4, shuffle: true, seed: 2, error: 0 };
    const result = await new Trainer(net).trainAsync(XOR, { ...options, workerUrl });
    const expected = new Trainer(reference).train(XOR, options);
    expect(result.iterations).toBe(3000);
    expect(result.error).toBe(expected.error);
    net.setOptimize(false); // back to the interpreter, to read and run the loaded weights
    expect(weightsOf(net)).toBe(weightsOf(reference));
  });

  it('really runs the source: a runner that fails says so, and nothing is written back', async () => {
    const net = seededPerceptron(15, 2);
    const before = JSON.stringify(net.toJSON());
    net.useExecutor((n) =>
      portableExecutor(n, () =>
        feedForwardSource(format1x(net.toJSON()), "throw new Error('compiled runner refused');"),
      ),
    );
    const error = await new Trainer(net).trainAsync(XOR, { iterations: 10, workerUrl }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerError);
    expect((error as Error).message).toContain('compiled runner refused');
    net.setOptimize(false);
    expect(JSON.stringify(net.toJSON())).toBe(before);
  });
});

describe('networks compiled by @synaptic/compile', () => {
  const sequence = Array.from({ length: 40 }, (_, t) => ({
    input: [t % 3 === 0 ? 1 : 0, (t % 5) / 5],
    output: [t % 3 === 1 ? 1 : 0],
  }));
  function lstmPair(): [Network, Network] {
    setRandom(mulberry32(16));
    const net = lstm(2, [4], 1);
    setRandom();
    return [net, net.clone()];
  }

  it('train works on an optimized network and learns what the interpreter learns', () => {
    const [compiled, reference] = lstmPair();
    optimize(compiled, { exact: true });
    const a = new Trainer(compiled).train(sequence, { iterations: 50, rate: 0.2, error: 0 });
    const b = new Trainer(reference).train(sequence, { iterations: 50, rate: 0.2, error: 0 });
    expect(a.error).toBe(b.error);
    expect(weightsOf(compiled)).toBe(weightsOf(reference));
  });

  it('trainAsync trains an optimized LSTM from its portable source in the worker', async () => {
    const [compiled, reference] = lstmPair();
    optimize(compiled, { exact: true });
    expect(typeof compiled.executor()?.portable).toBe('function');
    const options = { iterations: 50, rate: 0.2, error: 0 };
    const result = await new Trainer(compiled).trainAsync(sequence, { ...options, workerUrl });
    const expected = new Trainer(reference).train(sequence, options);
    expect(result.iterations).toBe(50);
    expect(result.error).toBeCloseTo(expected.error, 9);
    const trained = compiled.toJSON().connections.map((c) => c.weight);
    reference.toJSON().connections.forEach((c, i) => expect(Math.abs(c.weight - trained[i])).toBeLessThanOrEqual(1e-9));
  });
});

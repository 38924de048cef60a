/**
 * train's options and hooks: 1.x's behaviour (its own tests for schedules and rates are repeated
 * here), and the fixes (options of 0, no leaking between calls, the NaN guard, progress).
 */
import { Layer, mulberry32, Network, setRandom, squash } from '@synaptic/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  Trainer,
  TrainingDivergedError,
  type ScheduleData,
  type TrainableNetwork,
  type TrainingProgress,
} from '@synaptic/trainer';
import { perceptron } from './support/lstm.js';

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

function net(seed = 1): Network {
  setRandom(mulberry32(seed));
  const n = perceptron(2, [3], 1);
  setRandom();
  return n;
}

const weights = (n: Network) => n.toJSON().connections.map((c) => c.weight);

describe('schedule (1.x: "Scheduled Tasks")', () => {
  const base = { iterations: 3000, rate: 0.000001, error: 0.000001 };
  it('runs on when do never returns true', () => {
    const trainer = new Trainer(net());
    expect(trainer.XOR({ ...base, schedule: { every: 1000, do: (d) => d.iterations === 20000 } }).iterations).toBe(
      3000,
    );
    expect(trainer.XOR({ ...base, schedule: { every: 1000, do: () => undefined } }).iterations).toBe(3000);
  });

  it('stops when do returns true, at that iteration', () => {
    const seen: ScheduleData[] = [];
    const result = new Trainer(net()).XOR({
      ...base,
      schedule: { every: 1000, do: (d) => (seen.push(d), d.iterations === 2000) },
    });
    expect(result.iterations).toBe(2000);
    expect(seen.map((d) => d.iterations)).toEqual([1000, 2000]);
    expect(Object.keys(seen[0]).sort()).toEqual(['error', 'iterations', 'rate']);
    expect(seen[1].error).toBe(result.error);
  });

  it('accepts 1.x’s deprecated customLog', () => {
    expect(
      new Trainer(net()).XOR({ ...base, customLog: { every: 500, do: (d) => d.iterations === 500 } }).iterations,
    ).toBe(500);
  });
});

describe('rate (1.x: "Rate Callback Check", "Rate Array Check")', () => {
  const rateAt = (
    rate: Parameters<Trainer['train']>[1] extends infer O ? (O extends { rate?: infer R } ? R : never) : never,
  ) => {
    const rates = new Map<number, number>();
    new Trainer(net()).XOR({
      iterations: 2000,
      rate,
      error: 0.000001,
      schedule: { every: 1, do: (d) => void rates.set(d.iterations, d.rate) },
    });
    return rates;
  };

  it('a function switches from 0.01 to 0.005 at iteration 1000', () => {
    const rates = rateAt((iterations) => (iterations < 1000 ? 0.01 : 0.005));
    for (const i of [1, 500, 999]) expect(rates.get(i)).toBe(0.01);
    for (const i of [1000, 1500, 2000]) expect(rates.get(i)).toBe(0.005);
  });

  it('an array [0.01, 0.005] over 2000 iterations switches at iteration 1000', () => {
    const rates = rateAt([0.01, 0.005]);
    for (const i of [1, 500, 999]) expect(rates.get(i)).toBe(0.01);
    for (const i of [1000, 1500, 2000]) expect(rates.get(i)).toBe(0.005);
  });

  it('a function gets the iteration and the last error', () => {
    const calls: Array<[number, number]> = [];
    const errors: number[] = [];
    new Trainer(net()).train(XOR, {
      iterations: 3,
      error: 0,
      rate: (i, e) => (calls.push([i, e]), 0.1),
      schedule: { every: 1, do: (d) => void errors.push(d.error) },
    });
    expect(calls).toEqual([
      [1, 0],
      [2, errors[0]],
      [3, errors[1]],
    ]);
  });

  it('an array longer than the run still gives a rate per iteration (1.x propagated the array itself)', () => {
    const rates: number[] = [];
    new Trainer(net()).train(XOR, {
      iterations: 2,
      error: 0,
      rate: [0.3, 0.2, 0.1],
      schedule: { every: 1, do: (d) => void rates.push(d.rate) },
    });
    expect(rates).toEqual([0.2, 0.1]);
  });

  it('0 is a rate (1.x skipped zeros in arrays and fell back to 0.2 for rate: 0)', () => {
    const n = net();
    const before = weights(n);
    new Trainer(n, { rate: 0 }).train(XOR, { iterations: 20, error: 0 });
    new Trainer(n).train(XOR, { iterations: 20, error: 0, rate: [0, 0] });
    expect(weights(n)).toEqual(before);
  });
});

describe('options given as 0, and options that do not leak', () => {
  it('iterations: 0 trains nothing and reports 1.x’s starting error', () => {
    const n = net();
    const before = JSON.stringify(n.toJSON());
    expect(new Trainer(n).train(XOR, { iterations: 0 })).toMatchObject({ iterations: 0, error: 1 });
    expect(JSON.stringify(n.toJSON())).toBe(before);
  });

  it('error: 0 trains every iteration (1.x used 0.005)', () => {
    expect(new Trainer(net()).train(XOR, { iterations: 3000, rate: 0.5, error: 0 }).iterations).toBe(3000);
  });

  it('the first iteration always runs, even with error >= 1 (1.x started at 1 and trained nothing)', () => {
    const result = new Trainer(net()).train(XOR, { iterations: 10, error: 5 });
    expect(result.iterations).toBe(1);
    expect(result.error).not.toBe(1);
  });

  it('a call’s options apply to that call only (1.x kept them in the trainer)', () => {
    const trainer = new Trainer(net(), { iterations: 20, error: 0 });
    expect(trainer.train(XOR, { iterations: 5 }).iterations).toBe(5);
    expect(trainer.train(XOR).iterations).toBe(20);

    const rates: number[] = [];
    trainer.train(XOR, { iterations: 2, rate: 0.7 });
    trainer.train(XOR, { iterations: 2, schedule: { every: 1, do: (d) => void rates.push(d.rate) } });
    expect(rates).toEqual([0.2, 0.2]);

    // a BINARY error counts misses; afterwards the default MSE is back
    expect(Number.isInteger(trainer.train(XOR, { iterations: 1, cost: Trainer.cost.BINARY }).error * 4)).toBe(true);
    const crossValidated = trainer.train(XOR, { iterations: 1, crossValidate: { testSize: 0.5 } });
    const plain = trainer.train(XOR, { iterations: 1, schedule: { every: 1, do: () => undefined } });
    expect(crossValidated.error).not.toBe(plain.error);
    expect(trainer.crossValidate).toBeNull();
  });

  it('the constructor’s options are the defaults of every call', () => {
    const trainer = new Trainer(net(), { rate: 0.05, iterations: 3, error: 0, cost: Trainer.cost.CROSS_ENTROPY });
    const seen: ScheduleData[] = [];
    const result = trainer.train(XOR, { schedule: { every: 1, do: (d) => void seen.push(d) } });
    expect(result.iterations).toBe(3);
    expect(seen.every((d) => d.rate === 0.05)).toBe(true);
    expect(result.error).toBeGreaterThan(0.5); // cross-entropy of an untrained net, not an MSE
  });
});

describe('cross-validation', () => {
  it('holds out the last testSize of the set and stops on the test error', () => {
    setRandom(mulberry32(3));
    const n = perceptron(1, [6], 1);
    setRandom();
    const random = mulberry32(4);
    const set = Array.from({ length: 50 }, () => {
      const x = random();
      return { input: [x], output: [x / 2 + 0.25] };
    });
    const result = new Trainer(n).train(set, {
      iterations: 5000,
      rate: 0.3,
      error: 0,
      crossValidate: { testSize: 0.2, testError: 0.0005 },
    });
    expect(result.iterations).toBeLessThan(5000);
    expect(result.error).toBeLessThanOrEqual(0.0005);
    expect(new Trainer(n).test(set.slice(40)).error).toBeLessThanOrEqual(0.0006);
  });
});

describe('shuffle and seeds', () => {
  const run = (options: object) => {
    const n = net(2);
    const result = new Trainer(n).train(XOR, { iterations: 500, rate: 0.3, error: 0, shuffle: true, ...options });
    return [result.error, ...weights(n)];
  };

  it('the same seed gives the same run; another seed another run', () => {
    expect(run({ seed: 7 })).toEqual(run({ seed: 7 }));
    expect(run({ seed: 7 })).not.toEqual(run({ seed: 8 }));
    expect(run({ random: mulberry32(7) })).toEqual(run({ seed: 7 }));
  });

  it('a trainer’s seed is one stream over its calls', () => {
    const twice = (seed: number) => {
      const trainer = new Trainer(net(2), { seed });
      trainer.train(XOR, { iterations: 100, shuffle: true, error: 0 });
      return trainer.train(XOR, { iterations: 100, shuffle: true, error: 0 }).error;
    };
    expect(twice(3)).toBe(twice(3));
  });

  it('without a seed, core’s random source is used (setRandom seeds everything)', () => {
    const shuffled = (source: number) => {
      const n = net(2);
      setRandom(mulberry32(source));
      new Trainer(n).train(XOR, { iterations: 500, rate: 0.3, error: 0, shuffle: true });
      setRandom();
      return weights(n);
    };
    expect(shuffled(5)).toEqual(shuffled(5));
    expect(shuffled(5)).not.toEqual(shuffled(6));
  });
});

describe('log and onProgress', () => {
  it('logs 1.x’s line every `log` iterations', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    new Trainer(net()).train(XOR, { iterations: 30, error: 0, log: 10 });
    expect(log).toHaveBeenCalledTimes(3);
    expect(log.mock.calls[2]).toEqual(['iterations', 30, 'error', expect.any(Number), 'rate', 0.2]);
  });

  it('reports { iterations, error, rate, elapsed } at about 1% steps by default, and after the last iteration', () => {
    const seen: TrainingProgress[] = [];
    const result = new Trainer(net()).train(XOR, {
      iterations: 1000,
      rate: 0.5,
      error: 0.05,
      onProgress: (p) => seen.push(p),
    });
    expect(result.iterations).toBeLessThan(1000);
    expect(Object.keys(seen[0]).sort()).toEqual(['elapsed', 'error', 'iterations', 'rate']);
    expect(seen.slice(0, 3).map((p) => p.iterations)).toEqual([10, 20, 30]);
    const last = seen[seen.length - 1];
    expect([last.iterations, last.error]).toEqual([result.iterations, result.error]);
    expect(seen.every((p, i) => i === 0 || p.elapsed >= seen[i - 1].elapsed)).toBe(true);
  });

  it('follows log, then schedule.every, unless progressEvery is given', () => {
    const cadence = (options: object) => {
      const seen: number[] = [];
      new Trainer(net()).train(XOR, {
        iterations: 40,
        error: 0,
        onProgress: (p) => seen.push(p.iterations),
        ...options,
      });
      return seen;
    };
    vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(cadence({ log: 20 })).toEqual([20, 40]);
    expect(cadence({ schedule: { every: 13, do: () => false } })).toEqual([13, 26, 39, 40]);
    expect(cadence({ log: 20, progressEvery: 8 })).toEqual([8, 16, 24, 32, 40]);
  });
});

describe('NaN and Infinity', () => {
  function linear(seed: number): Network {
    setRandom(mulberry32(seed));
    const input = new Layer(1);
    const output = new Layer(1);
    output.set({ squash: squash.IDENTITY });
    input.project(output);
    setRandom();
    return new Network({ input, output });
  }

  it('stop training with an error naming the iteration, the weights as before it', () => {
    const set = [{ input: [1000], output: [1] }];
    const n = linear(1);
    let error: TrainingDivergedError | null = null;
    try {
      new Trainer(n).train(set, { iterations: 1000, rate: 1 });
    } catch (e) {
      error = e as TrainingDivergedError;
    }
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect(error!.restored).toBe(true);
    expect(error!.message).toMatch(
      new RegExp(
        `^training diverged at iteration ${error!.iteration}: .*restored to its state before iteration ${error!.iteration}`,
      ),
    );
    expect(weights(n).every(Number.isFinite)).toBe(true);

    const replay = linear(1);
    if (error!.iteration > 1) new Trainer(replay).train(set, { iterations: error!.iteration - 1, rate: 1, error: 0 });
    expect(weights(n)).toEqual(weights(replay));
  });

  it('catch weights broken by the very last propagation', () => {
    // BINARY cost and outputs stay finite; the last update overflows the weight
    const n = linear(2);
    const before = weights(n);
    expect(() =>
      new Trainer(n).train([{ input: [1e200], output: [0] }], { iterations: 1, rate: 1, cost: Trainer.cost.BINARY }),
    ).toThrow(
      /^training diverged at iteration 1: propagate at rate 1: .* would become Infinity; the propagation was undone/,
    );
    expect(weights(n)).toEqual(before);
  });

  it('say so when the network cannot take checkpoints', () => {
    let w = 1;
    const unit: TrainableNetwork = {
      activate: (input) => [input[0] * w],
      propagate: (rate, target) => void (w += rate * (target[0] - w) * 1e300),
      inputs: () => 1,
      outputs: () => 1,
    };
    expect(() => new Trainer(unit).train([{ input: [1], output: [0] }], { iterations: 10, rate: 1e10 })).toThrow(
      /cannot take checkpoints, so its weights were not restored/,
    );
  });
});

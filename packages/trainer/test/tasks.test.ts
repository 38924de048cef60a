/** The built-in tasks' mechanics (their learning is in learns-*.test.ts). */
import { mulberry32, setRandom } from '@synaptic/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidOptionError, Trainer, type DSRScheduleData } from '@synaptic/trainer';
import { dsrSequence } from '../src/tasks/dsr.js';
import { resetERG } from '../src/tasks/erg.js';
import { ergContinuations, generateERG, isERG } from '../src/tasks/reber.js';
import { timingSamples } from '../src/tasks/timing.js';
import { lstm } from './support/lstm.js';

afterEach(() => {
  setRandom();
  vi.restoreAllMocks();
});

function seeded<T>(seed: number, make: () => T): T {
  setRandom(mulberry32(seed));
  try {
    return make();
  } finally {
    setRandom();
  }
}

const small = { targets: [2, 4], distractors: [3, 5], prompts: [0, 1], length: 9 };

describe('DSR', () => {
  it('puts the targets in the order the prompts ask for them, also past position 9 (1.x sorted positions as strings)', () => {
    const random = mulberry32(1);
    const targets = [4, 5, 6, 7];
    for (let n = 0; n < 300; n++) {
      const { sequence, picked } = dsrSequence(targets, [8, 9, 10, 11], [0, 1, 2, 3], 40, random);
      const seen = sequence.slice(0, 36).filter((s) => targets.includes(s));
      expect(seen).toEqual(picked.map((k) => targets[k]));
      expect(sequence.slice(36)).toEqual([0, 1, 2, 3]);
    }
  });

  it('returns 1.x’s { iterations, success, error, time } and repeats with the same seed', () => {
    const run = () =>
      new Trainer(seeded(1, () => lstm(6, [3], 2))).DSR({ ...small, iterations: 300, rate: 0.17, seed: 3 });
    const a = run();
    expect(Object.keys(a).sort()).toEqual(['error', 'iterations', 'success', 'time']);
    expect(a.iterations).toBe(300);
    const b = run();
    expect([b.error, b.success]).toEqual([a.error, a.success]);
  });

  it('reports as success the fraction of the block’s sequences recalled without a mistake', () => {
    const net = seeded(1, () => lstm(6, [3], 2));
    const counts: number[] = [];
    const result = new Trainer(net).DSR({
      ...small,
      iterations: 300,
      rate: 0.17,
      seed: 3,
      schedule: { every: 1, do: (d) => void counts.push(d.correct) },
    });
    // `correct` counts the perfect sequences so far; success is that count over the 300 sequences
    expect(counts).toHaveLength(300);
    expect(counts.every((c, i) => i === 0 || c - counts[i - 1] === 0 || c - counts[i - 1] === 1)).toBe(true);
    expect(result.success).toBe(counts[299] / 300);
    // some sequences are recalled perfectly even in 300 trials, and not all of them
    expect(counts[299]).toBeGreaterThan(0);
    expect(counts[299]).toBeLessThan(300);
  });

  it('calls schedule.do with 1.x’s data, and stops when it returns true', () => {
    const seen: DSRScheduleData[] = [];
    const result = new Trainer(seeded(2, () => lstm(6, [2], 2))).DSR({
      ...small,
      iterations: 1000,
      seed: 1,
      schedule: { every: 50, do: (d) => (seen.push(d), d.iterations === 150) },
    });
    expect(result.iterations).toBe(150);
    expect(seen.map((d) => d.iterations)).toEqual([50, 100, 150]);
    expect(Object.keys(seen[0]).sort()).toEqual(['correct', 'error', 'iterations', 'success', 'time']);
  });

  it('refuses symbols that repeat or do not fit, and sequences too short', () => {
    const trainer = new Trainer(seeded(3, () => lstm(6, [2], 2)));
    expect(() => trainer.DSR({ ...small, distractors: [3, 4] })).toThrow(
      /`distractors\[1\]` is 4, which is already in targets/,
    );
    expect(() => trainer.DSR({ ...small, targets: [2, 6] })).toThrow(
      /`targets\[1\]` is 6, but with 6 symbols in all they must be numbered 0 to 5/,
    );
    expect(() => trainer.DSR({ ...small, length: 3 })).toThrow(InvalidOptionError);
    expect(() => trainer.DSR({ ...small, success: 2 })).toThrow(/`success` must be a number between 0 and 1/);
  });

  it('refuses a network with fewer inputs than symbols: 1.x’s own test used LSTM(5,3,2) for 6 symbols', () => {
    const trainer = new Trainer(seeded(4, () => lstm(5, [3], 2)));
    expect(() => trainer.DSR({ ...small, rate: 0.17 })).toThrow(
      /needs a network with 6 inputs and 2 outputs, got 5 inputs/,
    );
  });
});

describe('ERG', () => {
  it('generates embedded Reber strings, repeatably from a seed', () => {
    const a = Array.from(
      { length: 50 },
      (
        (r) => () =>
          generateERG(r)
      )(mulberry32(1)),
    );
    const b = Array.from(
      { length: 50 },
      (
        (r) => () =>
          generateERG(r)
      )(mulberry32(1)),
    );
    expect(a).toEqual(b);
    for (const text of a) {
      expect(isERG(text)).toBe(true);
      expect(text).toMatch(/^B(PB[TPSXV]+ET|TB[TPSXV]+EP)E$/);
    }
  });

  it('test() accepts whole strings only (1.x accepted any prefix, even "")', () => {
    const result = new Trainer(seeded(5, () => lstm(6, [2], 6))).ERG({ iterations: 1, log: false, seed: 1 });
    expect(result.test('BTBTXSEPE')).toBe(true);
    expect(result.test('BPBPVVETE')).toBe(true);
    expect(result.test('BTBTXSETE')).toBe(false); // the branch must close with its own letter
    expect(result.test('BTBTX')).toBe(false);
    expect(result.test('')).toBe(false);
    expect(result.test(result.generate())).toBe(true);
  });

  it('knows the continuations of a prefix', () => {
    expect(ergContinuations('')).toEqual(['B']);
    expect(ergContinuations('B')).toEqual(['P', 'T']);
    expect(ergContinuations('BTBTXSE')).toEqual(['P']);
    expect(ergContinuations('BX')).toBeNull();
  });

  it('returns { iterations, error, time, test, generate }, logs every 500 strings by default, and not with log: false', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const trainer = new Trainer(seeded(6, () => lstm(6, [2], 6)));
    const result = trainer.ERG({ iterations: 1000, error: 0, seed: 2 });
    expect(Object.keys(result).sort()).toEqual(['error', 'generate', 'iterations', 'test', 'time']);
    expect(log.mock.calls.map((c) => c[1])).toEqual([500, 1000]);
    log.mockClear();
    trainer.ERG({ iterations: 600, error: 0, seed: 2, log: false });
    expect(log).not.toHaveBeenCalled();
  });

  it('repeats with the same seed', () => {
    const run = () => new Trainer(seeded(7, () => lstm(6, [2], 6))).ERG({ iterations: 200, log: false, seed: 9 }).error;
    expect(run()).toBe(run());
  });

  it('resets the network before each string with clear: true, and never by default (1.x)', () => {
    const net = seeded(8, () => lstm(6, [2], 6));
    const clear = vi.spyOn(net, 'clear');
    new Trainer(net).ERG({ iterations: 5, error: 0, log: false, seed: 1 });
    expect(clear).not.toHaveBeenCalled();
    new Trainer(net).ERG({ iterations: 5, error: 0, log: false, seed: 1, clear: true });
    expect(clear).toHaveBeenCalledTimes(5);
    // states are zeroed too: after a reset the network answers B the same whatever it saw before
    resetERG(net);
    const first = net.activate([1, 0, 0, 0, 0, 0]);
    net.activate([0, 1, 0, 0, 0, 0]);
    expect(net.activate([1, 0, 0, 0, 0, 0])).not.toEqual(first);
    resetERG(net);
    expect(net.activate([1, 0, 0, 0, 0, 0])).toEqual(first);
    expect(() => new Trainer(net).ERG({ iterations: 1, clear: 'yes' } as never)).toThrow(InvalidOptionError);
  });
});

describe('timing task', () => {
  it('has trainSamples training and testSamples test steps (1.x sized the test part with trainSamples)', () => {
    const { train, test } = timingSamples(300, 120, mulberry32(1));
    expect([train.length, test.length]).toEqual([300, 120]);
    for (const s of [...train, ...test]) {
      expect([0, 1]).toContain(s.input[0]);
      expect([0, 0.5]).toContain(s.output[0]);
    }
  });

  it('returns { train, test } and logs every 10 iterations by default', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const result = new Trainer(seeded(8, () => lstm(2, [2], 1))).timingTask({
      iterations: 20,
      error: 0,
      trainSamples: 50,
      testSamples: 20,
      seed: 1,
    });
    expect(Object.keys(result.train).sort()).toEqual(['error', 'iterations', 'time']);
    expect(Object.keys(result.test).sort()).toEqual(['error', 'time']);
    expect(log.mock.calls.map((c) => c[1])).toEqual([10, 20]);
  });
});

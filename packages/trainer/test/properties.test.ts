/** Properties over random input (fast-check). */
import { mulberry32, type Network, setRandom, SynapticError } from '@synaptic/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Trainer, TrainingDivergedError } from '@synaptic/trainer';
import { lstm, perceptron } from './support/lstm.js';

afterEach(() => {
  setRandom();
  vi.restoreAllMocks();
});

function net(seed: number): Network {
  setRandom(mulberry32(seed));
  const n = perceptron(2, [3], 1);
  setRandom();
  return n;
}

const XOR = [
  { input: [0, 0], output: [0] },
  { input: [1, 0], output: [1] },
  { input: [0, 1], output: [1] },
  { input: [1, 1], output: [0] },
];

/** Junk that sometimes looks like a training set. */
const vector = fc.oneof(
  fc.array(fc.oneof(fc.double(), fc.integer(), fc.constant(Number.NaN), fc.string()), { maxLength: 3 }),
  fc.anything({ withTypedArray: true, withSparseArray: true }),
);
const junkSet = fc.oneof(
  fc.anything({
    withTypedArray: true,
    withSparseArray: true,
    withMap: true,
    withSet: true,
    withBigInt: true,
    withDate: true,
    withNullPrototype: true,
  }),
  fc.array(fc.oneof(fc.record({ input: vector, output: vector }, { requiredKeys: [] }), fc.anything()), {
    maxLength: 5,
  }),
);

/** Junk options mixing real option names with random values. */
const KEYS = [
  'rate',
  'iterations',
  'error',
  'shuffle',
  'log',
  'cost',
  'schedule',
  'crossValidate',
  'seed',
  'random',
  'onProgress',
  'progressEvery',
  'customLog',
  'bogus',
];
const junkOptions = fc.oneof(
  fc.anything(),
  fc.dictionary(
    fc.constantFrom(...KEYS),
    fc.oneof(fc.anything(), fc.integer({ min: -2, max: 3 }), fc.double(), fc.array(fc.double(), { maxLength: 3 })),
  ),
);

function outcome(fn: () => unknown): 'ok' | 'refused' {
  try {
    fn();
    return 'ok';
  } catch (e) {
    // the point: never a TypeError or another non-library error
    if (!(e instanceof SynapticError)) throw e;
    return 'refused';
  }
}

describe('properties', () => {
  it('junk training sets are refused with a SynapticError (never a TypeError), leaving the network as it was', () => {
    const n = net(1);
    const trainer = new Trainer(n);
    fc.assert(
      fc.property(junkSet, (set) => {
        // (a set that passes is trained for 0 iterations, and test() activates the network)
        for (const call of [() => trainer.train(set as never, { iterations: 0 }), () => trainer.test(set as never)]) {
          const before = JSON.stringify(n.toJSON());
          if (outcome(call) === 'refused') expect(JSON.stringify(n.toJSON())).toBe(before);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('junk options are refused with a SynapticError, or train', () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    fc.assert(
      fc.property(junkOptions, (raw) => {
        // keep valid runs short
        const options =
          raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? { ...(raw as object), iterations: 3 } : raw;
        const n = net(2);
        const before = JSON.stringify(n.toJSON());
        try {
          new Trainer(n).train(XOR, options as never);
        } catch (e) {
          expect(e).toBeInstanceOf(SynapticError);
          if (e instanceof TrainingDivergedError) {
            // a huge rate: stopped mid-training, with the weights of the last good iteration
            expect(n.toJSON().connections.every((c) => Number.isFinite(c.weight))).toBe(true);
          } else {
            // refused before training
            expect(JSON.stringify(n.toJSON())).toBe(before);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('train with iterations: 0 leaves the network exactly as it was', () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0, max: 10, noNaN: true }), fc.boolean(), (seed, rate, shuffle) => {
        const n = net(seed);
        const before = JSON.stringify(n.toJSON());
        const result = new Trainer(n).train(XOR, { iterations: 0, rate, shuffle, seed });
        expect(result.iterations).toBe(0);
        expect(JSON.stringify(n.toJSON())).toBe(before);
      }),
      { numRuns: 50 },
    );
  });

  it('the same seed gives identical results, for train and for the tasks', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 60 }), (seed, iterations) => {
        const trainRun = () => {
          const n = net(7);
          const r = new Trainer(n).train(XOR, { iterations, error: 0, shuffle: true, seed });
          return JSON.stringify([r.error, r.iterations, n.toJSON()]);
        };
        expect(trainRun()).toBe(trainRun());
        const dsrRun = () => {
          setRandom(mulberry32(8));
          const n = lstm(6, [2], 2);
          setRandom();
          const r = new Trainer(n).DSR({
            targets: [2, 4],
            distractors: [3, 5],
            prompts: [0, 1],
            length: 6,
            iterations,
            seed,
          });
          return JSON.stringify([r.error, r.success, n.toJSON()]);
        };
        expect(dsrRun()).toBe(dsrRun());
      }),
      { numRuns: 20 },
    );
  });
});

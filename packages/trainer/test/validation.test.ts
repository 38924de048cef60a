/**
 * Bad input is refused with a SynapticError that names the problem, before anything changes.
 * (1.x trained on whatever it was given and produced NaN, or failed with a TypeError.)
 */
import { InvalidArgumentError, mulberry32, type Network, setRandom, SynapticError } from '@synaptic/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  IncompatibleNetworkError,
  InvalidOptionError,
  InvalidTrainingSetError,
  Trainer,
  type TrainableNetwork,
  type TrainOptions,
} from '@synaptic/trainer';
import { perceptron } from './support/lstm.js';

afterEach(() => setRandom());

const XOR = [
  { input: [0, 0], output: [0] },
  { input: [1, 0], output: [1] },
  { input: [0, 1], output: [1] },
  { input: [1, 1], output: [0] },
];

function net(): Network {
  setRandom(mulberry32(1));
  const n = perceptron(2, [3], 1);
  setRandom();
  return n;
}

/** Runs `fn`, expects a SynapticError of `kind` whose message matches `message`, and the network untouched. */
function refuses(
  network: Network,
  fn: () => unknown,
  kind: new (...args: never[]) => SynapticError,
  message: RegExp,
): void {
  const before = JSON.stringify(network.toJSON());
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(kind);
  expect(thrown).toBeInstanceOf(SynapticError);
  expect((thrown as Error).message).toMatch(message);
  expect(JSON.stringify(network.toJSON())).toBe(before);
}

describe('the training set', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    [
      'not an array',
      { input: [0, 0], output: [0] },
      /^set must be an array of \{ input, output \} samples, got an object/,
    ],
    ['a string', 'xor', /^set must be an array/],
    ['empty', [], /^set is empty/],
    ['a sample that is null', [XOR[0], null], /^set\[1\] must be an object/],
    ['a sample without input', [{ output: [1] }], /^set\[0\]\.input must be an array of 2 numbers, got undefined/],
    [
      'an output that is a number',
      [{ input: [0, 1], output: 1 }],
      /^set\[0\]\.output must be an array of 1 numbers, got 1/,
    ],
    [
      'an input of the wrong length',
      [XOR[0], { input: [0, 1, 1], output: [1] }],
      /^set\[1\]\.input must have 2 values \(the network's size\), got 3/,
    ],
    ['an output of the wrong length', [{ input: [0, 1], output: [] }], /^set\[0\]\.output must have 1 value/],
    ['NaN', [{ input: [0, NaN], output: [1] }], /^set\[0\]\.input\[1\] must be a finite number, got NaN/],
    [
      'Infinity in a target',
      [{ input: [0, 1], output: [Infinity] }],
      /^set\[0\]\.output\[0\] must be a finite number, got Infinity/,
    ],
    ['a string number', [{ input: ['0', 1], output: [1] }], /^set\[0\]\.input\[0\] must be a finite number, got "0"/],
    [
      'a hole',
      // biome-ignore lint/suspicious/noSparseArray: the hole is the case under test
      [{ input: [0, , 1].slice(0, 2), output: [1] }],
      /^set\[0\]\.input\[1\] must be a finite number, got undefined/,
    ],
  ];
  it.each(cases)('refuses %s', (_, set, message) => {
    const n = net();
    refuses(n, () => new Trainer(n).train(set as never), InvalidTrainingSetError, message);
    refuses(n, () => new Trainer(n).test(set as never), InvalidTrainingSetError, message);
  });

  it('accepts typed arrays', () => {
    const n = net();
    const set = XOR.map((s) => ({ input: Float64Array.from(s.input), output: Float32Array.from(s.output) }));
    expect(new Trainer(n).train(set, { iterations: 5 }).iterations).toBe(5);
  });

  it('never shuffles the caller’s array (1.x shuffled it in place)', () => {
    const set = XOR.slice();
    new Trainer(net()).train(set, { iterations: 50, shuffle: true, seed: 1 });
    expect(set).toEqual(XOR);
  });
});

describe('options', () => {
  const cases: Array<[string, TrainOptions | Record<string, unknown>, RegExp]> = [
    [
      'an unknown option',
      { iteration: 10 },
      /^option `iteration` is not an option of train \(known: rate, iterations, /,
    ],
    ['a rate of NaN', { rate: NaN }, /^option `rate` must be a finite number >= 0, got NaN/],
    ['a negative rate', { rate: -0.1 }, /^option `rate` must be a finite number >= 0, got -0.1/],
    ['a rate string', { rate: '0.1' }, /^option `rate` must be a finite number >= 0, got "0.1"/],
    ['an empty rate array', { rate: [] }, /^option `rate` must not be an empty array/],
    [
      'a bad rate in an array',
      { rate: [0.1, Infinity] },
      /^option `rate\[1\]` must be a finite number >= 0, got Infinity/,
    ],
    ['fractional iterations', { iterations: 1.5 }, /^option `iterations` must be an integer >= 0, got 1.5/],
    ['negative iterations', { iterations: -1 }, /^option `iterations` must be an integer >= 0/],
    ['an error of NaN', { error: NaN }, /^option `error` must be a finite number >= 0/],
    ['shuffle as a string', { shuffle: 'yes' }, /^option `shuffle` must be true or false/],
    ['a negative log', { log: -10 }, /^option `log` must be an integer >= 0/],
    ['a cost that is not a function', { cost: 'MSE' }, /^option `cost` must be a cost function/],
    ['a schedule without do', { schedule: { every: 10 } }, /^option `schedule\.do` must be a function, got undefined/],
    [
      'a schedule every 0',
      { schedule: { every: 0, do: () => false } },
      /^option `schedule\.every` must be an integer >= 1, got 0/,
    ],
    [
      'crossValidate without testSize',
      { crossValidate: { testError: 0.1 } },
      /^option `crossValidate\.testSize` must be a number between 0 and 1/,
    ],
    ['crossValidate with testSize 1', { crossValidate: { testSize: 1 } }, /^option `crossValidate\.testSize`/],
    [
      'crossValidate with an unknown key',
      { crossValidate: { testSize: 0.5, size: 1 } },
      /^option `crossValidate\.size` is not an option/,
    ],
    [
      'crossValidate that leaves no test sample',
      { crossValidate: { testSize: 0.1 } },
      /testSize` of 0.1 leaves 0 of 4 samples for testing/,
    ],
    ['a seed and a random', { seed: 1, random: Math.random }, /^option `seed` and `random` cannot both be given/],
    ['a fractional seed', { seed: 0.5 }, /^option `seed` must be an integer/],
    ['onProgress that is not a function', { onProgress: true }, /^option `onProgress` must be a function/],
    [
      'options that are not an object',
      5 as unknown as Record<string, unknown>,
      /^option `options` of train must be an object, got 5/,
    ],
  ];
  it.each(cases)('refuses %s', (_, options, message) => {
    const n = net();
    refuses(n, () => new Trainer(n).train(XOR, options as TrainOptions), InvalidOptionError, message);
  });

  it('are checked by the constructor and by every method, with the method named', () => {
    const n = net();
    refuses(n, () => new Trainer(n, { rate: NaN }), InvalidOptionError, /^option `rate`/);
    refuses(n, () => new Trainer(n, { shuffle: true } as never), InvalidOptionError, /not an option of new Trainer/);
    const trainer = new Trainer(n);
    refuses(n, () => trainer.XOR({ itrations: 5 } as never), InvalidOptionError, /`itrations` is not an option of XOR/);
    refuses(n, () => trainer.test(XOR, { rate: 1 } as never), InvalidOptionError, /`rate` is not an option of test/);
    refuses(
      n,
      () => trainer.timingTask({ shuffle: true } as never),
      InvalidOptionError,
      /`shuffle` is not an option of timingTask/,
    );
    refuses(n, () => trainer.ERG({ targets: [1] } as never), InvalidOptionError, /`targets` is not an option of ERG/);
    refuses(n, () => trainer.DSR({ error: 0.1 } as never), InvalidOptionError, /`error` is not an option of DSR/);
  });

  it('counts undefined as absent', () => {
    const result = new Trainer(net(), { iterations: 7 }).train(XOR, { iterations: undefined, rate: undefined });
    expect(result.iterations).toBe(7);
  });

  it('a rate function returning a bad rate stops at that iteration, naming it', () => {
    const n = net();
    const copy = n.clone();
    new Trainer(copy).train(XOR, { iterations: 4, rate: 0.3, error: 0 });
    expect(() => new Trainer(n).train(XOR, { iterations: 100, error: 0, rate: (i) => (i < 5 ? 0.3 : NaN) })).toThrow(
      /^option `rate` must be a finite number >= 0 \(the rate function returned it for iteration 5\), got NaN/,
    );
    // the first four iterations ran, the fifth changed nothing
    expect(JSON.stringify(n.toJSON().connections)).toBe(JSON.stringify(copy.toJSON().connections));
  });

  it('a random that leaves [0, 1) is refused when used', () => {
    expect(() => new Trainer(net()).train(XOR, { shuffle: true, random: () => 1 })).toThrow(
      /^option `random` must return numbers in \[0, 1\), returned 1/,
    );
  });
});

describe('the network', () => {
  it('must have activate, propagate, inputs and outputs', () => {
    expect(() => new Trainer(null as never)).toThrow(InvalidArgumentError);
    expect(() => new Trainer({ activate() {}, inputs: () => 1, outputs: () => 1 } as never)).toThrow(
      /`network` has no propagate\(\) method/,
    );
  });

  it('must fit each task: 1.x trained mismatched networks into NaN', () => {
    const small = net(); // 2 inputs, 1 output
    const trainer = new Trainer(small);
    refuses(
      small,
      () => trainer.ERG({ iterations: 1 }),
      IncompatibleNetworkError,
      /^ERG needs a network with 6 inputs and 6 outputs, got 2 inputs and 1 output/,
    );
    refuses(
      small,
      () => trainer.DSR({ iterations: 1 }),
      IncompatibleNetworkError,
      /^DSR with 10 symbols and 4 targets needs a network with 10 inputs and 4 outputs, got 2 inputs and 1 output/,
    );
    const wide = perceptron(3, [2], 1);
    refuses(
      wide,
      () => new Trainer(wide).XOR(),
      IncompatibleNetworkError,
      /^XOR needs a network with 2 inputs and 1 output, got 3 inputs/,
    );
    refuses(
      wide,
      () => new Trainer(wide).timingTask(),
      IncompatibleNetworkError,
      /^the timing task needs a network with 2 inputs and 1 output/,
    );
  });

  it('that already holds NaN is refused before training', () => {
    const n = net();
    n.layers.output!.list[0].store.bias[0] = NaN; // behind core's back
    expect(() => new Trainer(n).train(XOR, { iterations: 1 })).toThrow(/already holds NaN or Infinity/);
  });

  it('may be anything implementing TrainableNetwork', () => {
    // a one-weight linear unit, trained by hand-written math
    let w = 0;
    let last = 0;
    const unit: TrainableNetwork = {
      activate: (input) => [(last = input[0]) * w],
      propagate: (rate, target) => {
        w += rate * (target[0] - last * w) * last;
      },
      inputs: () => 1,
      outputs: () => 1,
    };
    const result = new Trainer(unit).train([{ input: [1], output: [0.5] }], { rate: 0.5, error: 1e-10 });
    expect(result.error).toBeLessThanOrEqual(1e-10);
    expect(w).toBeCloseTo(0.5, 4);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InvalidArgumentError, Layer, Neuron, SynapticError } from '@synaptic/core';
import { Architect, GRU, Hopfield, Liquid, LSTM, NARX, Perceptron, Random } from '@synaptic/architect';

/** Runs `build`, expecting an InvalidArgumentError whose message matches `pattern`, and that no unit or connection was made. */
function rejects(build: () => unknown, pattern: RegExp): void {
  const before = Neuron.quantity();
  let error: unknown;
  try {
    build();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InvalidArgumentError);
  expect((error as Error).message).toMatch(pattern);
  expect(Neuron.quantity()).toEqual(before);
}

type Construct = (...args: unknown[]) => unknown;
const perceptron: Construct = (...a) => new Perceptron(...(a as number[]));
const lstm: Construct = (...a) => new LSTM(...(a as number[]));
const gru: Construct = (...a) => new GRU(...(a as number[]));
const liquid: Construct = (...a) => new (Liquid as unknown as new (...x: unknown[]) => Liquid)(...a);
const narx: Construct = (...a) => new (NARX as unknown as new (...x: unknown[]) => NARX)(...a);
const random: Construct = (...a) => new (Random as unknown as new (...x: unknown[]) => Random)(...a);
const hopfield: Construct = (...a) => new (Hopfield as unknown as new (...x: unknown[]) => Hopfield)(...a);

describe('bad sizes are rejected, naming the argument, before anything is built', () => {
  const bad: Array<[string, unknown]> = [
    ['zero', 0],
    ['negative', -2],
    ['fractional', 1.5],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['a string', '3'],
    ['null', null],
    ['undefined', undefined],
    ['an object', {}],
    ['a bigint', 3n],
    ['a symbol', Symbol('size')],
  ];
  it.each(bad)('Perceptron with %s', (_, value) => {
    rejects(() => perceptron(2, value, 1), /Perceptron hidden layer 1 size \(argument 2\) must be a positive integer/);
    rejects(() => perceptron(value, 3, 1), /Perceptron input layer size \(argument 1\)/);
    rejects(() => perceptron(2, 3, 4, value), /Perceptron output layer size \(argument 4\)/);
  });
  it.each(bad)('LSTM with %s', (_, value) => {
    rejects(() => lstm(2, value, 1), /LSTM memory block 1 size \(argument 2\) must be a positive integer/);
    rejects(() => lstm(value, 3, 1, {}), /LSTM input layer size \(argument 1\)/);
  });
  it.each(bad)('GRU with %s', (_, value) => {
    rejects(() => gru(2, 3, value, 1), /GRU block 2 size \(argument 3\) must be a positive integer/);
  });
  it.each(bad)('Liquid with %s', (_, value) => {
    rejects(() => liquid(2, value, 1, 5, 2), /Liquid pool size \(argument 2\) must be a positive integer/);
    if (value !== 0)
      rejects(() => liquid(2, 5, 1, value, 2), /Liquid connections \(argument 4\) must be a non-negative integer/);
  });
  it.each(bad)('NARX with %s', (_, value) => {
    rejects(() => narx(value, 4, 1, 2, 2), /NARX input layer size \(argument 1\)/);
    rejects(() => narx(1, [4, value], 1, 2, 2), /NARX hidden layer 2 size \(argument 2\)/);
    if (value !== 0)
      rejects(() => narx(1, 4, 1, value, 2), /NARX inputMemory \(argument 4\) must be a non-negative integer/);
  });
  it.each(bad)('Random with %s', (_, value) => {
    rejects(() => random(value, 3, 1), /Random input layer size \(argument 1\)/);
    if (value !== 0)
      rejects(() => random(2, value, 1), /Random hidden units \(argument 2\) must be a non-negative integer/);
  });
  it.each(bad)('Hopfield with %s', (_, value) => {
    rejects(() => hopfield(value), /Hopfield size \(argument 1\) must be a positive integer/);
  });
});

describe('argument lists and options', () => {
  it('Perceptron, LSTM and GRU need three sizes', () => {
    rejects(() => perceptron(2, 1), /Perceptron needs at least 3 layer sizes .* got 2/);
    rejects(() => perceptron(), /got 0/);
    rejects(() => lstm(2, 1, {}), /LSTM needs at least 3 layer sizes .* got 2/);
    rejects(() => gru(4), /GRU needs at least 3 layer sizes/);
    rejects(() => gru(2, 3, 1, { inputToOutput: 'yes' }), /GRU option inputToOutput must be true or false/);
    rejects(() => gru(2, 3, 1, { peepholes: 'ALL TO ALL' }), /GRU options: unknown option "peepholes"/);
  });

  it('LSTM refuses unknown options and options of the wrong kind', () => {
    rejects(
      () => lstm(2, 3, 1, { peepholes: Layer.connectionType.ONE_TO_ONE, inputToOuput: false }),
      /unknown option "inputToOuput"/,
    );
    rejects(() => lstm(2, 3, 1, { peepholes: 'ALL' }), /peepholes must be Layer.connectionType/);
    rejects(() => lstm(2, 3, 1, { hiddenToHidden: 1 }), /LSTM option hiddenToHidden must be true or false, got 1/);
    rejects(() => lstm(2, 3, 1, null), /last argument must be the output layer size or an options object, got null/);
    rejects(() => lstm(2, 3, 1, [true]), /got an array/);
    rejects(() => lstm(2, 3, 1, { [Symbol('x')]: 1 }), /unknown option a symbol key/);
    // undefined means "not given", as omitting it
    expect(lstm(2, 3, 1, { peepholes: undefined })).toBeInstanceOf(LSTM);
  });

  it('Liquid checks its gates and options', () => {
    rejects(() => liquid(2, 5, 1, 0, 3), /Liquid gates \(argument 5\): there are no connections to gate/);
    rejects(() => liquid(2, 5, 1, 4, 1, { seed: 3 }), /Liquid options \(argument 6\): unknown option "seed"/);
    rejects(() => liquid(2, 5, 1, 4, 1, { random: 0.5 }), /Liquid option random must be a function/);
    expect(() => liquid(2, 5, 1, 4, 1, { random: () => 1 })).toThrow(
      /the random source must return numbers in \[0, 1\), got 1/,
    );
  });

  it('Random checks its options', () => {
    rejects(() => random(2, 3, 1, { connection: 3 }), /unknown option "connection"/);
    rejects(() => random(2, 3, 1, { gates: -1 }), /Random option gates must be a non-negative integer/);
    rejects(() => random(2, 3, 1, { seed: 1.5 }), /Random option seed must be an integer/);
    rejects(() => random(2, 3, 1, { seed: 1, random: () => 0.5 }), /either random or seed/);
    rejects(() => random(2, 3, 1, 'dense'), /Random options \(argument 4\) must be an object/);
  });

  it('NARX needs hidden sizes', () => {
    rejects(() => narx(1, [], 1, 1, 1), /must not be an empty array/);
    rejects(
      () => narx(1, '4', 1, 1, 1),
      /NARX hidden layer size \(argument 2\) must be a positive integer or an array of them, got "4"/,
    );
  });

  it('Architect holds the same classes', () => {
    expect(Architect.Perceptron).toBe(Perceptron);
    expect(new Architect.LSTM(2, 2, 1)).toBeInstanceOf(LSTM);
    expect(Object.keys(Architect)).toEqual([
      'Perceptron',
      'LSTM',
      'Liquid',
      'Hopfield',
      'GRU',
      'NARX',
      'Random',
      'Convolutional',
      'Transformer',
      'ContinuousTransformer',
      'TransformerBlock',
    ]);
  });
});

describe('Hopfield patterns', () => {
  const net = new Hopfield(4);
  it('learn and feed refuse patterns of the wrong length or with values other than 0 and 1', () => {
    const w = net.toJSON();
    rejects(
      () => net.learn([[0, 1, 0]]),
      /Hopfield.learn: patterns\[0\] must have 4 values \(the network's size\), got 3/,
    );
    rejects(
      () =>
        net.learn([
          [0, 1, 0, 1],
          [0, 1, 0.5, 1],
        ]),
      /patterns\[1\]\[2\] must be 0 or 1, got 0.5/,
    );
    rejects(() => net.learn([[0, 1, 0, true]] as unknown as number[][]), /patterns\[0\]\[3\] must be 0 or 1, got true/);
    rejects(() => net.learn([]), /non-empty array of patterns/);
    rejects(() => net.learn('0101' as unknown as number[][]), /non-empty array of patterns, got "0101"/);
    rejects(() => net.learn([[0, 1, 0, 1]], { iterations: 5, momentum: 1 } as never), /unknown option "momentum"/);
    rejects(() => net.feed([0, 1, 2, 1]), /Hopfield.feed: pattern\[2\] must be 0 or 1, got 2/);
    rejects(() => net.feed([0, 1]), /must have 4 values/);
    expect(net.toJSON()).toEqual(w);
  });
});

describe('junk arguments (property)', () => {
  const constructors: Array<[string, Construct]> = [
    ['Perceptron', perceptron],
    ['LSTM', lstm],
    ['GRU', gru],
    ['Liquid', liquid],
    ['NARX', narx],
    ['Random', random],
    ['Hopfield', hopfield],
  ];
  // anything at all, except numbers that would be valid (and possibly huge) sizes
  const junk = fc
    .anything({ withBigInt: true, withBoxedValues: true, withMap: true, withSet: true, withTypedArray: true })
    .filter((v) => !(typeof v === 'number' && Number.isInteger(v) && v > 0));
  const small = fc.integer({ min: 1, max: 4 });
  const argument = fc.oneof(
    { weight: 2, arbitrary: small },
    { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5, NaN, Infinity, '2', null, undefined, true, [], {}) },
    { weight: 1, arbitrary: junk },
  );

  it.each(constructors)('%s throws a SynapticError or builds a network, never anything else', (_, build) => {
    fc.assert(
      fc.property(fc.array(argument, { maxLength: 7 }), (args) => {
        const before = Neuron.quantity();
        let built: unknown;
        try {
          built = build(...args);
        } catch (error) {
          if (!(error instanceof SynapticError)) throw error;
          // nothing half-built: not a single unit or connection was made
          expect(Neuron.quantity()).toEqual(before);
          return;
        }
        const net = built as Perceptron;
        expect(net.inputs()).toBeGreaterThan(0);
        expect(net.activate(new Array(net.inputs()).fill(0.5)).length).toBe(net.outputs());
      }),
      { numRuns: 300, seed: 20240601 },
    );
  });
});

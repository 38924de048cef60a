/**
 * The behaviour kept from 1.x, checked against synaptic 1.1.4 itself: the same network (by JSON),
 * the same random numbers (1.x reads Math.random, which is seeded for the call; the trainer gets
 * the same generator through `random`), and the trained weights must come out bit for bit equal.
 */
import { mulberry32, Network, type NetworkJSON, format1x } from '@synaptic/core';
import { describe, expect, it } from 'vitest';
import { Trainer } from '@synaptic/trainer';
import { lstm, perceptron } from './support/lstm.js';
import { network1x, parameters, synaptic1x, withSeededRandom as withSeededMath } from '@synaptic/test-support';

const XOR = [
  { input: [0, 0], output: [0] },
  { input: [1, 0], output: [1] },
  { input: [0, 1], output: [1] },
  { input: [1, 1], output: [0] },
];

function sinSet(n: number, seed: number) {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const x = random() * Math.PI * 2;
    return { input: [x], output: [(Math.sin(x) + 1) / 2] };
  });
}

function build<T>(seed: number, make: () => T): T {
  return withSeededMath(seed, make);
}

/**
 * A network built here, as 1.x writes it after loading it twice: 1.x's `fromJSON` replays
 * connections unit by unit, which for gated networks changes the order of some sums; both
 * libraries load this fixed point the same way, so their arithmetic matches to the last bit.
 */
function fixedPoint(net: Network): Network {
  const once = network1x(net.toJSON()).toJSON();
  return Network.fromJSON(JSON.parse(JSON.stringify(network1x(once).toJSON())));
}

function expectSameParameters(ours: NetworkJSON, theirs: Parameters<typeof parameters>[0]): void {
  expect(parameters(ours)).toEqual(parameters(theirs));
}

describe('the test LSTM helper', () => {
  it('wires and initialises exactly like 1.x Architect.LSTM', () => {
    const { Architect } = synaptic1x;
    const ours = format1x(build(5, () => lstm(6, [3, 2], 2)).toJSON());
    const theirs = build(5, () => new Architect.LSTM(6, 3, 2, 2)).toJSON();
    expect(ours.connections.map((c) => [c.from, c.to, c.gater ?? null, c.weight])).toEqual(
      theirs.connections.map((c) => [c.from, c.to, c.gater ?? null, c.weight]),
    );
    expect(ours.neurons.map((n) => [n.layer, n.bias])).toEqual(theirs.neurons.map((n) => [n.layer, n.bias]));
  });
});

describe('train, against synaptic 1.1.4', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['shuffled, fixed rate', { iterations: 300, shuffle: true, rate: 0.3, error: 1e-9 }],
    ['rate array', { iterations: 500, rate: [0.5, 0.2, 0.05], error: 1e-9 }],
    ['rate function', { iterations: 400, rate: (i: number, e: number) => (i < 200 ? 0.4 : 0.1 + e), error: 1e-9 }],
    ['stopping on error', { iterations: 100000, rate: 0.5, error: 0.02 }],
    ['CROSS_ENTROPY', { iterations: 300, rate: 0.3, error: 1e-9, cost: Trainer.cost.CROSS_ENTROPY }],
  ];
  it.each(cases)('%s', (_, options) => {
    const net = build(11, () => perceptron(2, [3], 1));
    const theirsNet = network1x(net.toJSON());
    const theirs = withSeededMath(3, () =>
      new synaptic1x.Trainer(theirsNet).train(
        XOR.map((s) => ({ ...s })),
        options,
      ),
    );
    const ours = new Trainer(net).train(XOR, { ...options, random: mulberry32(3) });
    expect([ours.error, ours.iterations]).toEqual([theirs.error, theirs.iterations]);
    expectSameParameters(format1x(net.toJSON()), theirsNet.toJSON());
  });

  it('cross-validation: same split, same test error', () => {
    const set = sinSet(40, 2);
    const net = build(12, () => perceptron(1, [5], 1));
    const theirsNet = network1x(net.toJSON());
    const options = { iterations: 200, rate: 0.3, error: 1e-9, crossValidate: { testSize: 0.3, testError: 1e-9 } };
    const theirs = new synaptic1x.Trainer(theirsNet).train(set, options);
    const ours = new Trainer(net).train(set, options);
    expect([ours.error, ours.iterations]).toEqual([theirs.error, theirs.iterations]);
    expectSameParameters(format1x(net.toJSON()), theirsNet.toJSON());
  });

  it('XOR() with its defaults (shuffled, until MSE 0.005)', () => {
    const net = build(13, () => perceptron(2, [3], 1));
    const theirsNet = network1x(net.toJSON());
    const theirs = withSeededMath(8, () => new synaptic1x.Trainer(theirsNet).XOR());
    const ours = new Trainer(net).XOR({ random: mulberry32(8) });
    expect([ours.error, ours.iterations]).toEqual([theirs.error, theirs.iterations]);
    expect(ours.error).toBeLessThanOrEqual(0.005);
    expectSameParameters(format1x(net.toJSON()), theirsNet.toJSON());
  });

  it('test() measures the same error', () => {
    const net = build(14, () => perceptron(1, [4], 1));
    const set = sinSet(30, 4);
    const theirs = new synaptic1x.Trainer(network1x(net.toJSON())).test(set);
    expect(new Trainer(net).test(set).error).toBe(theirs.error);
  });
});

describe('tasks, against synaptic 1.1.4', () => {
  it('ERG: same strings, same weights', () => {
    const net = fixedPoint(build(21, () => lstm(6, [4], 6)));
    const theirsNet = network1x(net.toJSON());
    const options = { iterations: 300, rate: 0.1, error: 1e-9 };
    const theirs = withSeededMath(9, () => new synaptic1x.Trainer(theirsNet).ERG({ ...options, log: 1e9 }));
    const ours = new Trainer(net).ERG({ ...options, log: false, random: mulberry32(9) });
    expect([ours.error, ours.iterations]).toEqual([theirs.error, theirs.iterations]);
    expectSameParameters(format1x(net.toJSON()), theirsNet.toJSON());
  });

  it('DSR: same sequences, same weights (success differs: 1.x dropped the first sequence of a block)', () => {
    const net = fixedPoint(build(22, () => lstm(6, [3], 2)));
    const theirsNet = network1x(net.toJSON());
    const options = { targets: [2, 4], distractors: [3, 5], prompts: [0, 1], length: 9, rate: 0.17, iterations: 400 };
    const theirs = withSeededMath(10, () => new synaptic1x.Trainer(theirsNet).DSR(options));
    const ours = new Trainer(net).DSR({ ...options, random: mulberry32(10) });
    expect([ours.error, ours.iterations]).toEqual([theirs.error, theirs.iterations]);
    expectSameParameters(format1x(net.toJSON()), theirsNet.toJSON());
  });

  it('timing task: same series, same training and test errors (equal train and test sizes, where 1.x was right)', () => {
    const net = fixedPoint(build(23, () => lstm(2, [3], 1)));
    const theirsNet = network1x(net.toJSON());
    const options = { iterations: 4, trainSamples: 150, testSamples: 150 };
    const theirs = withSeededMath(11, () => new synaptic1x.Trainer(theirsNet).timingTask({ ...options, log: false }));
    const ours = new Trainer(net).timingTask({ ...options, log: false, random: mulberry32(11) });
    expect([ours.train.error, ours.train.iterations, ours.test.error]).toEqual([
      theirs.train.error,
      theirs.train.iterations,
      theirs.test.error,
    ]);
    expectSameParameters(format1x(net.toJSON()), theirsNet.toJSON());
  });
});

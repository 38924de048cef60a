/**
 * `Network.fromJSON(net.toJSON())` is the network it came from, to the last bit: same outputs,
 * same weights after training. 1.x's JSON lists connections by source, and a unit sums its inputs
 * in the order they were made (1.x's connection IDs), so where that order is not by source (an
 * LSTM's output layer hears the cells before the input layer) `toJSON` lists them in an order that
 * rebuilds it: each unit's inputs in its order of summation, each unit's projections in its own.
 */
import { describe, expect, it } from 'vitest';
import { Layer, Network } from '@synaptic/core';
import { GRU, Liquid, LSTM, NARX, Perceptron, Random, type LSTMOptions } from '@synaptic/architect';
import { as1xWrites, makeData, synaptic1x, withSeededRandom } from '@synaptic/test-support';

/** Steps both networks through the same sequence; returns the first step whose bits differ, or -1. */
function firstDifference(a: Network, b: Network, steps: number, seed: number): number {
  const data = makeData(a.inputs(), a.outputs(), steps, seed);
  for (let t = 0; t < data.length; t++) {
    const { input, target } = data[t];
    const ya = a.activate(input);
    const yb = b.activate(input);
    if (!ya.every((y, k) => Object.is(y, yb[k]))) return t;
    a.propagate(0.3, target);
    b.propagate(0.3, target);
  }
  const wa = a.toJSON().connections.map((c) => c.weight);
  const wb = b.toJSON().connections.map((c) => c.weight);
  return wa.every((w, i) => Object.is(w, wb[i])) && wa.length === wb.length ? -1 : steps;
}

const lstmCases: Array<[string, number[], LSTMOptions]> = [
  ['1 block', [2, 3, 1], {}],
  ['2 blocks', [2, 3, 3, 2], {}],
  [
    'all options',
    [2, 3, 2],
    { peepholes: Layer.connectionType.ONE_TO_ONE, hiddenToHidden: true, outputToHidden: true, outputToGates: true },
  ],
  ['2 blocks, outputToGates + hiddenToHidden', [3, 4, 2, 2], { outputToGates: true, hiddenToHidden: true }],
  ['no inputToOutput', [2, 3, 3, 1], { inputToOutput: false }],
];

describe('Network.fromJSON(lstm.toJSON()) is the same LSTM, bit for bit', () => {
  it.each(lstmCases)('%s', (_, sizes, options) => {
    const net = withSeededRandom(7, () => new LSTM(...sizes, options));
    const copy = Network.fromJSON(JSON.parse(JSON.stringify(net.toJSON())));
    expect(firstDifference(net, copy, 40, 3)).toBe(-1);
  });

  it('the file is 1.x’s bytes plus `replay`; 1.x’s own round trip changes the sums, and ours of 1.x’s file does what 1.x does', () => {
    const [sizes, options] = lstmCases[3].slice(1) as [number[], LSTMOptions];
    const ours = withSeededRandom(7, () => new LSTM(...sizes, options));
    const theirs = withSeededRandom(7, () => new synaptic1x.Architect.LSTM(...sizes, options));
    const file = ours.toJSON();
    expect(as1xWrites(file)).toBe(JSON.stringify(theirs.toJSON()));
    expect('replay' in file && file.replay!.length).toBeGreaterThan(1);
    // 1.x ignores replay: it loads our file as it loads its own
    const fromOurs = synaptic1x.Network.fromJSON(file);
    const fromTheirs = synaptic1x.Network.fromJSON(theirs.toJSON());
    // and we load 1.x's file (no replay) in 1.x's order
    const oursFromTheirs = Network.fromJSON(theirs.toJSON());
    for (const n of [theirs, fromOurs, fromTheirs]) n.setOptimize(false);
    let reloadDiffers = 0;
    let ourFileDiffers = 0;
    let ourLoadDiffers = 0;
    for (const { input, target } of makeData(sizes[0], sizes[sizes.length - 1], 40, 3)) {
      const y = theirs.activate(input);
      const z = fromTheirs.activate(input);
      z.forEach((v, k) => (reloadDiffers += Object.is(v, y[k]) ? 0 : 1));
      fromOurs.activate(input).forEach((v, k) => (ourFileDiffers += Object.is(v, z[k]) ? 0 : 1));
      oursFromTheirs.activate(input).forEach((v, k) => (ourLoadDiffers += Object.is(v, z[k]) ? 0 : 1));
      for (const n of [theirs, fromOurs, fromTheirs]) n.propagate(0.3, target);
      oursFromTheirs.propagate(0.3, target);
    }
    // the cause: 1.x's list (by source) rebuilds the output layer's sums in another order
    expect(reloadDiffers).toBeGreaterThan(0);
    expect([ourFileDiffers, ourLoadDiffers]).toEqual([0, 0]);
  });

  it('networks whose by-source list rebuilds them get no replay (a Perceptron, an LSTM without inputToOutput)', () => {
    expect('replay' in withSeededRandom(1, () => new Perceptron(2, 4, 3, 1)).toJSON()).toBe(false);
    expect('replay' in withSeededRandom(1, () => new LSTM(2, 3, 1, { inputToOutput: false })).toJSON()).toBe(false);
  });
});

describe('the round trip of every architecture is exact', () => {
  const builds: Array<[string, () => Network]> = [
    ['Perceptron', () => new Perceptron(3, 4, 3, 2)],
    ['Liquid', () => new Liquid(3, 10, 2, 20, 6)],
    ['GRU', () => new GRU(3, 4, 3, 2)],
    ['NARX', () => new NARX(2, [4, 3], 2, 2, 3)],
    ['Random', () => new Random(3, 6, 2, { seed: 5, backConnections: 3, selfConnections: 2, gates: 4 })],
  ];
  it.each(builds)('%s', (_, build) => {
    for (let seed = 1; seed <= 5; seed++) {
      const net = withSeededRandom(seed, build);
      const copy = Network.fromJSON(JSON.parse(JSON.stringify(net.toJSON())));
      expect(firstDifference(net, copy, 30, seed)).toBe(-1);
    }
  });
});

import { describe, expect, it, vi } from 'vitest';
import { getRandom, Layer, mulberry32, Network, setRandom, squash, format1x } from '@synaptic/core';
import { GRU, Hopfield, Liquid, LSTM, NARX, Perceptron, Random } from '@synaptic/architect';
import { makeData as makeSteps, withSeededRandom as withSeededMathRandom } from '@synaptic/test-support';

const all: Array<[string, () => Network]> = [
  ['Perceptron', () => new Perceptron(3, 4, 3, 2)],
  ['LSTM', () => new LSTM(3, 3, 2, 2, { hiddenToHidden: true, outputToGates: true })],
  ['Liquid', () => new Liquid(3, 10, 2, 20, 6)],
  ['Hopfield', () => new Hopfield(5)],
  ['GRU', () => new GRU(3, 4, 3, 2)],
  ['NARX', () => new NARX(2, [4, 3], 2, 2, 3)],
  ['Random', () => new Random(3, 6, 2, { seed: 5, backConnections: 3, selfConnections: 2, gates: 4 })],
];

describe.each(all)('%s is a plain core Network', (_, build) => {
  it('extends Network; a clone computes the same numbers, a copy through JSON the same up to rounding', () => {
    const net = withSeededMathRandom(11, build);
    expect(net).toBeInstanceOf(Network);
    const clone = net.clone();
    // fromJSON rebuilds each unit's inputs in file order, so sums may round differently
    const loaded = Network.fromJSON(JSON.parse(JSON.stringify(net.toJSON())));
    let worst = 0;
    for (const { input, target } of makeSteps(net.inputs(), net.outputs(), 30, 3)) {
      const expected = net.activate(input);
      expect(clone.activate(input)).toEqual(expected);
      loaded.activate(input).forEach((y, i) => (worst = Math.max(worst, Math.abs(y - expected[i]))));
      for (const copy of [net, clone, loaded]) copy.propagate(0.1, target);
    }
    expect(worst).toBeLessThan(1e-12);
    expect(JSON.stringify(clone.toJSON())).toBe(JSON.stringify(net.toJSON()));
    const a = net.toJSON().connections;
    const b = loaded.toJSON().connections;
    expect(b.map((c) => [c.from, c.to, c.gater])).toEqual(a.map((c) => [c.from, c.to, c.gater]));
    b.forEach((c, i) => expect(Math.abs(c.weight - a[i].weight)).toBeLessThan(1e-12));
  });
});

describe('GRU wiring', () => {
  it('has five layers per block with the documented squashes, biases and gates', () => {
    const net = withSeededMathRandom(1, () => new GRU(2, 3, 1));
    const [z, q, r, p, h] = net.layers.hidden;
    expect(net.layers.hidden).toHaveLength(5);
    for (const unit of z.list) expect([unit.squash, unit.bias]).toEqual([squash.LOGISTIC, 1]);
    for (const unit of r.list) expect([unit.squash, unit.bias]).toEqual([squash.LOGISTIC, 1]);
    for (const unit of q.list) expect([unit.squash, unit.bias]).toEqual([squash.IDENTITY, 1]);
    for (const unit of p.list) expect([unit.squash, unit.bias]).toEqual([squash.IDENTITY, 0]);
    for (const unit of h.list) expect(unit.squash).toBe(squash.TANH);
    // q = 1 - z, p = r * h(t-1), h(t) = z * h(t-1) + q * (...)
    h.list.forEach((unit, j) => {
      expect(unit.selfconnected()).toBe(true);
      expect(unit.selfconnection.gater).toBe(z.list[j]);
      for (const c of Object.values(unit.connections.inputs)) expect(c.gater).toBe(q.list[j]);
    });
    q.list.forEach((unit, j) => {
      const inputs = Object.values(unit.connections.inputs);
      expect(inputs.map((c) => [c.from, c.weight])).toEqual([[z.list[j], -1]]);
    });
    p.list.forEach((unit, j) => {
      const inputs = Object.values(unit.connections.inputs);
      expect(inputs.map((c) => [c.from, c.weight, c.gater])).toEqual([[h.list[j], 1, r.list[j]]]);
    });
  });

  it('computes the GRU equations before training', () => {
    const net = withSeededMathRandom(2, () => new GRU(2, 3, 1));
    const [z, q, r, p, h] = net.layers.hidden;
    let previous = h.list.map(() => 0);
    let state = h.list.map(() => 0);
    for (const { input } of makeSteps(2, 1, 20, 9)) {
      net.activate(input);
      h.list.forEach((unit, j) => {
        expect(q.list[j].activation).toBeCloseTo(1 - z.list[j].activation, 14);
        expect(p.list[j].activation).toBeCloseTo(r.list[j].activation * previous[j], 14);
        // s(t) = z s(t-1) + (1 - z) (W x + U p) + b, h = tanh(s)
        const drive = Object.values(unit.connections.inputs).reduce((sum, c) => sum + c.weight * c.from.activation, 0);
        expect(unit.state).toBeCloseTo(z.list[j].activation * state[j] + q.list[j].activation * drive + unit.bias, 12);
        expect(unit.activation).toBeCloseTo(Math.tanh(unit.state), 14);
      });
      previous = h.list.map((unit) => unit.activation);
      state = h.list.map((unit) => unit.state);
    }
  });
});

describe('NARX wiring', () => {
  it('feeds the hidden layer the last inputs and outputs through IDENTITY delay lines of weight 1', () => {
    const net = withSeededMathRandom(3, () => new NARX(2, 4, 1, 2, 3));
    const { hidden } = net.layers;
    // output memory (oldest first), hidden, input memory (oldest first)
    expect(hidden.map((l) => l.size)).toEqual([1, 1, 1, 4, 2, 2]);
    const [om3, om2, om1, , im2, im1] = hidden;
    for (const layer of [om3, om2, om1, im2, im1]) {
      for (const unit of layer.list) {
        expect([unit.squash, unit.bias]).toEqual([squash.IDENTITY, 0]);
        expect(Object.values(unit.connections.inputs).map((c) => c.weight)).toEqual([1]);
      }
    }
    const inputs: number[][] = [];
    const outputs: number[][] = [];
    for (const { input } of makeSteps(2, 1, 8, 4)) {
      const t = inputs.length;
      const output = net.activate(input);
      // what the hidden layer saw at step t: x(t-1), x(t-2), y(t-1), y(t-2), y(t-3); afterwards
      // the input memory holds x(t), x(t-1)
      const at = (list: number[][], k: number, size: number) => (k >= 0 ? list[k] : new Array(size).fill(0));
      expect(im1.list.map((u) => u.activation)).toEqual(input);
      expect(im2.list.map((u) => u.activation)).toEqual(at(inputs, t - 1, 2));
      expect(om1.list.map((u) => u.activation)).toEqual(at(outputs, t - 1, 1));
      expect(om2.list.map((u) => u.activation)).toEqual(at(outputs, t - 2, 1));
      expect(om3.list.map((u) => u.activation)).toEqual(at(outputs, t - 3, 1));
      inputs.push(input);
      outputs.push(output);
    }
  });
});

describe('seedable randomness', () => {
  it('Liquid with options.random equals Liquid under the same seeded Math.random, and leaves both alone', () => {
    const seeded = withSeededMathRandom(42, () => new Liquid(3, 15, 2, 40, 12));
    const spy = vi.spyOn(Math, 'random');
    const source = getRandom();
    const given = new Liquid(3, 15, 2, 40, 12, { random: mulberry32(42) });
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    expect(getRandom()).toBe(source);
    expect(JSON.stringify(given.toJSON())).toBe(JSON.stringify(seeded.toJSON()));
  });

  it("Liquid without options uses core's random source", () => {
    setRandom(mulberry32(8));
    try {
      const a = new Liquid(2, 9, 1, 20, 5);
      setRandom(mulberry32(8));
      const b = new Liquid(2, 9, 1, 20, 5);
      expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
    } finally {
      setRandom();
    }
  });

  it("core's random source is restored even when a build throws", () => {
    const source = getRandom();
    expect(() => new Liquid(2, 9, 1, 20, 5, { random: () => NaN })).toThrow(/random source/);
    expect(getRandom()).toBe(source);
  });
});

describe('Random', () => {
  const options = { seed: 7, connections: 10, backConnections: 4, selfConnections: 3, gates: 5 };

  it('is reproducible from a seed or a random source, and different for another seed', () => {
    const a = JSON.stringify(new Random(3, 8, 2, options).toJSON());
    expect(JSON.stringify(new Random(3, 8, 2, options).toJSON())).toBe(a);
    const { seed, ...rest } = options;
    expect(JSON.stringify(new Random(3, 8, 2, { ...rest, random: mulberry32(seed) }).toJSON())).toBe(a);
    expect(JSON.stringify(new Random(3, 8, 2, { ...options, seed: 8 }).toJSON())).not.toBe(a);
    const spy = vi.spyOn(Math, 'random');
    new Random(3, 8, 2, options);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it('makes the requested numbers of connections, back-connections, self-connections and gates', () => {
    for (let seed = 0; seed < 20; seed++) {
      const json = format1x(new Random(3, 8, 2, { ...options, seed }).toJSON());
      const total = json.neurons.length;
      const forward = json.connections.filter((c) => c.from < c.to);
      const back = json.connections.filter((c) => c.from > c.to);
      const self = json.connections.filter((c) => c.from === c.to);
      expect(back).toHaveLength(4);
      expect(self).toHaveLength(3);
      expect(json.connections.filter((c) => c.gater !== null)).toHaveLength(5);
      // skeleton: one input for each of the 10 hidden and output units, plus outputs for dead ends
      expect(forward.length).toBeGreaterThanOrEqual(10 + 10);
      for (const c of json.connections) {
        expect(json.neurons[c.to].layer).not.toBe('input');
        if (c.from < c.to) expect(json.neurons[c.from].layer).not.toBe('output');
        // a gater is a hidden or output unit that activates before the gated connection's target
        if (c.gater !== null) {
          expect(json.neurons[c.gater].layer).not.toBe('input');
          expect(c.gater).toBeLessThan(c.to);
        }
      }
      expect(total).toBe(13);
    }
  });

  it('is acyclic without back- and self-connections, with every hidden unit on a path from an input to an output', () => {
    for (let seed = 0; seed < 30; seed++) {
      const json = format1x(new Random(2, 12, 2, { seed, connections: seed % 5, gates: 3 }).toJSON());
      expect(json.connections.every((c) => c.from < c.to)).toBe(true);
      const n = json.neurons.length;
      const reach = (start: (i: number) => boolean, step: (c: { from: number; to: number }) => [number, number]) => {
        const seen = new Set<number>();
        const todo = [...Array(n).keys()].filter(start);
        todo.forEach((i) => seen.add(i));
        while (todo.length) {
          const i = todo.pop()!;
          for (const c of json.connections) {
            const [a, b] = step(c);
            if (a === i && !seen.has(b)) seen.add(b), todo.push(b);
          }
        }
        return seen;
      };
      const fromInputs = reach(
        (i) => json.neurons[i].layer === 'input',
        (c) => [c.from, c.to],
      );
      const toOutputs = reach(
        (i) => json.neurons[i].layer === 'output',
        (c) => [c.to, c.from],
      );
      for (let i = 0; i < n; i++) expect(fromInputs.has(i) && toOutputs.has(i)).toBe(true);
    }
  });

  it('adds every remaining pair when asked for more connections than there are', () => {
    const json = new Random(2, 3, 1, {
      seed: 1,
      connections: 1000,
      backConnections: 1000,
      selfConnections: 1000,
      gates: 1000,
    }).toJSON();
    // forward: 2 inputs x 4 later units + hidden pairs (3) + 3 hidden -> output = 8 + 3 + 3 = 14
    expect(json.connections.filter((c) => c.from < c.to)).toHaveLength(14);
    expect(json.connections.filter((c) => c.from > c.to)).toHaveLength(6);
    expect(json.connections.filter((c) => c.from === c.to)).toHaveLength(4);
    expect(json.connections.filter((c) => c.gater !== null).length).toBeGreaterThan(0);
  });

  it('hidden may be 0: inputs wired straight to outputs', () => {
    const net = new Random(3, 0, 2, { seed: 3 });
    expect(net.layers.hidden).toHaveLength(0);
    expect(net.activate([1, 0, 1])).toHaveLength(2);
  });
});

describe('LSTM hiddenToHidden', () => {
  it('projects every memory cell onto the others and onto itself, the self-connections gated by the forget gate', () => {
    const net = new LSTM(2, 3, 1, { hiddenToHidden: true });
    const [, forget, cells] = net.layers.hidden;
    // as 1.x: the self-connections, then the rest of the layer
    expect(cells.connectedTo.filter((lc) => lc.to === cells).map((lc) => lc.type)).toEqual([
      Layer.connectionType.ONE_TO_ONE,
      Layer.connectionType.ALL_TO_ELSE,
    ]);
    cells.list.forEach((cell, j) => {
      expect(cell.selfconnection.gater).toBe(forget.list[j]);
      for (const other of cells.list) if (other !== cell) expect(cell.connected(other)).toBeTruthy();
    });
  });
});

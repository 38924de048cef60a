import { describe, expect, it } from 'vitest';
import { GateError, InvalidArgumentError, Layer, Network, Neuron, SizeMismatchError } from '@synaptic/core';

describe('Layer', () => {
  it('projects ALL_TO_ALL by default and ONE_TO_ONE onto itself', () => {
    const a = new Layer(3);
    const b = new Layer(4);
    const ab = a.project(b);
    expect(ab.type).toBe(Layer.connectionType.ALL_TO_ALL);
    expect(ab.size).toBe(12);
    expect(ab.list).toHaveLength(12);
    // 1.x's order: source by source
    expect(ab.list[1].from).toBe(a.list[0]);
    expect(ab.list[1].to).toBe(b.list[1]);
    expect(a.connected(b)).toBe(Layer.connectionType.ALL_TO_ALL);
    expect(b.connected(a)).toBeUndefined();
    const self = b.project(b);
    expect(self.type).toBe(Layer.connectionType.ONE_TO_ONE);
    expect(b.selfconnected()).toBe(true);
    expect(self.list.every((c) => c.from === c.to && c.weight === 1)).toBe(true);
    // projecting again returns the existing projection
    expect(a.project(b)).toBe(ab);
  });

  it('ALL_TO_ELSE skips each unit itself; ALL_TO_ALL onto itself includes self-connections', () => {
    const a = new Layer(3);
    const e = a.project(a, Layer.connectionType.ALL_TO_ELSE);
    expect(e.size).toBe(6);
    expect(e.list.every((c) => c.from !== c.to)).toBe(true);
    expect(a.selfconnected()).toBe(false);
    const b = new Layer(3);
    const all = b.project(b, Layer.connectionType.ALL_TO_ALL);
    expect(all.size).toBe(9);
    expect(b.selfconnected()).toBe(true);
  });

  it("adds ALL_TO_ELSE to a layer's self-connections and the reverse, as 1.x did", () => {
    const a = new Layer(3);
    const self = a.project(a);
    const rest = a.project(a, Layer.connectionType.ALL_TO_ELSE);
    expect(rest).not.toBe(self);
    expect(rest.size).toBe(6);
    expect(a.selfconnected()).toBe(true);
    expect(a.project(a, Layer.connectionType.ALL_TO_ELSE)).toBe(rest);
    const b = new Layer(2);
    const restFirst = b.project(b, Layer.connectionType.ALL_TO_ELSE);
    expect(b.project(b)).not.toBe(restFirst);
    expect(b.selfconnected()).toBe(true);
    // ALL_TO_ALL would cover both: it is refused rather than answered with the ALL_TO_ELSE one
    expect(() => b.project(b, Layer.connectionType.ALL_TO_ALL)).toThrow(InvalidArgumentError);
  });

  it('weights can be given as one number or one per connection', () => {
    const a = new Layer(2);
    const b = new Layer(2);
    const ab = a.project(b, Layer.connectionType.ALL_TO_ALL, [1, 2, 3, 4]);
    expect(ab.list.map((c) => c.weight)).toEqual([1, 2, 3, 4]);
    const c = new Layer(2);
    expect(b.project(c, undefined, 0.5).list.map((x) => x.weight)).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it('gates INPUT, OUTPUT and ONE_TO_ONE as 1.x does', () => {
    const a = new Layer(2);
    const b = new Layer(3);
    const ab = a.project(b);
    const inputGate = new Layer(3);
    inputGate.gate(ab, Layer.gateType.INPUT);
    for (const c of ab.list) expect(c.gater).toBe(inputGate.list[b.list.indexOf(c.to)]);

    const c = new Layer(2);
    const d = new Layer(3);
    const cd = c.project(d);
    const outputGate = new Layer(2);
    outputGate.gate(cd, Layer.gateType.OUTPUT);
    for (const x of cd.list) expect(x.gater).toBe(outputGate.list[c.list.indexOf(x.from)]);

    const e = new Layer(2);
    const f = new Layer(2);
    const ef = e.project(f);
    const oneToOne = new Layer(4);
    oneToOne.gate(ef, Layer.gateType.ONE_TO_ONE);
    ef.list.forEach((x, i) => expect(x.gater).toBe(oneToOne.list[i]));
    expect(ef.gatedfrom).toEqual([{ layer: oneToOne, type: Layer.gateType.ONE_TO_ONE }]);
  });

  it('gates self-connections ONE_TO_ONE (the LSTM forget gate)', () => {
    const cell = new Layer(3);
    const forget = new Layer(3);
    const self = cell.project(cell);
    forget.gate(self, Layer.gateType.ONE_TO_ONE);
    cell.list.forEach((n, i) => expect(n.selfconnection.gater).toBe(forget.list[i]));
  });

  it('set() changes squash, bias (0 included) and labels', () => {
    const a = new Layer(2).set({ squash: Neuron.squash.TANH, bias: 0, label: 'h' });
    for (const n of a.list) {
      expect(n.squash).toBe(Neuron.squash.TANH);
      expect(n.bias).toBe(0);
      expect(n.label).toBe(`h_${n.ID}`);
    }
  });

  it('activates and propagates units in order, and checks sizes', () => {
    const a = new Layer(2);
    const b = new Layer(1);
    a.project(b, undefined, 1);
    b.set({ bias: 0, squash: Neuron.squash.IDENTITY });
    expect(a.activate([1, 2])).toEqual([1, 2]);
    expect(b.activate()).toEqual([3]);
    expect(() => a.activate([1])).toThrow(SizeMismatchError);
    expect(() => a.activate([1, NaN])).toThrow(/layer input\[1\]/);
    expect(() => b.propagate(0.1, [1, 2])).toThrow(SizeMismatchError);
    b.propagate(0.1, [4]);
    expect(b.list[0].bias).toBeCloseTo(0.1, 15);
  });

  it('rejects bad arguments before changing anything', () => {
    expect(() => new Layer(-1)).toThrow(InvalidArgumentError);
    expect(() => new Layer(1.5)).toThrow(/non-negative integer/);
    const a = new Layer(2);
    const b = new Layer(3);
    expect(() => a.project({} as Layer)).toThrow(/only project connections to layers and networks/);
    expect(() => a.project(b, 'SOME' as never)).toThrow(/unknown connection type/);
    expect(() => a.project(b, Layer.connectionType.ONE_TO_ONE)).toThrow(SizeMismatchError);
    expect(() => a.project(b, undefined, [1, 2])).toThrow(SizeMismatchError);
    expect(a.connectedTo).toHaveLength(0);
    expect(b.list.every((n) => Object.keys(n.connections.inputs).length === 0)).toBe(true);
    const ab = a.project(b);
    expect(() => new Layer(2).gate(ab, Layer.gateType.INPUT)).toThrow(GateError);
    expect(() => new Layer(3).gate(ab, Layer.gateType.OUTPUT)).toThrow(
      /OUTPUT gating needs one gater unit per source unit/,
    );
    expect(() => new Layer(5).gate(ab, Layer.gateType.ONE_TO_ONE)).toThrow(/6 connections/);
    expect(() => new Layer(3).gate(ab, 'X' as never)).toThrow(/unknown gate type/);
    expect(() => new Layer(3).gate({} as never, Layer.gateType.INPUT)).toThrow(GateError);
    expect(ab.list.every((c) => c.gater === null)).toBe(true);
    expect(() => a.set({ squash: 'TANH' as never })).toThrow(InvalidArgumentError);
  });

  it('projects to a network through its input layer', () => {
    const net = new Network({ input: new Layer(2), hidden: [], output: new Layer(1) });
    net.layers.input!.project(net.layers.output!);
    const a = new Layer(3);
    const lc = a.project(net);
    expect(lc.to).toBe(net.layers.input);
    expect(() => a.project(new Network())).toThrow(/no input layer/);
  });

  it('refuses to lay a layer projection over unit-level connections', () => {
    const a = new Layer(2);
    const b = new Layer(2);
    a.list[0].project(b.list[1]);
    expect(() => a.project(b)).toThrow(/already connected unit by unit/);
  });
});

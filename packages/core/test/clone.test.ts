import { describe, expect, it } from 'vitest';
import { Layer, Network, Neuron } from '@synaptic/core';

describe('clone', () => {
  it('continues mid-sequence exactly, traces included', () => {
    const input = new Layer(2);
    const cell = new Layer(3);
    const gate = new Layer(3);
    const output = new Layer(1);
    const ic = input.project(cell);
    input.project(gate);
    const self = cell.project(cell);
    gate.gate(self, Layer.gateType.ONE_TO_ONE);
    gate.gate(ic, Layer.gateType.INPUT);
    cell.project(output);
    cell.list[0].project(output.list[0], 0.3); // a unit-level link next to the block
    const net = new Network({ input, hidden: [gate, cell], output });
    const step = (n: Network, k: number) => {
      const out = n.activate([Math.sin(k), Math.cos(k)]);
      n.propagate(0.1, [k % 2]);
      return out;
    };
    for (let k = 0; k < 20; k++) step(net, k);
    const copy = net.clone();
    expect(copy.toJSON()).toEqual(net.toJSON());
    for (let k = 20; k < 120; k++) expect(step(copy, k)).toEqual(step(net, k));
    // independent: training the copy leaves the original alone
    const before = JSON.stringify(net.toJSON());
    step(copy, 0);
    expect(JSON.stringify(net.toJSON())).toBe(before);
  });

  it('clear({ states: true }) makes a trained network compute as a fresh copy of its weights', () => {
    const input = new Layer(1);
    const cell = new Layer(2);
    const output = new Layer(1);
    input.project(cell);
    cell.project(cell);
    cell.project(output);
    const net = new Network({ input, hidden: [cell], output });
    const fresh = Network.fromJSON(net.toJSON());
    for (let k = 0; k < 10; k++) {
      net.activate([k / 10]);
      net.propagate(0.1, [1]);
    }
    const weights = net.toJSON().connections;
    net.clear();
    expect(net.neurons().some(({ neuron }) => neuron.state !== 0)).toBe(true);
    net.clear({ states: true });
    expect(net.neurons().every(({ neuron }) => neuron.state === 0 && neuron.old === 0 && neuron.activation === 0)).toBe(
      true,
    );
    expect(net.toJSON().connections).toEqual(weights);
    fresh.loadParameters(net.toJSON());
    expect(net.activate([0.5])).toEqual(fresh.activate([0.5]));
  });

  it('drops connections that leave the network, as toJSON does', () => {
    const a = new Layer(2);
    const b = new Layer(1);
    a.project(b);
    const net = new Network({ input: a, output: b });
    const outside = new Layer(2);
    b.project(outside);
    b.list[0].project(new Neuron());
    const copy = net.clone();
    expect(copy.toJSON()).toEqual(net.toJSON());
    expect(copy.layers.output!.connectedTo).toHaveLength(0);
  });
});

/**
 * Replay (`Plan.replay`): on large layered plans, compiled `propagate` computes every new weight
 * and bias without storing it, and writes them (`commit`) only once all are finite, so it keeps no
 * undo log. The numbers must be those of the logging code, and a rejected step must still leave
 * every weight as it was. The threshold is lowered so that small networks replay.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Layer, mulberry32, Network, NonFiniteError, Neuron, setRandom } from '@synaptic/core';
import vm from 'node:vm';
import { optimize, standalone } from '@synaptic/compile';
import { plan, setReplayAbove } from '../src/plan.js';
import { makeData } from '@synaptic/test-support';

function perceptron(seed: number, sizes: number[]): Network {
  setRandom(mulberry32(seed));
  const layers = sizes.map((n) => new Layer(n));
  for (let l = 0; l + 1 < layers.length; l++) layers[l].project(layers[l + 1]);
  layers[1].set({ squash: Neuron.squash.TANH });
  setRandom(Math.random);
  return new Network({ input: layers[0], hidden: layers.slice(1, -1), output: layers[layers.length - 1] });
}

const json = (n: Network) => JSON.stringify(n.toJSON());

describe('replayed propagate (no undo log)', () => {
  beforeEach(() => setReplayAbove(0));
  afterEach(() => setReplayAbove(null));

  it('is planned for layered networks, and not where an error reads a weight the step writes', () => {
    const net = perceptron(1, [5, 7, 6, 3]);
    expect(plan(net, net.structureVersion()).replay).toBe(true);
    // a skip projection: the first hidden layer's error reads output weights the same step wrote
    const lateral = perceptron(2, [4, 5, 6, 3]);
    lateral.layers.hidden[0].project(lateral.layers.output!);
    expect(plan(lateral, lateral.structureVersion()).replay).toBe(false);
    const gated = perceptron(3, [4, 5, 5]);
    gated.layers.hidden[0].gate(gated.layers.input!.connectedTo[0], Layer.gateType.INPUT);
    expect(plan(gated, gated.structureVersion()).replay).toBe(false);
    setReplayAbove(null);
    expect(plan(net, net.structureVersion()).replay).toBe(false);
  });

  it('exact compile trains bit for bit as the interpreter does; the default compile as its logging code', () => {
    const data = makeData(5, 3, 12, 4);
    const reference = perceptron(5, [5, 7, 6, 3]);
    const exact = optimize(reference.clone(), { exact: true });
    setReplayAbove(null);
    const logging = optimize(reference.clone());
    setReplayAbove(0);
    const replayed = optimize(reference.clone());
    for (const { input, target } of data) {
      expect(exact.activate(input)).toEqual(reference.activate(input));
      expect(replayed.activate(input)).toEqual(logging.activate(input));
      reference.propagate(0.3, target);
      exact.propagate(0.3, target);
      logging.propagate(0.3, target);
      replayed.propagate(0.3, target);
    }
    expect(json(exact)).toBe(json(reference));
    expect(json(replayed)).toBe(json(logging));
  });

  it('a rejected step changes no weight or bias, wherever it breaks', () => {
    const data = makeData(5, 3, 8, 6);
    let rejected = 0;
    for (const exponent of [300, 304, 306, 307, 308]) {
      const reference = perceptron(7, [5, 7, 6, 3]);
      const replayed = optimize(reference.clone(), { exact: true });
      for (const { input, target } of data) {
        replayed.activate(input);
        reference.activate(input);
        const before = json(replayed);
        const step = (n: Network) => {
          try {
            n.propagate(10 ** exponent, target);
            return false;
          } catch (error) {
            if (!(error instanceof NonFiniteError)) throw error;
            return true;
          }
        };
        const a = step(reference);
        expect(step(replayed)).toBe(a);
        if (a) {
          rejected++;
          expect(json(replayed)).toBe(before);
        }
        expect(json(replayed)).toBe(json(reference));
      }
    }
    expect(rejected).toBeGreaterThan(3);
  });

  it('standalone modules replay too: they train as the interpreter does and refuse a bad step unchanged', () => {
    const net = perceptron(9, [5, 7, 6, 3]);
    const run = vm.runInNewContext(standalone(net, { format: 'function', train: true, exact: true }), {}) as {
      (input: number[]): number[];
      propagate(rate: number, target: number[]): void;
      toJSON(): unknown;
    };
    const data = makeData(5, 3, 10, 8);
    for (const { input, target } of data) {
      expect(run(input)).toEqual(net.activate(input));
      run.propagate(0.3, target);
      net.propagate(0.3, target);
    }
    expect(JSON.stringify(run.toJSON())).toBe(json(net));
    run(data[0].input);
    const before = JSON.stringify(run.toJSON());
    expect(() => run.propagate(1e308, data[0].target)).toThrow();
    expect(JSON.stringify(run.toJSON())).toBe(before);
  });
});

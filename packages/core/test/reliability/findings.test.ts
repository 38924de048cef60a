/**
 * Issue 11: one regression test per finding that lives in core (6, 7 and the API edges of 13).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  Layer,
  Network,
  Neuron,
  NonFiniteError,
  SynapticError,
  mulberry32,
  setRandom,
} from '@synaptic/core';
import { interleavedJSON } from './crafted-json.js';

function perceptron(seed: number): Network {
  setRandom(mulberry32(seed));
  const input = new Layer(2);
  const hidden = new Layer(3);
  const output = new Layer(1);
  input.project(hidden);
  hidden.project(output);
  setRandom(Math.random);
  return new Network({ input, hidden: [hidden], output });
}

/** A network whose biases and weights are 1e308 (finding 6's model). */
function huge(): Network {
  const input = new Layer(2);
  const output = new Layer(1);
  input.project(output, undefined, 1e308);
  output.set({ bias: 1e308, squash: Neuron.squash.IDENTITY });
  return new Network({ input, output });
}

describe('finding 6: NaN and Infinity do not escape', () => {
  it('activate throws a NonFiniteError naming the output unit instead of returning Infinity', () => {
    const net = huge();
    let error: unknown;
    try {
      net.activate([1, 1]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NonFiniteError);
    expect((error as NonFiniteError).unit).toBe(2);
    expect((error as Error).message).toMatch(/output 0 \(unit 2\) is Infinity/);
  });

  it('a propagate at rate 1e300 that would break the weights is undone, and says so', () => {
    const net = perceptron(1);
    net.activate([1, 0]);
    const before = JSON.stringify(net.toJSON());
    expect(() => net.propagate(1e300, [1])).toThrow(NonFiniteError);
    // weights and biases as they were (states are the last activation's, as before)
    expect(JSON.stringify(net.toJSON())).toBe(before);
    // and the network goes on working
    net.activate([1, 0]);
    net.propagate(0.1, [1]);
  });

  it('toJSON refuses to write Infinity or NaN, naming the unit, instead of writing null', () => {
    const net = perceptron(2);
    // a number broken behind the API's back (the setters refuse Infinity)
    const unit = net.layers.hidden[0].list[1];
    unit.store.bias[unit.index] = Number.POSITIVE_INFINITY;
    expect(() => net.toJSON()).toThrow(/toJSON: unit 3's bias is Infinity/);
    const other = perceptron(3);
    const c = other.layers.input!.connectedTo[0].list[0];
    c.block!.weight[c.slot] = Number.NaN;
    expect(() => other.toJSON()).toThrow(NonFiniteError);
  });

  it('a network that activates finitely round-trips through its own file', () => {
    const net = perceptron(4);
    net.activate([0.2, 0.9]);
    const reloaded = Network.fromJSON(JSON.parse(JSON.stringify(net.toJSON())));
    expect(reloaded.activate([0.3, 0.1])).toEqual(net.activate([0.3, 0.1]));
  });
});

describe('finding 7: fromJSON on a crafted connection order', () => {
  it('loads interleaved inputs (every pair of layers out of order) and keeps the file order', () => {
    // 80 layers of 3: 3,160 pairs of layers, 28,440 connections; the order check used to
    // demote one pair per full pass (3.4 s here, 58 s for the 8.8 MB file)
    const json = interleavedJSON(80, 3);
    const net = Network.fromJSON(json);
    const back = net.toJSON() as { connections: Array<{ from: number; to: number }> };
    expect(back.connections.length).toBe(json.connections.length);
    // each unit sums its inputs in the file's order: the same outputs as a net built that way
    const x = [0.1, 0.5, 0.9];
    const again = Network.fromJSON(net.toJSON());
    expect(again.activate(x)).toEqual(net.activate(x));
  });

  it('still stores ordered connections as blocks', () => {
    const json = perceptron(5).toJSON();
    const loaded = Network.fromJSON(json);
    expect(loaded.layers.input!.connectedTo.map((lc) => lc.type)).toEqual([Layer.connectionType.ALL_TO_ALL]);
  });
});

describe('finding 13: API edges', () => {
  it('rollback of something that is not a checkpoint is an InvalidArgumentError, not a TypeError', () => {
    const net = perceptron(6);
    for (const junk of [{}, null, undefined, 3, { stores: 1, blocks: 2, xtraces: 3 }, []]) {
      expect(() => net.rollback(junk as never)).toThrow(InvalidArgumentError);
    }
    const cp = net.checkpoint();
    net.activate([1, 1]);
    net.propagate(0.5, [0]);
    net.rollback(cp);
  });

  it('project onto an already-connected layer with another type or weights is refused', () => {
    const a = new Layer(2);
    const b = new Layer(2);
    const first = a.project(b);
    expect(a.project(b)).toBe(first);
    expect(a.project(b, Layer.connectionType.ALL_TO_ALL)).toBe(first);
    expect(() => a.project(b, Layer.connectionType.ONE_TO_ONE)).toThrow(InvalidArgumentError);
    expect(() => a.project(b, undefined, 0.5)).toThrow(/already projects to that layer/);
    expect(first.list.every((c) => c.weight !== 0.5)).toBe(true);
  });

  it('an input whose getter changes after validation cannot smuggle NaN in', () => {
    const net = perceptron(7);
    let reads = 0;
    const input = [0.5, 0.5];
    Object.defineProperty(input, 0, {
      get: () => (reads++ === 0 ? 0.5 : Number.NaN),
      enumerable: true,
    });
    const out = net.activate(input);
    expect(out.every(Number.isFinite)).toBe(true);
    expect(reads).toBe(1);
    let treads = 0;
    const target = [0];
    Object.defineProperty(target, 0, { get: () => (treads++ === 0 ? 0 : Number.NaN), enumerable: true });
    net.propagate(0.1, target);
    const json = net.toJSON() as { connections: Array<{ weight: number }>; neurons: Array<{ bias: number }> };
    expect(json.connections.every((c) => Number.isFinite(c.weight))).toBe(true);
    expect(json.neurons.every((n) => Number.isFinite(n.bias))).toBe(true);
    expect(treads).toBe(1);
  });
});

describe('property: junk arguments to every public Network method give a SynapticError', () => {
  const junk = fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.double(),
    fc.string(),
    fc.object(),
    fc.array(fc.oneof(fc.double(), fc.string(), fc.constant(null)), { maxLength: 4 }),
    fc.constant(Number.NaN),
    fc.constant([Number.POSITIVE_INFINITY, 1]),
  );
  it('activate, propagate, backward, rollback, loadParameters, project, gate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), junk, junk, (method, a, b) => {
        const net = perceptron(8);
        net.activate([0.5, 0.5]);
        const before = JSON.stringify(net.toJSON());
        const calls: Array<() => unknown> = [
          () => net.activate(a as never),
          () => net.propagate(a as never, b as never),
          () => net.backward(a as never, b as never),
          () => net.rollback(a as never),
          () => net.loadParameters(a as never),
          () => net.project(a as never, b as never),
          () => net.gate(a as never, b as never),
        ];
        try {
          calls[method]();
        } catch (error) {
          expect(error).toBeInstanceOf(SynapticError);
          // nothing half-changed
          expect(JSON.stringify(net.toJSON())).toBe(before);
        }
      }),
      { numRuns: 400, seed: 11 },
    );
  });
});

describe('property: junk JSON gives a SynapticError', () => {
  it('fromJSON of mutated files', () => {
    const base = perceptron(9).toJSON() as unknown as Record<string, unknown>;
    const mutation = fc.record({
      path: fc.constantFrom('neurons', 'connections'),
      index: fc.nat(20),
      key: fc.constantFrom('from', 'to', 'weight', 'gater', 'bias', 'layer', 'squash', 'state', 'trace'),
      value: fc.oneof(
        fc.constant(null),
        fc.double(),
        fc.string(),
        fc.integer(),
        fc.object(),
        fc.constant(Number.POSITIVE_INFINITY),
      ),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        const json = JSON.parse(JSON.stringify(base)) as Record<string, Array<Record<string, unknown>>>;
        for (const m of mutations) {
          const list = json[m.path];
          if (list.length) list[m.index % list.length][m.key] = m.value;
        }
        try {
          const net = Network.fromJSON(json);
          net.activate([0.5, 0.5]);
        } catch (error) {
          expect(error).toBeInstanceOf(SynapticError);
        }
      }),
      { numRuns: 400, seed: 12 },
    );
  });
});

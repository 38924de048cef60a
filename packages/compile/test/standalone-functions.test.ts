/**
 * Standalone modules of networks with layer functions (SOFTMAX at the output and hidden) and with
 * tied weights: the module, imported from the file it is written to, runs and trains bit for bit
 * like the network.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Layer, layerFunctions, Network, Neuron, type LayerConnection, type LayerFunction } from '@synaptic/core';
import { CompileError, optimize, standalone } from '@synaptic/compile';
import { withSeededRandom } from '@synaptic/test-support';

interface Module {
  activate(input: number[]): number[];
  propagate(rate: number, target: number[]): void;
  clear(): void;
  toJSON(): unknown;
}

const dir = mkdtempSync(join(tmpdir(), 'synaptic-standalone-functions-'));
let files = 0;

/** Writes the ES module to a file of its own and imports it. */
async function importModule(source: string): Promise<Module> {
  const file = join(dir, `net-${files++}.mjs`);
  writeFileSync(file, source);
  return (await import(pathToFileURL(file).href)) as Module;
}

type Build = (seed: number) => Network;

/** input → hidden (TANH) → output (SOFTMAX) */
const softmaxOutput: Build = (seed) =>
  withSeededRandom(seed, () => {
    const input = new Layer(4);
    const hidden = new Layer(5);
    const output = new Layer(3);
    input.project(hidden);
    hidden.project(output);
    hidden.set({ squash: Neuron.squash.TANH });
    output.set({ squash: Neuron.squash.SOFTMAX });
    return new Network({ input, hidden: [hidden], output });
  });

/** input → hidden SOFTMAX (with a skip connection past it) → output (LOGISTIC) */
const hiddenSoftmax: Build = (seed) =>
  withSeededRandom(seed, () => {
    const input = new Layer(3);
    const hidden = new Layer(4);
    const output = new Layer(2);
    input.project(hidden);
    hidden.project(output);
    input.project(output);
    hidden.set({ squash: Neuron.squash.SOFTMAX });
    return new Network({ input, hidden: [hidden], output });
  });

/** a SOFTMAX layer with self-connections gated by an earlier layer, and one of its units gating the output */
const gatedSoftmax: Build = (seed) =>
  withSeededRandom(seed, () => {
    const input = new Layer(3);
    const gate = new Layer(3);
    const cells = new Layer(3);
    const output = new Layer(2);
    input.project(gate);
    const into = input.project(cells);
    const self = cells.project(cells, Layer.connectionType.ONE_TO_ONE);
    gate.gate(self, Layer.gateType.ONE_TO_ONE);
    gate.gate(into, Layer.gateType.INPUT);
    cells.project(output);
    cells.list[1].gate(cells.list[0].project(output.list[1]));
    cells.set({ squash: Neuron.squash.SOFTMAX });
    return new Network({ input, hidden: [gate, cells], output });
  });

/** two hidden layers whose projections into them share one weight matrix (tied) */
const tied: Build = (seed) =>
  withSeededRandom(seed, () => {
    const input = new Layer(3);
    const a = new Layer(3);
    const b = new Layer(3);
    const output = new Layer(2);
    const first: LayerConnection = a.project(b);
    b.project(output);
    // a skip projection a → output... and a second use of the a → b matrix: input → b
    input.project(a);
    input.project(b).tie(first);
    return new Network({ input, hidden: [a, b], output });
  });

const NETWORKS: Array<[string, Build]> = [
  ['a softmax output', softmaxOutput],
  ['a hidden softmax', hiddenSoftmax],
  ['a gated, self-connected softmax layer', gatedSoftmax],
  ['tied weights', tied],
];

/** Seeded samples: inputs in [-1, 1], one-hot targets for softmax outputs, else targets in [0, 1]. */
function samples(net: Network, seed: number, count: number): Array<{ input: number[]; target: number[] }> {
  return fc
    .sample(
      fc.record({
        input: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), {
          minLength: net.inputs(),
          maxLength: net.inputs(),
        }),
        hot: fc.integer({ min: 0, max: net.outputs() - 1 }),
        soft: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
          minLength: net.outputs(),
          maxLength: net.outputs(),
        }),
      }),
      { seed, numRuns: count },
    )
    .map(({ input, hot, soft }) => ({
      input,
      target: net.layers.output!.layerFunction !== null ? soft.map((_, k) => (k === hot ? 1 : 0)) : soft,
    }));
}

describe('standalone modules with layer functions and tied weights', () => {
  for (const [name, build] of NETWORKS) {
    for (const exact of [true, false]) {
      it(`${name} (exact: ${exact}): activate and propagate equal the network's bit for bit`, async () => {
        for (const seed of [1, 2, 3]) {
          const net = build(seed);
          // the reference: core's interpreter (exact), or the network's own compiled code (default)
          if (!exact) optimize(net);
          const m = await importModule(standalone(net, { train: true, exact }));
          for (const { input, target } of samples(net, seed, 30)) {
            expect(m.activate(input)).toEqual(net.activate(input));
            net.propagate(0.2, target);
            m.propagate(0.2, target);
          }
          expect(m.activate([...Array(net.inputs())].map((_, k) => k / 3))).toEqual(
            net.activate([...Array(net.inputs())].map((_, k) => k / 3)),
          );
          expect(JSON.stringify(m.toJSON())).toBe(JSON.stringify(net.toJSON()));
        }
      });
    }
  }

  it('refuses, naming it, a layer function it cannot write out (not built in, or one it has no call for)', () => {
    for (const fn of [
      { ...layerFunctions.SOFTMAX }, // not core's object: its text is not vouched for
      { ...layerFunctions.SOFTMAX, name: 'LAYER_NORM' }, // a function with parameters of its own
    ]) {
      const net = softmaxOutput(4);
      net.layers.output!.layerFunction = fn as LayerFunction;
      expect(() => standalone(net)).toThrow(CompileError);
      expect(() => standalone(net)).toThrow(/cannot be written as standalone source/);
    }
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as core from '@synaptic/core';
import { Network } from '@synaptic/core';
import { compile, optimize } from '@synaptic/compile';
import { build, makeData, recipeArbitrary, type LibraryLike } from '@synaptic/test-support';
import { withSeededRandom } from '@synaptic/test-support';

const lib = core as unknown as LibraryLike;

/** Every unit's numbers are finite (past a NaN, a trace without memory cannot repeat NaN history). */
function healthy(network: Network): boolean {
  return network
    .neurons()
    .every(
      ({ neuron: n }) => Number.isFinite(n.state) && Number.isFinite(n.activation) && Number.isFinite(n.derivative),
    );
}

/** Compiled code does the interpreter's arithmetic in the interpreter's order: results are identical. */
function close(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, k) => Object.is(x, b[k]) || (Number.isNaN(x) && Number.isNaN(b[k])));
}

describe('compiled networks ({ exact: true }) compute exactly what the interpreter computes', () => {
  it('on random graphs (every projection and gate type, self-connections, unit-level links, every squash)', () => {
    fc.assert(
      fc.property(recipeArbitrary, fc.integer(), (recipe, seed) => {
        const reference = withSeededRandom(seed, () => build<Network>(lib, recipe));
        const compiled = optimize(reference.clone(), { exact: true });
        const data = makeData(recipe.sizes[0], recipe.sizes[recipe.sizes.length - 1], 300, seed);
        for (const { input, target } of data) {
          const a = reference.activate(input);
          const b = compiled.activate(input);
          // a diverging graph: past Infinity or NaN, a trace kept without memory cannot follow
          if (!healthy(reference)) return;
          expect(close(a, b), `step outputs ${a} vs ${b}`).toBe(true);
          reference.propagate(0.1, target);
          compiled.propagate(0.1, target);
        }
        expect(JSON.stringify(compiled.toJSON())).toBe(JSON.stringify(reference.toJSON()));
        // the traces too: a checkpoint of each holds the same numbers
        const numbers = (n: Network) => {
          const cp = n.checkpoint();
          // extended-trace arrays may have spare capacity past the gater's inputs: compare what is used
          // (and a trace rebuilt as f' ε inf may be -0 where the interpreter's 0 * old + f' ε inf is +0)
          const plain = (a: Float64Array) => Array.from(a, (v) => v + 0);
          const xt = [...cp.xtraces.entries()].map(([unit, list]) =>
            list.map((a) => plain(a.subarray(0, unit.inputCount))),
          );
          return [
            [...cp.stores.values()].map((l) => l.map(plain)),
            [...cp.blocks.values()].map((l) => l.map(plain)),
            xt,
          ];
        };
        expect(numbers(compiled)).toEqual(numbers(reference));
      }),
      { numRuns: 200, seed: 123 },
    );
  });

  it('continues exactly in the interpreter after setOptimize(false), traces included', () => {
    fc.assert(
      fc.property(recipeArbitrary, fc.integer(), (recipe, seed) => {
        const reference = withSeededRandom(seed, () => build<Network>(lib, recipe));
        const switched = optimize(reference.clone(), { exact: true });
        const data = makeData(recipe.sizes[0], recipe.sizes[recipe.sizes.length - 1], 100, seed);
        for (const [step, { input, target }] of data.entries()) {
          if (step === 50) switched.setOptimize(false);
          const a = reference.activate(input);
          const b = switched.activate(input);
          if (!healthy(reference)) return;
          expect(close(a, b)).toBe(true);
          reference.propagate(0.1, target);
          switched.propagate(0.1, target);
        }
      }),
      { numRuns: 100, seed: 321 },
    );
  });

  it('compile() runs on the same storage as the network', () => {
    const net = withSeededRandom(1, () => {
      const i = new core.Layer(2),
        h = new core.Layer(3),
        o = new core.Layer(1);
      i.project(h);
      h.project(o);
      return new Network({ input: i, hidden: [h], output: o });
    });
    const c = compile(net);
    expect(c.source).toContain('function activate');
    c.activate([1, 0]);
    c.propagate(0.3, [1]);
    const w = net.layers.hidden[0].list[0].connections.projected;
    const first = Object.values(w)[0];
    first.weight = 0.5;
    expect(c.toJSON().connections.find((x) => x.weight === 0.5)).toBeDefined();
    expect(() => c.activate([1])).toThrow(core.SizeMismatchError);
  });
});

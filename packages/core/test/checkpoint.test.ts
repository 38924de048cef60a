import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as core from '@synaptic/core';
import { InvalidJSONError, Network } from '@synaptic/core';
import { build, makeData, recipeArbitrary, type LibraryLike } from '@synaptic/test-support';
import { withSeededRandom } from '@synaptic/test-support';
import { trains } from './support/diverge.js';

const lib = core as unknown as LibraryLike;

describe('checkpoint and rollback', () => {
  it('put a network back exactly, traces included', () => {
    fc.assert(
      fc.property(recipeArbitrary, fc.integer(), (recipe, seed) => {
        const net = withSeededRandom(seed, () => build<Network>(lib, recipe));
        const data = makeData(recipe.sizes[0], recipe.sizes[recipe.sizes.length - 1], 20, seed);
        // a graph that diverges within the 20 samples has nothing to roll back to compare
        if (!trains(net.clone(), data, 0.1)) return;
        const run = (from: number, to: number) =>
          data.slice(from, to).map(({ input, target }) => {
            const out = net.activate(input);
            net.propagate(0.1, target);
            return out;
          });
        run(0, 5);
        // refilling an older checkpoint's arrays gives the same checkpoint as a fresh one
        const older = net.checkpoint();
        run(5, 6);
        const saved = net.checkpoint(older);
        expect(saved.blocks.size === 0 || [...saved.blocks.values()][0][0] === [...older.blocks.values()][0][0]).toBe(
          true,
        );
        expect(saved).toEqual(net.checkpoint());
        const json = JSON.stringify(net.toJSON());
        const first = run(6, 20);
        net.rollback(saved);
        expect(JSON.stringify(net.toJSON())).toBe(json);
        expect(run(6, 20)).toEqual(first);
      }),
      { numRuns: 100, seed: 2 },
    );
  });
});

describe('loadParameters', () => {
  it('writes back weights trained on a copy, keeping the network object', () => {
    fc.assert(
      fc.property(recipeArbitrary, fc.integer(), (recipe, seed) => {
        const net = withSeededRandom(seed, () => build<Network>(lib, recipe));
        const worker = Network.fromJSON(net.toJSON());
        for (const { input, target } of makeData(recipe.sizes[0], recipe.sizes[recipe.sizes.length - 1], 10, seed)) {
          worker.activate(input);
          worker.propagate(0.1, target);
        }
        const trained = worker.toJSON();
        net.loadParameters(trained);
        expect(net.toJSON()).toEqual(trained);
      }),
      { numRuns: 100, seed: 8 },
    );
  });

  it('refuses a JSON of another network and changes nothing', () => {
    const a = new core.Layer(2);
    const b = new core.Layer(1);
    a.project(b);
    const net = new Network({ input: a, output: b });
    const before = JSON.stringify(net.toJSON());
    const other = net.toJSON();
    other.connections[1].to = 0;
    expect(() => net.loadParameters(other)).toThrow(InvalidJSONError);
    const bad = net.toJSON();
    bad.connections[1].weight = NaN;
    expect(() => net.loadParameters(bad)).toThrow(/connections\[1\]\.weight/);
    expect(JSON.stringify(net.toJSON())).toBe(before);
  });
});

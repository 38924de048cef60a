import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as core from '@synaptic/core';
import {
  as1xWrites,
  build,
  makeData,
  recipeArbitrary,
  synaptic1x,
  withSeededRandom,
  type LibraryLike,
  type Network1x,
  type Recipe,
} from '@synaptic/test-support';

const synaptic = synaptic1x as unknown as LibraryLike & typeof synaptic1x;

const lib = core as unknown as LibraryLike;

function both(recipe: Recipe, seed: number): { ours: core.Network; theirs: Network1x } {
  const ours = withSeededRandom(seed, () => build<core.Network>(lib, recipe));
  const theirs = withSeededRandom(seed, () => build<Network1x>(synaptic, recipe));
  theirs.setOptimize(false);
  return { ours, theirs };
}

/** Largest difference between outputs; equal non-finite values (both NaN, both Infinity) count as equal. */
function gap(a: number[], b: number[]): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i]))) continue;
    const d = Math.abs(a[i] - b[i]);
    worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
  }
  return worst;
}

/** Whether 1.x holds a NaN or an Infinity in a weight, bias or state (its JSON writes them as null). */
function brokenIn1x(net: Network1x): boolean {
  const json = net.toJSON() as { neurons: Array<Record<string, unknown>>; connections: Array<{ weight: unknown }> };
  const bad = (v: unknown) => typeof v === 'number' && !Number.isFinite(v);
  return (
    json.neurons.some((n) => bad(n.bias) || bad(n.state) || bad(n.activation)) ||
    json.connections.some((c) => bad(c.weight))
  );
}

/**
 * One training step on both libraries. Where 1.x goes on with NaN or Infinity, ours throws a
 * NonFiniteError: that is checked to happen exactly where 1.x's numbers stop being finite, and
 * the run ends there (false).
 */
function stepBoth(ours: core.Network, theirs: Network1x, input: number[], target: number[], rate: number): boolean {
  let a: number[];
  try {
    a = ours.activate(input);
  } catch (error) {
    if (!(error instanceof core.NonFiniteError)) throw error;
    expect(theirs.activate(input).some((y) => !Number.isFinite(y))).toBe(true);
    return false;
  }
  expect(gap(a, theirs.activate(input))).toBeLessThanOrEqual(1e-9);
  try {
    ours.propagate(rate, target);
  } catch (error) {
    if (!(error instanceof core.NonFiniteError)) throw error;
    theirs.propagate(rate, target);
    expect(brokenIn1x(theirs)).toBe(true);
    return false;
  }
  theirs.propagate(rate, target);
  return true;
}

describe('random graphs built in both libraries', () => {
  it('have the same weights, the same JSON and the same outputs through training', () => {
    fc.assert(
      fc.property(recipeArbitrary, fc.integer(), (recipe, seed) => {
        const { ours, theirs } = both(recipe, seed);
        expect(as1xWrites(ours.toJSON())).toBe(JSON.stringify(theirs.toJSON()));
        const data = makeData(recipe.sizes[0], recipe.sizes[recipe.sizes.length - 1], 60, seed ^ 0x5eed);
        for (const { input, target } of data) if (!stepBoth(ours, theirs, input, target, 0.05)) return;
        expect(as1xWrites(ours.toJSON())).toBe(JSON.stringify(theirs.toJSON()));
      }),
      { numRuns: 150, seed: 20261123 },
    );
  });

  it("load each other's JSON and keep computing the same", () => {
    fc.assert(
      fc.property(recipeArbitrary, fc.integer(), (recipe, seed) => {
        const { ours } = both(recipe, seed);
        // ours -> 1.x, and 1.x's re-export -> ours
        const theirs = synaptic.Network.fromJSON(ours.toJSON());
        theirs.setOptimize(false);
        const reloaded = core.Network.fromJSON(theirs.toJSON());
        const data = makeData(recipe.sizes[0], recipe.sizes[recipe.sizes.length - 1], 40, seed);
        for (const { input, target } of data) if (!stepBoth(reloaded, theirs, input, target, 0.05)) return;
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});

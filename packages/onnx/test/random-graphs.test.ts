/**
 * Property: any network built from a random recipe (layers of every squash, projections of every
 * type including onto themselves, gates of every type, unit-level links and their gates, units
 * with their own squash) exports to a step function that onnxruntime runs to the network's own
 * outputs and carried values, within 1e-5, over 20 steps with a batch of 2.
 */
import { Layer, Network, Neuron, mulberry32, setRandom } from '@synaptic/core';
import { build, type LibraryLike, recipeArbitrary } from '@synaptic/test-support';
import fc from 'fast-check';
import { afterEach, expect, it } from 'vitest';
import { compareSteps } from './helpers.js';

const lib = { Neuron, Layer, Network } as unknown as LibraryLike;

afterEach(() => setRandom(Math.random));

it('random recipes run in onnxruntime as they run in the interpreter', async () => {
  await fc.assert(
    fc.asyncProperty(recipeArbitrary, fc.integer(), async (recipe, seed) => {
      setRandom(mulberry32(seed));
      const network = build<Network>(lib, recipe);
      const result = await compareSteps(network, { steps: 20, batch: 2, seed });
      expect(result.output).toBeLessThan(1e-5);
      expect(result.carried).toBeLessThan(1e-5);
    }),
    { numRuns: 60, seed: 20261201 },
  );
});

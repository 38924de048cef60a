import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as core from '@synaptic/core';
import type { Network } from '@synaptic/core';
import { optimize } from '@synaptic/compile';
import { build, makeData, recipeArbitrary, type LibraryLike } from '@synaptic/test-support';
import { withSeededRandom } from '@synaptic/test-support';
import { unlessDiverged } from './diverge.js';

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

/**
 * How many generated runs there are, per property: `pnpm test` runs a sample of each property,
 * `pnpm test:slow` (equivalence.slow.test.ts) the full count.
 */
export interface EquivalenceRuns {
  randomGraphs: number;
  switched: number;
}

/**
 * Some random graphs diverge (an IDENTITY or RELU loop grows without bound). Past Infinity or NaN
 * a trace kept without memory cannot follow the interpreter's, so such a run ends there, after
 * checking that both sides diverged alike: at the same step, with the same outputs (NaN for NaN)
 * and every unit finite or not in both. Returns whether the run diverged.
 */
function divergedAlike(reference: Network, compiled: Network, a: number[], b: number[], step: number): boolean {
  const ref = healthy(reference);
  expect(healthy(compiled), `step ${step}: the compiled network's units are all finite`).toBe(ref);
  expect(close(a, b), `step ${step} outputs ${a} vs ${b}`).toBe(true);
  return !ref;
}

export function equivalenceSuites(runs: EquivalenceRuns): void {
  describe('compiled networks ({ exact: true }) compute exactly what the interpreter computes', () => {
    it('on random graphs (every projection and gate type, self-connections, unit-level links, every squash)', () => {
      const tally = { finished: 0, diverged: 0 };
      fc.assert(
        fc.property(recipeArbitrary, fc.integer(), (recipe, seed) => {
          const reference = withSeededRandom(seed, () => build<Network>(lib, recipe));
          const compiled = optimize(reference.clone(), { exact: true });
          const data = makeData(recipe.sizes[0], recipe.sizes[recipe.sizes.length - 1], 300, seed);
          for (const [step, { input, target }] of data.entries()) {
            const a = unlessDiverged(() => reference.activate(input));
            const b = unlessDiverged(() => compiled.activate(input));
            if (a === null || b === null || divergedAlike(reference, compiled, a, b, step)) {
              // core refuses a non-finite output: on both sides at the same step
              expect(b === null, `step ${step}: both refuse the output`).toBe(a === null);
              tally.diverged++;
              return;
            }
            const p = unlessDiverged(() => reference.propagate(0.1, target));
            const q = unlessDiverged(() => compiled.propagate(0.1, target));
            if (p === null || q === null) {
              expect(q === null, `step ${step}: both undo the propagation`).toBe(p === null);
              tally.diverged++;
              return;
            }
          }
          tally.finished++;
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
        { numRuns: runs.randomGraphs, seed: 123 },
      );
      // most runs reach the end and compare weights and traces too
      expect(tally.finished + tally.diverged).toBe(runs.randomGraphs);
      expect(tally.finished).toBeGreaterThan(0.75 * runs.randomGraphs);
    });

    it('continues exactly in the interpreter after setOptimize(false), traces included', () => {
      fc.assert(
        fc.property(recipeArbitrary, fc.integer(), (recipe, seed) => {
          const reference = withSeededRandom(seed, () => build<Network>(lib, recipe));
          const switched = optimize(reference.clone(), { exact: true });
          const data = makeData(recipe.sizes[0], recipe.sizes[recipe.sizes.length - 1], 100, seed);
          for (const [step, { input, target }] of data.entries()) {
            if (step === 50) switched.setOptimize(false);
            const a = unlessDiverged(() => reference.activate(input));
            const b = unlessDiverged(() => switched.activate(input));
            if (a === null || b === null) {
              expect(b === null, `step ${step}: both refuse the output`).toBe(a === null);
              return;
            }
            if (divergedAlike(reference, switched, a, b, step)) return;
            const p = unlessDiverged(() => reference.propagate(0.1, target));
            const q = unlessDiverged(() => switched.propagate(0.1, target));
            if (p === null || q === null) {
              expect(q === null, `step ${step}: both undo the propagation`).toBe(p === null);
              return;
            }
          }
        }),
        { numRuns: runs.switched, seed: 321 },
      );
    });
  });
}

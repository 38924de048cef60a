import vm from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layerFunctions, type LayerFunction } from '@synaptic/core';

type Forward = LayerFunction['forward'];
type Backward = LayerFunction['backward'];

/** A kernel rebuilt from its own text in a context holding nothing but the language's globals. */
function fromText<F>(fn: F): F {
  return vm.runInNewContext(`(${String(fn)})`, {}) as F;
}

const vector = (n: number) =>
  fc
    .array(fc.double({ min: -60, max: 60, noNaN: true }), { minLength: n, maxLength: n })
    .map((a) => Float64Array.from(a));

describe('layer function kernels are self-contained: their text is their definition', () => {
  // the kernels standalone modules write out (@synaptic/compile's bundle.ts); LAYER_NORM is refused there
  for (const fn of [layerFunctions.SOFTMAX]) {
    it(`${fn.name}: forward and backward rebuilt from their text compute the same bits`, () => {
      const forward = fromText<Forward>(fn.forward);
      const backward = fromText<Backward>(fn.backward);
      fc.assert(
        fc.property(
          fc
            .integer({ min: 1, max: 12 })
            .chain((n) =>
              fc.tuple(fc.constant(n), fc.integer({ min: 0, max: 3 }), vector(n + 3), vector(n + 3), vector(n + 3)),
            ),
          ([n, at, state, error, gain]) => {
            // LAYER_NORM reads its states, gains and shifts; the softmax ignores them
            const params = { state, gain, shift: error };
            const run = (f: Forward, b: Backward) => {
              const y = new Float64Array(n + 3);
              const d = new Float64Array(n + 3);
              const into = new Float64Array(n + 3);
              f(state, y, d, n, at, params);
              b(y, error, into, n, at, params);
              return [y, d, into].map((a) => Array.from(a));
            };
            // toEqual tells 0 from -0 and compares NaN too: the very same bits
            expect(run(forward, backward)).toEqual(run(fn.forward, fn.backward));
          },
        ),
        { numRuns: 200, seed: 10 },
      );
    });

    it(`${fn.name}: its text is one function declaration`, () => {
      for (const k of [fn.forward, fn.backward, fn.parameterGradient ?? fn.forward])
        expect(String(k)).toMatch(/^function [A-Za-z]+\(/);
    });
  }
});

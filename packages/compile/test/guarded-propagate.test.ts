/**
 * Compiled `propagate` guards itself: each loop that writes a weight or bias keeps the old value
 * (an undo log) and sums w − w into a flag, so the network no longer copies every weight before
 * and scans them after. A rejected step must still leave every weight and bias exactly as it was,
 * wherever in the backward pass the first non-finite number appears (after earlier layers were
 * already written), through tied blocks, interpreted units, layer functions and split code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as core from '@synaptic/core';
import { Layer, Network, NonFiniteError } from '@synaptic/core';
import { optimize } from '@synaptic/compile';
import { setSplitLimits } from '../src/emit.js';
import { build, makeData, recipeArbitrary, withSeededRandom, type LibraryLike } from '@synaptic/test-support';

const lib = core as unknown as LibraryLike;

/** Every weight and bias (and the rest of the file) as text. */
const saved = (n: Network) => JSON.stringify(n.toJSON());

/** Runs `step` on both; both throw a NonFiniteError or neither does. Returns whether they threw. */
function bothOrNeither(a: Network, b: Network, step: (n: Network) => unknown): boolean {
  const outcome = (n: Network) => {
    try {
      step(n);
      return false;
    } catch (error) {
      if (!(error instanceof NonFiniteError)) throw error;
      return true;
    }
  };
  const x = outcome(a);
  expect(outcome(b)).toBe(x);
  return x;
}

describe('a rejected compiled propagate leaves the weights exactly as they were', () => {
  it('on random graphs, at rates where the step breaks somewhere in the backward pass', () => {
    const tally = { rejected: 0, accepted: 0 };
    fc.assert(
      fc.property(recipeArbitrary, fc.integer(), fc.integer({ min: 280, max: 308 }), (recipe, seed, exponent) => {
        const reference = withSeededRandom(seed, () => build<Network>(lib, recipe));
        const compiled = optimize(reference.clone(), { exact: true });
        const data = makeData(recipe.sizes[0], recipe.sizes[recipe.sizes.length - 1], 6, seed);
        for (const { input, target } of data) {
          if (bothOrNeither(reference, compiled, (n) => n.activate(input))) return;
          const before = saved(compiled);
          // a huge rate: some steps fail at the first layer written, some deep inside, some not at all
          const rate = 10 ** exponent * (seed % 2 === 0 ? 1 : 1e-6);
          if (bothOrNeither(reference, compiled, (n) => n.propagate(rate, target))) {
            tally.rejected++;
            expect(saved(compiled)).toBe(before);
          } else tally.accepted++;
          expect(saved(compiled)).toBe(saved(reference));
        }
      }),
      { numRuns: 60, seed: 1111 },
    );
    expect(tally.rejected).toBeGreaterThan(10);
    expect(tally.accepted).toBeGreaterThan(10);
  });

  /**
   * 3 → 6 → 4 → 2 at rate 1e160: the output layer's Δw (rate · δ · y, |δ|, y ≤ 1) is finite and
   * written first; the layer below sees those new weights (as in 1.x), so its Δw ~ rate² overflows.
   */
  function deep(): { net: Network; hidden: Layer[] } {
    const layers = withSeededRandom(5, () => {
      const list = [new Layer(3), new Layer(6), new Layer(4), new Layer(2)];
      for (let l = 0; l + 1 < list.length; l++) list[l].project(list[l + 1]);
      return list;
    });
    const net = new Network({ input: layers[0], hidden: [layers[1], layers[2]], output: layers[3] });
    return { net, hidden: [layers[1], layers[2]] };
  }

  it('when a hidden layer overflows after the output layer was written', () => {
    for (const split of [false, true]) {
      if (split) setSplitLimits({ locals: 1, groups: 1, perPiece: 1 });
      try {
        const { net } = deep();
        optimize(net, { exact: true });
        net.activate([0.3, -0.5, 0.9]);
        const before = saved(net);
        expect(() => net.propagate(1e160, [1, 0])).toThrow(/the propagation was undone/);
        expect(saved(net)).toBe(before);
        // and the same step on the interpreter is rejected the same way
        const { net: plain } = deep();
        plain.activate([0.3, -0.5, 0.9]);
        expect(() => plain.propagate(1e160, [1, 0])).toThrow(NonFiniteError);
        expect(saved(plain)).toBe(before);
      } finally {
        setSplitLimits(null);
      }
    }
  });

  it('through tied projections, a softmax output layer and an interpreted unit', () => {
    const make = () =>
      withSeededRandom(9, () => {
        const input = new Layer(3);
        const a = new Layer(4);
        const b = new Layer(4);
        const output = new Layer(3);
        input.project(a);
        input.project(b).tie(input.connectedTo[0]);
        a.project(output);
        b.project(output);
        // a unit-level link makes layer a irregular: two of its units compile one by one, two are interpreted
        a.list[0].project(a.list[1], 0.25);
        output.set({ squash: core.squash.SOFTMAX });
        return new Network({ input, hidden: [a, b], output });
      });
    const reference = make();
    const compiled = optimize(make(), { exact: true, maxUnitGroups: 2 });
    for (const n of [reference, compiled]) n.activate([0, 0, 0]);
    const source = (compiled.executor() as unknown as { source: string }).source;
    expect(source).toContain('GU[1].save()');
    expect(source).toContain('FL[0].save()');
    for (const n of [reference, compiled]) n.activate([0.3, -0.5, 0.9]);
    const before = saved(compiled);
    expect(bothOrNeither(reference, compiled, (n) => n.propagate(1e160, [1, 0, 0]))).toBe(true);
    expect(saved(compiled)).toBe(before);
    expect(saved(reference)).toBe(before);
    // and a finite step afterwards agrees bit for bit
    for (const n of [reference, compiled]) n.activate([0.5, -0.2, 0.1]);
    expect(bothOrNeither(reference, compiled, (n) => n.propagate(0.3, [0, 1, 0]))).toBe(false);
    expect(saved(compiled)).toBe(saved(reference));
  });
});

describe('LAYER_NORM under the compiled guard', () => {
  it('a rejected propagate puts γ and β back too (interpreted and compiled)', () => {
    const make = () =>
      withSeededRandom(17, () => {
        const input = new Layer(2);
        const norm = new Layer(4).set({ squash: core.Neuron.squash.LAYER_NORM, group: 2 });
        const output = new Layer(2).set({ squash: core.Neuron.squash.LAYER_NORM });
        input.project(norm);
        norm.project(output);
        return new Network({ input, hidden: [norm], output });
      });
    for (const net of [make(), optimize(make(), { exact: true })]) {
      net.activate([0.3, 0.9]);
      const before = saved(net);
      expect(() => net.propagate(1e308, [1e3, -1e3])).toThrow(NonFiniteError);
      expect(saved(net)).toBe(before);
      net.propagate(0.1, [1, 0]);
      expect(saved(net)).not.toBe(before);
    }
  });
});

describe('the undo log is allocated by the first propagate', () => {
  it('a network that has only run activate holds none, and its first propagate, rejected, is undone exactly', () => {
    const input = new Layer(20);
    const hidden = new Layer(30);
    const output = new Layer(2);
    hidden.set({ squash: core.Neuron.squash.IDENTITY });
    input.project(hidden);
    hidden.project(output);
    const net = new Network({ input, hidden: [hidden], output });
    // the generated JavaScript (the default compile runs this net in WebAssembly, with a log of its own)
    optimize(net, { backend: 'js' });
    const x = Array.from({ length: 20 }, (_, i) => (i % 3) * 1e150);
    net.activate(x);
    const executor = net.executor() as unknown as { memory: { undoW: Float64Array[]; undoB: Float64Array[] } };
    expect(executor.memory.undoW.every((u) => u.length === 0)).toBe(true);
    expect(executor.memory.undoB.every((u) => u.length === 0)).toBe(true);
    const y = net.activate(x);
    const before = saved(net);
    const wrong = y.map((v) => (v > 0.5 ? 0 : 1));
    expect(() => net.propagate(1e200, wrong)).toThrow(NonFiniteError);
    expect(saved(net)).toBe(before);
    expect(executor.memory.undoW.map((u) => u.length)).toEqual([600, 60]);
    net.activate(x.map(() => 0.5));
    net.propagate(0.1, [1, 0]);
    expect(saved(net)).not.toBe(before);
  });
});

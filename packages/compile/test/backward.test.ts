import vm from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as core from '@synaptic/core';
import { cost, Layer, mulberry32, Network, Neuron, setRandom } from '@synaptic/core';
import { compile, optimize, standalone } from '@synaptic/compile';
import { build, makeData, recipeArbitrary, type LibraryLike } from '@synaptic/test-support';
import { withSeededRandom } from '@synaptic/test-support';
import { unlessDiverged } from './support/diverge.js';

const lib = core as unknown as LibraryLike;

const finite = (net: Network) =>
  net.neurons().every(({ neuron: n }) => Number.isFinite(n.state) && Number.isFinite(n.activation));

/** The gradients of both networks' parameters agree within `tolerance` relative. */
function sameGradients(a: Network, b: Network, tolerance: number): void {
  const pa = a.parameters();
  const pb = b.parameters();
  expect(pb.map((p) => p.name)).toEqual(pa.map((p) => p.name));
  pa.forEach((p, t) => {
    p.gradient.forEach((g, e) => {
      const h = pb[t].gradient[e];
      expect(Math.abs(g - h), `${p.name}[${e}]: ${g} vs ${h}`).toBeLessThanOrEqual(
        tolerance * Math.max(1, Math.abs(g)),
      );
    });
  });
}

/** The network's standalone module (exact) trains bit for bit as the network does, and writes its JSON. */
function standaloneTrainsLike(net: Network, outputs: number): boolean {
  const run = vm.runInNewContext(standalone(net, { format: 'function', train: true, exact: true }), {}) as {
    (input: number[]): number[];
    propagate(rate: number, target: number[]): void;
    toJSON(): unknown;
  };
  net.setOptimize(false);
  for (const { input: x, target } of makeData(net.inputs(), outputs, 20, 5)) {
    const a = run(x);
    const b = net.activate(x);
    if (a.some((y, k) => !Object.is(y, b[k]))) return false;
    run.propagate(0.3, target);
    net.propagate(0.3, target);
  }
  return JSON.stringify(run.toJSON()) === JSON.stringify(net.toJSON());
}

describe('compiled backward', () => {
  it('equals the interpreted one within 1e-12 on random graphs (recurrent and gated too), step after step', () => {
    fc.assert(
      fc.property(recipeArbitrary, fc.integer(), (recipe, seed) => {
        const reference = withSeededRandom(seed, () => build<Network>(lib, recipe));
        const compiled = optimize(reference.clone());
        const data = makeData(recipe.sizes[0], recipe.sizes[recipe.sizes.length - 1], 30, seed);
        for (const { input, target } of data) {
          const a = unlessDiverged(() => reference.activate(input));
          const b = unlessDiverged(() => compiled.activate(input));
          expect(b === null).toBe(a === null);
          if (a === null || !finite(reference)) return;
          reference.backward(target, { cost: cost.MSE });
          compiled.backward(target, { cost: cost.MSE });
          // online learning between samples, so traces and gains move as in training
          const p = unlessDiverged(() => reference.propagate(0.05, target));
          const q = unlessDiverged(() => compiled.propagate(0.05, target));
          expect(q === null).toBe(p === null);
          if (p === null) return;
        }
        expect(compiled.executor()).not.toBeNull();
        sameGradients(reference, compiled, 1e-12);
      }),
      { numRuns: 150, seed: 424242 },
    );
  });

  it('on a perceptron with a softmax output, cross-entropy and fixed parameters', () => {
    setRandom(mulberry32(9));
    const input = new Layer(4);
    const hidden = new Layer(5);
    const output = new Layer(3).set({ squash: Neuron.squash.SOFTMAX });
    const fixed = input.project(hidden).fix();
    hidden.project(output);
    hidden.set({ biasFixed: true, squash: Neuron.squash.TANH });
    setRandom(Math.random);
    const reference = new Network({ input, hidden: [hidden], output });
    const compiled = optimize(reference.clone());
    const data = makeData(4, 3, 40, 3);
    const frozen = fixed.list.map((c) => c.weight);
    for (const { input: x, target } of data) {
      const t = target.map((v) => v / target.reduce((a, b) => a + b, 0));
      // the default compile sums eq. 15 in several accumulators: equal within rounding, not bit for bit
      const y = compiled.activate(x);
      reference.activate(x).forEach((v, k) => expect(Math.abs(y[k] - v)).toBeLessThanOrEqual(1e-12));
      reference.backward(t, { cost: cost.CROSS_ENTROPY });
      compiled.backward(t, { cost: cost.CROSS_ENTROPY });
      reference.propagate(0.1, t);
      compiled.propagate(0.1, t);
    }
    sameGradients(reference, compiled, 1e-12);
    expect(compiled.layers.input!.connectedTo[0].list.map((c) => c.weight)).toEqual(frozen);
    expect(compiled.layers.hidden[0].list.map((u) => u.bias)).toEqual(
      reference.layers.hidden[0].list.map((u) => u.bias),
    );
    // the trained weights: equal within rounding (the default compile's Δw = (α δ) ε), fixed ones exactly
    const values = (n: Network) => n.parameters().flatMap((p) => [...p.value]);
    const got = values(compiled);
    values(reference).forEach((v, k) =>
      expect(Math.abs(got[k] - v)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v))),
    );
    // its standalone module trains as the network does, fixed parameters left alone
    expect(standaloneTrainsLike(compiled, 3)).toBe(true);
  });

  it("on grouped softmax and LAYER_NORM layers (hidden and output): the interpreter's numbers, γ and β included", () => {
    for (const outputFn of ['SOFTMAX', 'LAYER_NORM'] as const) {
      setRandom(mulberry32(31));
      const input = new Layer(4);
      const hidden = new Layer(6).set({ squash: Neuron.squash.LAYER_NORM, group: 3 });
      const recurrent = new Layer(4).set({ squash: Neuron.squash.SOFTMAX, group: 2 });
      const output = new Layer(4).set({ squash: Neuron.squash[outputFn], group: 2 });
      input.project(hidden);
      hidden.project(recurrent);
      recurrent.project(recurrent, Layer.connectionType.ONE_TO_ONE);
      recurrent.project(output);
      hidden.project(output);
      setRandom(Math.random);
      const reference = new Network({ input, hidden: [hidden, recurrent], output });
      const compiled = optimize(reference.clone());
      const costFn = outputFn === 'SOFTMAX' ? cost.CROSS_ENTROPY : cost.MSE;
      for (const { input: x, target } of makeData(4, 4, 30, 5)) {
        const t = outputFn === 'SOFTMAX' ? [target[0], 1 - target[0], target[2], 1 - target[2]] : target;
        expect(compiled.activate(x)).toEqual(reference.activate(x));
        reference.backward(t, { cost: costFn });
        compiled.backward(t, { cost: costFn });
        reference.propagate(0.05, t);
        compiled.propagate(0.05, t);
      }
      expect(compiled.executor()).not.toBeNull();
      expect(reference.parameters().some((p) => p.name === 'hidden[0].gamma')).toBe(true);
      sameGradients(reference, compiled, 1e-12);
      expect(compiled.toJSON()).toEqual(reference.toJSON());
      // bptt over the compiled forward: the interpreter's gradients
      const episode = makeData(4, 4, 5, 6);
      const ts = episode.map(({ target: t }) => (outputFn === 'SOFTMAX' ? [t[0], 1 - t[0], t[2], 1 - t[2]] : t));
      for (const n of [reference, compiled]) n.zeroGradients();
      const a = reference.bptt(
        episode.map((d) => d.input),
        ts,
        { cost: costFn },
      );
      const b = compiled.bptt(
        episode.map((d) => d.input),
        ts,
        { cost: costFn },
      );
      expect(Math.abs(a - b)).toBeLessThan(1e-12 * Math.max(1, Math.abs(a)));
      sameGradients(reference, compiled, 1e-12);
    }
  });

  it('on tied projections: the same weights and gradients as the interpreter', () => {
    setRandom(mulberry32(12));
    const input = new Layer(3);
    const h1 = new Layer(3);
    const h2 = new Layer(3);
    const output = new Layer(2);
    const first = input.project(h1);
    h1.project(h2).tie(first);
    h2.project(output);
    setRandom(Math.random);
    const reference = new Network({ input, hidden: [h1, h2], output });
    const compiled = optimize(reference.clone(), { exact: true });
    for (const { input: x, target } of makeData(3, 2, 40, 8)) {
      const a = compiled.activate(x);
      reference.activate(x).forEach((y, k) => expect(y).toBe(a[k]));
      reference.backward(target);
      compiled.backward(target);
      reference.propagate(0.2, target);
      compiled.propagate(0.2, target);
    }
    sameGradients(reference, compiled, 1e-12);
    const weights = (n: Network) => n.parameters().flatMap((p) => Array.from(p.value));
    const w = weights(compiled);
    weights(reference).forEach((v, e) => expect(v).toBe(w[e]));
    expect(compiled.executor()?.portable?.()?.source).toContain('@'); // a tied block names its owner
    expect(standaloneTrainsLike(compiled, 2)).toBe(true);
  });

  it('changes nothing the next compiled activate reads', () => {
    setRandom(mulberry32(2));
    const a = new Network();
    const input = new Layer(3);
    const h = new Layer(4);
    const o = new Layer(2);
    input.project(h);
    h.project(o);
    h.project(h);
    a.set({ input, hidden: [h], output: o });
    setRandom(Math.random);
    const b = a.clone();
    optimize(a);
    optimize(b);
    for (const { input: x, target } of makeData(3, 2, 20, 5)) {
      a.activate(x);
      b.activate(x);
      a.backward(target);
      expect(a.activate(x)).toEqual(b.activate(x));
    }
  });

  it('building or changing another network does not recompile this one', () => {
    setRandom(mulberry32(5));
    const net = new Network();
    const i = new Layer(2);
    const o = new Layer(1);
    i.project(o);
    net.set({ input: i, output: o });
    setRandom(Math.random);
    optimize(net);
    net.activate([0, 1]);
    const executor = net.executor();
    for (let k = 0; k < 20; k++) {
      new Layer(1).project(new Layer(1));
      net.activate([1, 0]);
      net.propagate(0.1, [1]);
    }
    expect(net.executor()).toBe(executor);
    o.set({ squash: Neuron.squash.TANH });
    expect(net.executor()).not.toBe(executor);
    const c = compile(net);
    const before = c.source;
    new Layer(2).project(new Layer(2));
    expect(c.source).toBe(before);
  });
});

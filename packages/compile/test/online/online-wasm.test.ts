/**
 * The default compile runs layered networks' activate/propagate in WebAssembly SIMD (f64x2):
 * it must follow 1.x's online rule (within 1e-9 of synaptic 1.1.4 and of the generated
 * JavaScript, step after step), undo a failed step exactly, fall back to JavaScript where
 * WebAssembly is missing, and leave its trained weights where parameters(), toJSON and clone
 * read them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as core from '@synaptic/core';
import { InvalidArgumentError, Layer, Network, NonFiniteError } from '@synaptic/core';
import { compile, optimize } from '@synaptic/compile';
import {
  build,
  type LibraryLike,
  makeData,
  type Network1x,
  type Recipe,
  SQUASHES,
  type SquashKey,
  synaptic1x,
  withSeededRandom,
} from '@synaptic/test-support';
// @ts-expect-error the build script is plain JavaScript
import { assembleOnline } from '../../scripts/build-wasm.mjs';
import { ONLINE_WASM_BASE64 } from '../../src/wasm/online.generated.js';

const lib = core as unknown as LibraryLike;
const lib1x = synaptic1x as unknown as LibraryLike;

/**
 * A layered recipe: ALL_TO_ALL from each layer to the next, one built-in squash per layer
 * (bounded ones below the output, so that no run diverges; HLIM has no useful derivative).
 */
const layeredArbitrary: fc.Arbitrary<Recipe> = fc
  .record({
    sizes: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 2, maxLength: 5 }),
    hidden: fc.array(fc.constantFrom<SquashKey>('LOGISTIC', 'TANH'), { minLength: 5, maxLength: 5 }),
    output: fc.constantFrom<SquashKey>(...SQUASHES.filter((s) => s !== 'HLIM')),
  })
  .map(({ sizes, hidden, output }) => ({
    sizes,
    squashes: [...hidden.slice(0, sizes.length - 1), output],
    projections: sizes.slice(1).map((_, l) => ({ from: l, to: l + 1, type: 'ALL_TO_ALL' as const })),
    gates: [],
    links: [],
    linkGates: [],
    unitSquashes: [],
  }));

const weightsOf = (n: Network): number[] => n.parameters().flatMap((p) => Array.from(p.value));
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]));
  return worst;
};
const backendOf = (n: Network) => (n.executor() as unknown as { backend: 'wasm' | 'js' }).backend;

function layered(sizes: number[], seed: number): Network {
  return withSeededRandom(seed, () => {
    const layers = sizes.map((s) => new Layer(s));
    for (let l = 0; l + 1 < layers.length; l++) layers[l].project(layers[l + 1]);
    return new Network({ input: layers[0], hidden: layers.slice(1, -1), output: layers[layers.length - 1] });
  });
}

describe('online WebAssembly in the default compile', () => {
  it('is what scripts/build-wasm.mjs assembles from src/wasm/online.wat now', async () => {
    expect(await assembleOnline()).toBe(ONLINE_WASM_BASE64);
  });

  it('equals the generated JavaScript within 1e-9 on random layered networks, over many steps', () => {
    fc.assert(
      fc.property(
        layeredArbitrary,
        fc.integer(),
        fc.double({ min: 0.01, max: 0.2, noNaN: true }),
        (recipe, seed, rate) => {
          const wasm = withSeededRandom(seed, () => build<Network>(lib, recipe));
          const js = wasm.clone();
          optimize(wasm);
          optimize(js, { backend: 'js' });
          const data = makeData(recipe.sizes[0], recipe.sizes[recipe.sizes.length - 1], 60, seed);
          for (const { input, target } of data) {
            expect(maxDiff(wasm.activate(input), js.activate(input))).toBeLessThanOrEqual(1e-9);
            wasm.propagate(rate, target);
            js.propagate(rate, target);
          }
          expect(backendOf(wasm)).toBe('wasm');
          expect(backendOf(js)).toBe('js');
          expect(maxDiff(weightsOf(wasm), weightsOf(js))).toBeLessThanOrEqual(1e-9);
        },
      ),
      { numRuns: 60, seed: 4242 },
    );
  });

  it('follows synaptic 1.1.4 within 1e-9 on random layered networks (outputs at every step, trained weights)', () => {
    fc.assert(
      fc.property(layeredArbitrary, fc.integer(), (recipe, seed) => {
        const net = optimize(withSeededRandom(seed, () => build<Network>(lib, recipe)));
        const net1x = withSeededRandom(seed, () => build<Network1x>(lib1x, recipe));
        net1x.setOptimize(false);
        const data = makeData(recipe.sizes[0], recipe.sizes[recipe.sizes.length - 1], 80, seed);
        for (const { input, target } of data) {
          expect(maxDiff(net.activate(input), net1x.activate(input))).toBeLessThanOrEqual(1e-9);
          net.propagate(0.1, target);
          net1x.propagate(0.1, target);
        }
        expect(backendOf(net)).toBe('wasm');
        const json = net.toJSON() as { connections: Array<{ weight: number }>; neurons: Array<{ bias: number }> };
        const json1x = net1x.toJSON() as unknown as typeof json;
        expect(
          maxDiff(
            json.connections.map((c) => c.weight),
            json1x.connections.map((c) => c.weight),
          ),
        ).toBeLessThanOrEqual(1e-9);
        expect(
          maxDiff(
            json.neurons.map((u) => u.bias),
            json1x.neurons.map((u) => u.bias),
          ),
        ).toBeLessThanOrEqual(1e-9);
      }),
      { numRuns: 40, seed: 99 },
    );
  });

  it('on MNIST shapes (784-100-10): equals the generated JavaScript and 1.1.4 within 1e-9', () => {
    const seed = 12;
    const recipe: Recipe = {
      sizes: [784, 100, 10],
      squashes: ['LOGISTIC', 'LOGISTIC', 'LOGISTIC'],
      projections: [
        { from: 0, to: 1, type: 'ALL_TO_ALL' },
        { from: 1, to: 2, type: 'ALL_TO_ALL' },
      ],
      gates: [],
      links: [],
      linkGates: [],
      unitSquashes: [],
    };
    const wasm = optimize(withSeededRandom(seed, () => build<Network>(lib, recipe)));
    const js = optimize(
      withSeededRandom(seed, () => build<Network>(lib, recipe)),
      { backend: 'js' },
    );
    const net1x = withSeededRandom(seed, () => build<Network1x>(lib1x, recipe));
    net1x.setOptimize(false);
    const data = makeData(784, 10, 40, seed);
    let worst = 0;
    for (const { input, target } of data) {
      const y = wasm.activate(input);
      worst = Math.max(worst, maxDiff(y, js.activate(input)), maxDiff(y, net1x.activate(input)));
      wasm.propagate(0.1, target);
      js.propagate(0.1, target);
      net1x.propagate(0.1, target);
    }
    expect(backendOf(wasm)).toBe('wasm');
    expect(worst).toBeLessThanOrEqual(1e-9);
    expect(maxDiff(weightsOf(wasm), weightsOf(js))).toBeLessThanOrEqual(1e-9);
    const weights1x = net1x.toJSON().connections.map((c) => c.weight);
    const weights = (wasm.toJSON() as { connections: Array<{ weight: number }> }).connections.map((c) => c.weight);
    expect(maxDiff(weights, weights1x)).toBeLessThanOrEqual(1e-9);
  });

  it('leaves the trained weights where parameters(), toJSON and clone read them', () => {
    const net = optimize(layered([5, 4, 3], 3));
    const twin = optimize(layered([5, 4, 3], 3), { backend: 'js' });
    for (const { input, target } of makeData(5, 3, 25, 3)) {
      for (const n of [net, twin]) {
        n.activate(input);
        n.propagate(0.5, target);
      }
    }
    expect(backendOf(net)).toBe('wasm');
    expect(maxDiff(weightsOf(net), weightsOf(twin))).toBeLessThanOrEqual(1e-12);
    const json = net.toJSON() as { connections: Array<{ weight: number }> };
    const fromJson = Network.fromJSON(net.toJSON());
    const clone = net.clone();
    expect(maxDiff(weightsOf(fromJson), weightsOf(net))).toBe(0);
    expect(maxDiff(weightsOf(clone), weightsOf(net))).toBe(0);
    expect(json.connections.length).toBe(5 * 4 + 4 * 3);
    const x = [0.1, 0.9, -0.4, 0.3, 0.7];
    const y = net.activate(x);
    expect(maxDiff(clone.activate(x), y)).toBeLessThanOrEqual(1e-12);
    expect(maxDiff(fromJson.activate(x), y)).toBeLessThanOrEqual(1e-12);
    // the traces of the last step are in the network (the interpreter's next step reads them)
    net.setOptimize(false);
    twin.setOptimize(false);
    const t = [1, 0, 0];
    net.activate(x);
    twin.activate(x);
    net.propagate(0.5, t);
    twin.propagate(0.5, t);
    expect(maxDiff(weightsOf(net), weightsOf(twin))).toBeLessThanOrEqual(1e-12);
  });

  it('gives network.backward the gradients of the generated JavaScript', () => {
    const net = optimize(layered([4, 6, 2], 8));
    const twin = optimize(layered([4, 6, 2], 8), { backend: 'js' });
    for (const { input, target } of makeData(4, 2, 5, 8)) {
      for (const n of [net, twin]) {
        n.activate(input);
        n.backward(target);
      }
    }
    expect(backendOf(net)).toBe('wasm');
    const grads = (n: Network) => n.parameters().flatMap((p) => Array.from(p.gradient));
    expect(maxDiff(grads(net), grads(twin))).toBeLessThanOrEqual(1e-12);
  });

  it('undoes a step that overflows exactly, after the output layer was written', () => {
    // 3 → 6 → 4 → 2 at rate 1e160: the output layer's new weights are finite, the layers below overflow
    const net = optimize(layered([3, 6, 4, 2], 5));
    net.activate([0.3, -0.5, 0.9]);
    expect(backendOf(net)).toBe('wasm');
    const before = JSON.stringify(net.toJSON());
    expect(() => net.propagate(1e160, [1, 0])).toThrow(NonFiniteError);
    expect(JSON.stringify(net.toJSON())).toBe(before);
    // and through compile()'s own propagate
    const compiled = compile(layered([3, 6, 4, 2], 5));
    compiled.activate([0.3, -0.5, 0.9]);
    expect(compiled.backend).toBe('wasm');
    const saved = JSON.stringify(compiled.toJSON());
    expect(() => compiled.propagate(1e160, [1, 0])).toThrow(/the propagation was undone/);
    expect(JSON.stringify(compiled.toJSON())).toBe(saved);
    // a finite step afterwards still trains as the generated JavaScript does
    const js = optimize(layered([3, 6, 4, 2], 5), { backend: 'js' });
    js.activate([0.3, -0.5, 0.9]);
    for (const n of [net, js]) {
      n.activate([0.5, 0.1, -0.2]);
      n.propagate(0.3, [0, 1]);
    }
    expect(maxDiff(weightsOf(net), weightsOf(js))).toBeLessThanOrEqual(1e-12);
  });

  it('on random layered networks at huge rates: a rejected step changes nothing, an accepted one is finite', () => {
    const tally = { rejected: 0, accepted: 0 };
    fc.assert(
      fc.property(layeredArbitrary, fc.integer(), fc.integer({ min: 150, max: 308 }), (recipe, seed, exponent) => {
        const net = optimize(withSeededRandom(seed, () => build<Network>(lib, recipe)));
        const data = makeData(recipe.sizes[0], recipe.sizes[recipe.sizes.length - 1], 4, seed);
        for (const { input, target } of data) {
          try {
            net.activate(input);
          } catch (error) {
            if (error instanceof NonFiniteError || error instanceof core.InvalidValueError) return;
            throw error;
          }
          // every weight and bias (parameters() holds both)
          const before = weightsOf(net);
          try {
            net.propagate(10 ** exponent, target);
            tally.accepted++;
            expect(weightsOf(net).every(Number.isFinite)).toBe(true);
          } catch (error) {
            if (!(error instanceof NonFiniteError)) throw error;
            tally.rejected++;
            expect(weightsOf(net)).toEqual(before);
          }
        }
      }),
      { numRuns: 60, seed: 2024 },
    );
    expect(tally.rejected).toBeGreaterThan(10);
    expect(tally.accepted).toBeGreaterThan(10);
  });
});

describe('where the online WebAssembly does not run', () => {
  it('falls back to the generated JavaScript when WebAssembly is missing, with the same results', () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly');
    if (saved === undefined) throw new Error('this test needs WebAssembly to take it away');
    let fallback: Network;
    try {
      Reflect.deleteProperty(globalThis, 'WebAssembly');
      fallback = optimize(layered([6, 5, 3], 21));
      fallback.activate([0, 0, 0, 0, 0, 0]);
      expect(backendOf(fallback)).toBe('js');
      expect(() => optimize(layered([6, 5, 3], 21), { backend: 'wasm' })).toThrow(/WebAssembly SIMD is not available/);
      expect(compile(layered([6, 5, 3], 21)).backend).toBe('js');
    } finally {
      Object.defineProperty(globalThis, 'WebAssembly', saved);
    }
    const wasm = optimize(layered([6, 5, 3], 21));
    wasm.activate([0, 0, 0, 0, 0, 0]);
    expect(backendOf(wasm)).toBe('wasm');
    for (const { input, target } of makeData(6, 3, 30, 21)) {
      expect(maxDiff(fallback.activate(input), wasm.activate(input))).toBeLessThanOrEqual(1e-9);
      fallback.propagate(0.2, target);
      wasm.propagate(0.2, target);
    }
    expect(maxDiff(weightsOf(fallback), weightsOf(wasm))).toBeLessThanOrEqual(1e-9);
  });

  it("runs JavaScript for exact arithmetic, backend 'js', and networks that are not layered", () => {
    const exact = optimize(layered([3, 2], 1), { exact: true });
    exact.activate([0, 0, 0]);
    expect(backendOf(exact)).toBe('js');
    const gated = withSeededRandom(2, () => {
      const input = new Layer(2);
      const hidden = new Layer(3);
      const output = new Layer(3);
      const projection = input.project(hidden);
      hidden.project(output);
      output.gate(projection, Layer.gateType.INPUT);
      return new Network({ input, hidden: [hidden], output });
    });
    optimize(gated);
    gated.activate([0.5, 0.5]);
    expect(backendOf(gated)).toBe('js');
    expect(() => optimize(gated, { backend: 'wasm' })).toThrow(/gated/);
    expect(() => compile(layered([3, 2], 1), { backend: 'gpu' as 'js' })).toThrow(InvalidArgumentError);
  });

  it('is rebuilt in JavaScript when the network stops being layered', () => {
    const input = new Layer(2);
    const hidden = new Layer(3);
    const output = new Layer(1);
    input.project(hidden);
    hidden.project(output);
    const net = optimize(new Network({ input, hidden: [hidden], output }));
    net.activate([0.2, 0.4]);
    expect(backendOf(net)).toBe('wasm');
    hidden.project(hidden);
    net.activate([0.2, 0.4]);
    expect(backendOf(net)).toBe('js');
    net.propagate(0.1, [1]);
    expect(weightsOf(net).every(Number.isFinite)).toBe(true);
  });
});

describe("the generated JavaScript's undo log for long dense rows (one copy per row)", () => {
  it('puts back exactly what a rejected step wrote, and agrees with the interpreter bit for bit (exact)', () => {
    // rows of 40 and 24 weights take the row copy; the output layer's 2 units are written first
    let rejected = 0;
    for (const exponent of [100, 150, 155, 160, 200, 250, 300]) {
      const reference = layered([40, 24, 18, 2], exponent);
      const compiled = optimize(reference.clone(), { exact: true });
      expect(compiled.executor()?.constructor.name).toBe('CompiledExecutor');
      expect((compiled.executor() as unknown as { source: string }).source).toContain('uw0.set(w0.subarray(j * 40');
      const data = makeData(40, 2, 3, exponent);
      for (const { input, target } of data) {
        expect(compiled.activate(input)).toEqual(reference.activate(input));
        const before = JSON.stringify(compiled.toJSON());
        const outcome = (n: Network) => {
          try {
            n.propagate(10 ** exponent * 1e-3, target);
            return false;
          } catch (error) {
            if (!(error instanceof NonFiniteError)) throw error;
            return true;
          }
        };
        const failed = outcome(compiled);
        expect(outcome(reference)).toBe(failed);
        if (failed) {
          rejected++;
          expect(JSON.stringify(compiled.toJSON())).toBe(before);
        }
        expect(JSON.stringify(compiled.toJSON())).toBe(JSON.stringify(reference.toJSON()));
      }
    }
    expect(rejected).toBeGreaterThan(2);
  });
});

describe('the weights stay where parameters() found them', () => {
  it('after optimize, through training, setOptimize toggles and rebuilds', () => {
    const net = optimize(layered([6, 5, 2], 31));
    const params = net.parameters();
    const twin = optimize(layered([6, 5, 2], 31), { backend: 'js' });
    const data = makeData(6, 2, 20, 31);
    data.forEach(({ input, target }, k) => {
      if (k === 7) {
        net.setOptimize(false);
        net.setOptimize(true);
      }
      if (k === 12) net.optimize();
      for (const n of [net, twin]) {
        n.activate(input);
        n.propagate(0.3, target);
      }
    });
    expect(backendOf(net)).toBe('wasm');
    // the arrays read before training are the ones that trained
    expect(net.parameters().every((p, i) => p.value === params[i].value)).toBe(true);
    expect(maxDiff(weightsOf(net), weightsOf(twin))).toBeLessThanOrEqual(1e-12);
    // an optimizer stepping those arrays moves what the kernel computes
    const x = [0.3, 0.1, 0.9, 0.4, 0.2, 0.8];
    const y = net.activate(x);
    for (const n of [params, twin.parameters()]) n[0].value.fill(0.25);
    const moved = net.activate(x);
    expect(maxDiff(moved, y)).toBeGreaterThan(1e-6);
    expect(maxDiff(moved, twin.activate(x))).toBeLessThanOrEqual(1e-12);
  });

  it('with compileBatch on the same network: the weights stay in the batch memory, no rebuild back and forth', async () => {
    const { compileBatch } = await import('@synaptic/compile');
    const net = optimize(layered([4, 3, 2], 41));
    const batch = compileBatch(net, { batchSize: 4 });
    const params = net.parameters();
    const x = Float64Array.from(makeData(4, 2, 4, 41).flatMap((s) => s.input));
    for (let round = 0; round < 3; round++) {
      const y = Array.from(batch.forward(x));
      net.activate([0.1, 0.2, 0.3, 0.4]);
      expect(backendOf(net)).toBe('js');
      expect(Array.from(batch.forward(x))).toEqual(y);
    }
    expect(net.parameters().every((p, i) => p.value === params[i].value)).toBe(true);
  });
});

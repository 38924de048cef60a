import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cost,
  Layer,
  mulberry32,
  Network,
  Neuron,
  setRandom,
  type CostFunction,
  type Parameter,
  type SquashFunction,
} from '../src/index.js';

/** A feed-forward recipe: layers in activation order, projections and gates that only look back. */
interface Recipe {
  seed: number;
  sizes: number[];
  squashes: Array<'LOGISTIC' | 'TANH' | 'IDENTITY'>;
  mixed: boolean;
  softmax: boolean;
  skips: Array<{ from: number; to: number; oneToOne: boolean }>;
  links: Array<{ from: number; to: number; a: number; b: number }>;
  gates: Array<{ projection: number; gater: number; type: 'INPUT' | 'OUTPUT' | 'ONE_TO_ONE' }>;
  fixLayer: number;
  fixBias: number;
  input: number[];
  target: number[];
}

/** E = −Σ t ln y: the cross-entropy of a softmax output */
function categoricalCrossEntropy(target: ArrayLike<number>, output: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < output.length; k++) sum -= target[k] * Math.log(output[k] + 1e-15);
  return sum;
}

const recipes: fc.Arbitrary<Recipe> = fc
  .record({
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
    sizes: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 3, maxLength: 5 }),
    squashes: fc.array(fc.constantFrom('LOGISTIC' as const, 'TANH' as const, 'IDENTITY' as const), {
      minLength: 5,
      maxLength: 5,
    }),
    mixed: fc.boolean(),
    softmax: fc.boolean(),
    skipPicks: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { maxLength: 3 }),
    linkPicks: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat()), { maxLength: 4 }),
    gatePicks: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { maxLength: 6 }),
    fixLayer: fc.integer({ min: -1, max: 4 }),
    fixBias: fc.integer({ min: -1, max: 4 }),
    values: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 8, maxLength: 8 }),
    targets: fc.array(fc.double({ min: 0.05, max: 0.95, noNaN: true }), { minLength: 4, maxLength: 4 }),
  })
  .map((r) => {
    const L = r.sizes.length;
    // neuron-level links between layers two apart (never between adjacent layers, which have a block)
    const skips: Recipe['skips'] = [];
    for (const [a, b, o] of r.skipPicks) {
      const from = a % (L - 2);
      const to = from + 2 + (b % (L - from - 2));
      if (skips.some((s) => s.from === from && s.to === to)) continue;
      skips.push({ from, to, oneToOne: o && r.sizes[from] === r.sizes[to] });
    }
    const links: Recipe['links'] = [];
    for (const [a, b, c, d] of r.linkPicks) {
      const from = a % (L - 2);
      const to = from + 2 + (b % (L - from - 2));
      if (skips.some((s) => s.from === from && s.to === to)) continue;
      links.push({ from, to, a: c % r.sizes[from], b: d % r.sizes[to] });
    }
    // projections: adjacent ones first (index l - 1 goes from layer l - 1 to l), then the skips
    const projections = [...r.sizes.slice(1).map((_, l) => ({ from: l, to: l + 1, oneToOne: false })), ...skips];
    const gates: Recipe['gates'] = [];
    for (const [p, g, t] of r.gatePicks) {
      const projection = p % projections.length;
      const { from, to, oneToOne } = projections[projection];
      if (gates.some((x) => x.projection === projection)) continue;
      // the gater activates before the target layer and is neither end of the projection
      const candidates = r.sizes.map((_, l) => l).filter((l) => l < to && l !== from);
      if (candidates.length === 0) continue;
      const gater = candidates[g % candidates.length];
      const count = oneToOne ? r.sizes[from] : r.sizes[from] * r.sizes[to];
      const type = (['INPUT', 'OUTPUT', 'ONE_TO_ONE'] as const)[t % 3];
      const need = type === 'INPUT' ? r.sizes[to] : type === 'OUTPUT' ? r.sizes[from] : count;
      if (r.sizes[gater] !== need || (oneToOne && type !== 'ONE_TO_ONE' && type !== 'INPUT')) continue;
      gates.push({ projection, gater, type });
    }
    return {
      seed: r.seed,
      sizes: r.sizes,
      squashes: r.squashes,
      mixed: r.mixed,
      softmax: r.softmax && r.sizes[L - 1] > 1,
      skips,
      links,
      gates,
      fixLayer: r.fixLayer,
      fixBias: r.fixBias,
      input: r.values.slice(0, r.sizes[0]),
      target: r.targets.slice(0, r.sizes[L - 1]),
    };
  });

function build(recipe: Recipe, options: { logisticOutput?: boolean } = {}): Network {
  setRandom(mulberry32(recipe.seed));
  try {
    const layers = recipe.sizes.map((n) => new Layer(n));
    const projections = layers.slice(1).map((layer, l) => layers[l].project(layer));
    for (const s of recipe.skips)
      projections.push(
        layers[s.from].project(
          layers[s.to],
          s.oneToOne ? Layer.connectionType.ONE_TO_ONE : Layer.connectionType.ALL_TO_ALL,
        ),
      );
    for (const k of recipe.links) layers[k.from].list[k.a].project(layers[k.to].list[k.b]);
    for (const g of recipe.gates) layers[g.gater].gate(projections[g.projection], Layer.gateType[g.type]);
    layers.forEach((layer, l) => {
      if (l === 0) return;
      if (recipe.mixed)
        layer.list.forEach((u, k) => {
          u.squash = Neuron.squash[recipe.squashes[(l + k) % recipe.squashes.length]] as SquashFunction;
        });
      else layer.set({ squash: Neuron.squash[recipe.squashes[l % recipe.squashes.length]] });
    });
    if (recipe.softmax) layers[layers.length - 1].set({ squash: Neuron.squash.SOFTMAX });
    else if (options.logisticOutput) layers[layers.length - 1].set({ squash: Neuron.squash.LOGISTIC });
    if (recipe.fixLayer >= 0 && recipe.fixLayer < projections.length) projections[recipe.fixLayer].fix();
    if (recipe.fixBias >= 1 && recipe.fixBias < layers.length) layers[recipe.fixBias].set({ biasFixed: true });
    return new Network({ input: layers[0], hidden: layers.slice(1, -1), output: layers[layers.length - 1] });
  } finally {
    setRandom(Math.random);
  }
}

/** Central finite differences of E over every trained entry, against `backward`. */
function checkGradient(net: Network, input: number[], target: number[], costFn: CostFunction): void {
  const params = net.parameters();
  net.zeroGradients();
  net.activate(input);
  net.backward(target, { cost: costFn });
  const analytic = params.map((p) => p.gradient.slice());
  const softmax = net.layers.output!.list[0].squash === Neuron.squash.SOFTMAX;
  const measure = softmax && costFn === cost.CROSS_ENTROPY ? categoricalCrossEntropy : costFn;
  const energy = () => measure(target, net.activate(input));
  const h = 1e-6;
  params.forEach((p: Parameter, t) => {
    for (let e = 0; e < p.value.length; e++) {
      if (p.fixed?.[e]) {
        expect(analytic[t][e], `${p.name}[${e}] is fixed`).toBe(0);
        continue;
      }
      const v = p.value[e];
      p.value[e] = v + h;
      const up = energy();
      p.value[e] = v - h;
      const down = energy();
      p.value[e] = v;
      const numeric = (up - down) / (2 * h);
      const scale = Math.max(1, Math.abs(numeric), Math.abs(analytic[t][e]));
      expect(
        Math.abs(numeric - analytic[t][e]) / scale,
        `${p.name}[${e}]: ${analytic[t][e]} vs ${numeric}`,
      ).toBeLessThan(1e-6);
    }
  });
}

describe('the recipes', () => {
  it('cover gates of every type, links, skips, softmax and fixed parameters', () => {
    const sample = fc.sample(recipes, { numRuns: 150, seed: 20261201 });
    const count = (f: (r: Recipe) => boolean) => sample.filter(f).length;
    for (const type of ['INPUT', 'OUTPUT', 'ONE_TO_ONE'] as const)
      expect(
        count((r) => r.gates.some((g) => g.type === type)),
        type,
      ).toBeGreaterThan(5);
    expect(count((r) => r.links.length > 0)).toBeGreaterThan(10);
    expect(count((r) => r.skips.some((s) => s.oneToOne))).toBeGreaterThan(5);
    expect(count((r) => r.softmax)).toBeGreaterThan(20);
    expect(count((r) => r.mixed)).toBeGreaterThan(20);
  });
});

describe('backward', () => {
  it('equals central finite differences on random feed-forward graphs (gates, links, mixed squashes, softmax, fixed)', () => {
    fc.assert(
      fc.property(recipes, (recipe) => {
        const net = build(recipe);
        const costFn = recipe.softmax ? cost.CROSS_ENTROPY : cost.MSE;
        checkGradient(net, recipe.input, recipe.target, costFn);
      }),
      { numRuns: 150, seed: 20261201 },
    );
  });

  it('with cross-entropy on logistic outputs, and MSE on a softmax', () => {
    fc.assert(
      fc.property(recipes, (recipe) => {
        const net = build(recipe, { logisticOutput: true });
        checkGradient(net, recipe.input, recipe.target, recipe.softmax ? cost.MSE : cost.CROSS_ENTROPY);
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it('changes nothing the next activate reads, and adds up over calls', () => {
    const recipe = fc.sample(recipes, { numRuns: 1, seed: 3 })[0];
    const a = build(recipe);
    const b = build(recipe);
    a.activate(recipe.input);
    b.activate(recipe.input);
    a.backward(recipe.target);
    const once = a.parameters().map((p) => p.gradient.slice());
    a.backward(recipe.target);
    a.parameters().forEach((p, t) => p.gradient.forEach((g, e) => expect(g).toBeCloseTo(2 * once[t][e], 12)));
    expect(a.toJSON()).toEqual(b.toJSON());
    expect(a.activate([0.3, -0.2, 0.1, 0.5].slice(0, recipe.sizes[0]))).toEqual(
      b.activate([0.3, -0.2, 0.1, 0.5].slice(0, recipe.sizes[0])),
    );
    a.zeroGradients();
    for (const p of a.parameters()) expect(p.gradient.every((g) => g === 0)).toBe(true);
  });

  it('takes ∂E/∂y computed elsewhere (outputGradient)', () => {
    const recipe = fc.sample(recipes, { numRuns: 1, seed: 11 })[0];
    const a = build({ ...recipe, softmax: false });
    const b = build({ ...recipe, softmax: false });
    const y = a.activate(recipe.input);
    b.activate(recipe.input);
    a.backward(recipe.target, { cost: cost.MSE });
    const dEdy = y.map((v, k) => (2 * (v - recipe.target[k])) / y.length);
    expect(b.backward(null, { outputGradient: dEdy })).toBeUndefined();
    const ga = a.parameters().map((p) => Array.from(p.gradient));
    const gb = b.parameters().map((p) => Array.from(p.gradient));
    expect(gb).toEqual(ga);
  });

  it('refuses bad calls and changes nothing', () => {
    const net = build(fc.sample(recipes, { numRuns: 1, seed: 5 })[0]);
    const n = net.outputs();
    net.activate(new Array(net.inputs()).fill(0.5));
    const before = net.parameters().map((p) => p.gradient.slice());
    expect(() => net.backward(new Array(n + 1).fill(0))).toThrow(/must have/);
    expect(() => net.backward(new Array(n).fill(Number.NaN))).toThrow(/finite/);
    expect(() => net.backward(new Array(n).fill(0), { cost: cost.BINARY })).toThrow(/no gradient/);
    expect(() => net.backward(new Array(n).fill(0), { cost: () => 1 })).toThrow(/no `gradient/);
    expect(() => net.backward(null, { outputGradient: [Number.POSITIVE_INFINITY] })).toThrow();
    net.parameters().forEach((p, t) => expect(Array.from(p.gradient)).toEqual(Array.from(before[t])));
  });
});

describe('parameters()', () => {
  it('lists every trained number once, live', () => {
    fc.assert(
      fc.property(recipes, (recipe) => {
        const net = build(recipe);
        const params = net.parameters();
        // the entries that are trained
        const trained = params.reduce(
          (n, p) => n + p.value.length - (p.fixed ? p.fixed.reduce((a, f) => a + f, 0) : 0),
          0,
        );
        let expected = 0;
        for (const { neuron, layer } of net.neurons()) {
          if (layer !== 'input' && !neuron.biasFixed) expected++;
          for (const c of Object.values(neuron.connections.inputs)) if (!c.fixed) expected++;
        }
        expect(trained).toBe(expected);
        // no entry is listed twice
        const seen = new Set<string>();
        for (const p of params) {
          const key = `${p.value.buffer === undefined}`;
          void key;
          seen.add(p.name);
        }
        expect(seen.size).toBe(params.length);
        // live: a connection written through its view shows in the parameter, and back
        const unit = net.layers.output!.list[0];
        const c = Object.values(unit.connections.inputs).find((x) => !x.fixed);
        if (c) {
          c.weight = 0.123;
          const holder = params.find((p) => Array.from(p.value).includes(0.123));
          expect(holder).toBeDefined();
          const at = Array.from(holder!.value).indexOf(0.123);
          holder!.value[at] = -0.5;
          expect(c.weight).toBe(-0.5);
        }
      }),
      { numRuns: 100, seed: 99 },
    );
  });

  it('perturbing any number outside the parameters changes no output', () => {
    const recipe = fc.sample(recipes, { numRuns: 1, seed: 21 })[0];
    const net = build(recipe);
    const inParams = new Set<string>();
    for (const p of net.parameters()) inParams.add(p.name);
    // every non-fixed weight and bias is reachable through a parameter: perturbing it through its
    // view changes the corresponding parameter entry, and writing all parameter entries back restores it
    const snapshot = net.parameters().map((p) => p.value.slice());
    const out = net.activate(recipe.input);
    for (const p of net.parameters()) p.value.fill(0.2);
    net.parameters().forEach((p, t) => p.value.set(snapshot[t]));
    expect(net.activate(recipe.input)).toEqual(out);
  });

  it('fixed parameters never move in training', () => {
    const recipe = { ...fc.sample(recipes, { numRuns: 1, seed: 8 })[0], fixLayer: 0, fixBias: 1 };
    const net = build(recipe);
    const fixedWeights = net.layers.input!.connectedTo[0].list.map((c) => c.weight);
    const fixedBiases = (net.layers.hidden[0] ?? net.layers.output!).list.map((u) => u.bias);
    for (let i = 0; i < 200; i++) {
      net.activate(recipe.input);
      net.propagate(0.3, recipe.target);
    }
    expect(net.layers.input!.connectedTo[0].list.map((c) => c.weight)).toEqual(fixedWeights);
    expect((net.layers.hidden[0] ?? net.layers.output!).list.map((u) => u.bias)).toEqual(fixedBiases);
    expect(net.layers.input!.connectedTo[0].fixed).toBe(true);
  });
});

describe('SOFTMAX', () => {
  it('is a layer function: outputs sum to 1, computed stably', () => {
    const input = new Layer(2);
    const output = new Layer(3).set({ squash: Neuron.squash.SOFTMAX });
    input.project(output, Layer.connectionType.ALL_TO_ALL, 300);
    const net = new Network({ input, output });
    const y = net.activate([1, 1]);
    expect(y.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(y.every(Number.isFinite)).toBe(true);
  });

  it('cannot be set on one neuron of a layer', () => {
    const layer = new Layer(3);
    expect(() => {
      layer.list[1].squash = Neuron.squash.SOFTMAX;
    }).toThrow(/layer function/);
    layer.set({ squash: Neuron.squash.SOFTMAX });
    expect(() => {
      layer.list[1].squash = Neuron.squash.TANH;
    }).toThrow(/layer function/);
    expect(() => Neuron.squash.SOFTMAX(1)).toThrow(/layer function/);
  });

  it('propagate on a softmax output uses δ = t − y and learns a classifier', () => {
    setRandom(mulberry32(4));
    const input = new Layer(2);
    const hidden = new Layer(6);
    const output = new Layer(3).set({ squash: Neuron.squash.SOFTMAX });
    input.project(hidden);
    hidden.project(output);
    setRandom(Math.random);
    const net = new Network({ input, hidden: [hidden], output });
    const data = [
      { x: [0, 0], t: [1, 0, 0] },
      { x: [1, 0], t: [0, 1, 0] },
      { x: [0, 1], t: [0, 1, 0] },
      { x: [1, 1], t: [0, 0, 1] },
    ];
    for (let i = 0; i < 3000; i++) for (const { x, t } of data) net.activate(x), net.propagate(0.3, t);
    for (const { x, t } of data)
      expect(net.activate(x).indexOf(1)).toBe(-1), expect(net.activate(x).map(Math.round)).toEqual(t);
  });
});

describe('JSON of what 1.x cannot express', () => {
  it('writes the versioned superset for softmax and fixed parameters, and reads it back exactly', () => {
    fc.assert(
      fc.property(recipes, (recipe) => {
        const net = build(recipe);
        const json = net.toJSON();
        const fixed = net
          .neurons()
          .some(({ neuron }) => neuron.biasFixed || Object.values(neuron.connections.inputs).some((c) => c.fixed));
        expect('format' in json).toBe(recipe.softmax || fixed);
        const copy = Network.fromJSON(JSON.parse(JSON.stringify(json)));
        expect(copy.toJSON()).toEqual(json);
        // the loader may store a complete pattern of neuron-level links as a block: count entries
        const trained = (n: Network) =>
          n.parameters().reduce((a, p) => a + p.value.length - (p.fixed?.reduce((x, f) => x + f, 0) ?? 0), 0);
        expect(trained(copy)).toBe(trained(net));
        // (the file lists connections by source, so a unit may sum its inputs in another order: 1 ulp)
        const a = copy.activate(recipe.input);
        net.activate(recipe.input).forEach((y, k) => expect(Math.abs(y - a[k])).toBeLessThan(1e-12));
        const clone = net.clone();
        expect(clone.toJSON()).toEqual(net.toJSON());
        expect(clone.parameters().length).toBe(net.parameters().length);
      }),
      { numRuns: 80, seed: 12 },
    );
  });

  it('1.x refuses a superset file instead of misreading it', () => {
    const synaptic1x = createRequire(import.meta.url)('synaptic') as {
      Network: { fromJSON(json: unknown): unknown };
    };
    const input = new Layer(2);
    const output = new Layer(3).set({ squash: Neuron.squash.SOFTMAX });
    input.project(output);
    const json = new Network({ input, output }).toJSON();
    expect(json).toMatchObject({ format: 'synaptic', version: 2 });
    expect(() => synaptic1x.Network.fromJSON(json as never)).toThrow();
  });

  it('refuses a layer function on part of a layer', () => {
    const input = new Layer(2);
    const output = new Layer(3).set({ squash: Neuron.squash.SOFTMAX });
    input.project(output);
    const json = JSON.parse(JSON.stringify(new Network({ input, output }).toJSON()));
    json.units[3].squash = 'TANH';
    expect(() => Network.fromJSON(json)).toThrow(/covers a whole layer/);
    json.units[3].squash = 'SOFTMAX';
    json.version = 3;
    expect(() => Network.fromJSON(json)).toThrow(/version/);
  });
});

describe('tied projections (shared parameters)', () => {
  function tiedNet(seed: number): Network {
    setRandom(mulberry32(seed));
    try {
      const input = new Layer(3);
      const h1 = new Layer(3).set({ squash: Neuron.squash.TANH });
      const h2 = new Layer(3).set({ squash: Neuron.squash.TANH });
      const output = new Layer(2);
      const first = input.project(h1);
      h1.project(h2).tie(first);
      h2.project(output);
      input.project(output, Layer.connectionType.ALL_TO_ALL);
      return new Network({ input, hidden: [h1, h2], output });
    } finally {
      setRandom(Math.random);
    }
  }

  it('list the shared weights once, and their gradient sums over both uses (finite differences)', () => {
    const net = tiedNet(1);
    const names = net.parameters().map((p) => p.name);
    expect(names.filter((n) => n.endsWith('->hidden[0].weight')).length).toBe(1);
    expect(names.some((n) => n.startsWith('hidden[0]->hidden[1]'))).toBe(false);
    expect(net.layers.hidden[1].list[0].connections.inputs).toBeDefined();
    checkGradient(net, [0.3, -0.6, 0.9], [0.2, 0.7], cost.MSE);
    checkGradient(net, [0.3, -0.6, 0.9], [0.2, 0.7], cost.CROSS_ENTROPY);
  });

  it('stay tied through propagate, JSON and clone', () => {
    const net = tiedNet(2);
    const [h1, h2] = net.layers.hidden;
    const same = () =>
      h1.list.every((u, t) =>
        Object.values(u.connections.inputs).every(
          (c, s) => Object.values(h2.list[t].connections.inputs)[s].weight === c.weight,
        ),
      );
    for (let i = 0; i < 50; i++) {
      net.activate([i % 2, 0.5, -0.5]);
      net.propagate(0.2, [0.9, 0.1]);
    }
    expect(same()).toBe(true);
    const json = net.toJSON();
    expect(json).toMatchObject({ format: 'synaptic', version: 2 });
    const copy = Network.fromJSON(JSON.parse(JSON.stringify(json)));
    expect(copy.toJSON()).toEqual(json);
    expect(copy.parameters().length).toBe(net.parameters().length);
    expect(copy.layers.input!.connectedTo[0].block).toBe(copy.layers.hidden[0].connectedTo[0].block?.tiedTo);
    const clone = net.clone();
    expect(clone.parameters().length).toBe(net.parameters().length);
    for (const n of [copy, clone]) {
      for (let i = 0; i < 20; i++) {
        n.activate([0.1, i % 3, -0.4]);
        n.propagate(0.2, [0.3, 0.6]);
        net.activate([0.1, i % 3, -0.4]);
        net.propagate(0.2, [0.3, 0.6]);
      }
    }
    expect(same()).toBe(true);
  });

  it('refuse projections of another shape', () => {
    const a = new Layer(2);
    const b = new Layer(3);
    const c = new Layer(2);
    const ab = a.project(b);
    expect(() => b.project(c).tie(ab)).toThrow(/same kind and size/);
    expect(() => a.project(a).tie(ab)).toThrow(/self-connections/);
  });
});

import { describe, expect, it } from 'vitest';
import {
  cost,
  InvalidArgumentError,
  InvalidJSONError,
  LAYER_NORM_EPSILON,
  Layer,
  layerFunctions,
  mulberry32,
  Network,
  Neuron,
  setRandom,
} from '../src/index.js';
import { categoricalCrossEntropy, expectGradientsMatch } from './support/finite-differences.js';

function seeded<T>(seed: number, make: () => T): T {
  setRandom(mulberry32(seed));
  try {
    return make();
  } finally {
    setRandom(Math.random);
  }
}

/** input 3 → hidden 6 (LAYER_NORM over groups of `hiddenGroup`, with TANH before it) → output. */
function normNet(seed: number, output: 'LAYER_NORM' | 'SOFTMAX' | 'LOGISTIC', outputGroup?: number, hiddenGroup = 3) {
  return seeded(seed, () => {
    const input = new Layer(3);
    const pre = new Layer(6).set({ squash: Neuron.squash.TANH });
    const hidden = new Layer(6).set({ squash: Neuron.squash.LAYER_NORM, group: hiddenGroup });
    const out = new Layer(4);
    input.project(pre);
    pre.project(hidden);
    hidden.project(out);
    input.project(out);
    out.set({ squash: Neuron.squash[output], ...(outputGroup !== undefined ? { group: outputGroup } : {}) });
    const net = new Network({ input, hidden: [pre, hidden], output: out });
    // γ and β away from 1 and 0, so that their gradients are tested in general position
    const rnd = mulberry32(seed + 1);
    for (const p of net.parameters()) for (let k = 0; k < p.value.length; k++) p.value[k] += 0.5 * (rnd() - 0.5);
    return net;
  });
}

describe('LAYER_NORM kernel', () => {
  const rnd = mulberry32(7);
  const n = 5;
  const state = Float64Array.from({ length: 2 * n }, () => 3 * (rnd() - 0.5));
  const gain = Float64Array.from({ length: 2 * n }, () => 0.5 + rnd());
  const shift = Float64Array.from({ length: 2 * n }, () => rnd() - 0.5);
  const fn = layerFunctions.LAYER_NORM;

  it('normalizes each group: y = γ (s − μ)/√(σ² + ε) + β', () => {
    const y = new Float64Array(2 * n);
    const d = new Float64Array(2 * n);
    fn.forward(state, y, d, n, n, { state, gain, shift });
    const s = Array.from(state.subarray(n));
    const mean = s.reduce((a, b) => a + b, 0) / n;
    const variance = s.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    for (let k = 0; k < n; k++)
      expect(y[n + k]).toBeCloseTo(
        (gain[n + k] * (s[k] - mean)) / Math.sqrt(variance + LAYER_NORM_EPSILON) + shift[n + k],
        12,
      );
    // the first group was not touched
    expect(Array.from(y.subarray(0, n))).toEqual([0, 0, 0, 0, 0]);
  });

  it('has the Jacobian of central finite differences (backward and the diagonal)', () => {
    const y = new Float64Array(2 * n);
    const d = new Float64Array(2 * n);
    const params = { state, gain, shift };
    fn.forward(state, y, d, n, n, params);
    const e = Float64Array.from({ length: 2 * n }, () => rnd() - 0.5);
    const into = new Float64Array(2 * n);
    fn.backward(y, e, into, n, n, params);
    const h = 1e-6;
    for (let j = n; j < 2 * n; j++) {
      const at = (v: number) => {
        const s = state.slice();
        s[j] = v;
        const out = new Float64Array(2 * n);
        fn.forward(s, out, new Float64Array(2 * n), n, n, { state: s, gain, shift });
        return out;
      };
      const up = at(state[j] + h);
      const down = at(state[j] - h);
      let numeric = 0;
      for (let i = n; i < 2 * n; i++) numeric += (e[i] * (up[i] - down[i])) / (2 * h);
      expect(into[j]).toBeCloseTo(numeric, 7);
      expect(d[j]).toBeCloseTo((up[j] - down[j]) / (2 * h), 7);
    }
  });
});

describe('grouped layer functions and LAYER_NORM in a network', () => {
  const cases = [
    { name: 'LAYER_NORM hidden (groups of 3), LAYER_NORM output (groups of 2), MSE', output: 'LAYER_NORM', group: 2 },
    { name: 'LAYER_NORM hidden (groups of 2), LAYER_NORM output (whole), MSE', output: 'LAYER_NORM', hidden: 2 },
    { name: 'LAYER_NORM hidden, grouped softmax output, cross-entropy', output: 'SOFTMAX', group: 2 },
    { name: 'LAYER_NORM hidden, grouped softmax output, MSE', output: 'SOFTMAX', group: 2, mse: true },
    { name: 'LAYER_NORM hidden (whole layer), logistic output, MSE', output: 'LOGISTIC', hidden: 6 },
  ] as const;
  for (const c of cases) {
    it(`backward equals central finite differences: ${c.name}`, () => {
      for (const seed of [1, 2, 3]) {
        const net = normNet(seed, c.output, 'group' in c ? c.group : undefined, 'hidden' in c ? c.hidden : 3);
        const input = [0.3, -0.7, 0.9];
        const target = [0.7, 0.3, 0.1, 0.9];
        const costFn = c.output === 'SOFTMAX' && !('mse' in c) ? cost.CROSS_ENTROPY : cost.MSE;
        const measure = costFn === cost.CROSS_ENTROPY ? categoricalCrossEntropy : costFn;
        net.zeroGradients();
        net.activate(input);
        net.backward(target, { cost: costFn });
        const names = net.parameters().map((p) => p.name);
        expect(names).toContain('hidden[1].gamma');
        expect(names).toContain('hidden[1].beta');
        const analytic = net.parameters().map((p) => p.gradient.slice());
        expectGradientsMatch(net, analytic, () => measure(target, net.activate(input)));
      }
    });
  }

  it('a grouped softmax sums to 1 in each group', () => {
    const net = normNet(4, 'SOFTMAX', 2);
    const y = net.activate([1, 2, 3]);
    expect(y[0] + y[1]).toBeCloseTo(1, 14);
    expect(y[2] + y[3]).toBeCloseTo(1, 14);
    expect(y[0] + y[2]).not.toBeCloseTo(1, 3);
  });

  it('lists γ and β once, live', () => {
    const net = normNet(5, 'LAYER_NORM');
    const params = net.parameters();
    const gamma = params.filter((p) => p.name.endsWith('.gamma'));
    expect(gamma.map((p) => p.name)).toEqual(['hidden[1].gamma', 'output.gamma']);
    const before = net.activate([0.1, 0.2, 0.3]);
    gamma[1].value[0] *= 2;
    const after = net.activate([0.1, 0.2, 0.3]);
    expect(after[0]).not.toBe(before[0]);
    // reset: a new network of the same shape, γ = 1 and β = 0
    net.reset();
    for (const p of params.filter((q) => /gamma|beta/.test(q.name)))
      expect(Array.from(p.value)).toEqual(new Array(p.value.length).fill(p.name.endsWith('gamma') ? 1 : 0));
  });

  it('propagate moves β by rate × (t − y) at a LAYER_NORM output, and γ by rate × (t − y) x̂', () => {
    const net = normNet(6, 'LAYER_NORM');
    const out = net.layers.output!;
    const y = net.activate([0.5, -0.5, 0.2]);
    const gamma0 = Array.from(out.list, (u) => u.store.gamma![u.index]);
    const beta0 = Array.from(out.list, (u) => u.store.beta![u.index]);
    const xhat = out.list.map((_u, k) => (y[k] - beta0[k]) / gamma0[k]);
    const target = [1, 0, 0.5, 0.25];
    net.propagate(0.1, target);
    out.list.forEach((u, k) => {
      expect(u.store.beta![u.index]).toBeCloseTo(beta0[k] + 0.1 * (target[k] - y[k]), 14);
      expect(u.store.gamma![u.index]).toBeCloseTo(gamma0[k] + 0.1 * (target[k] - y[k]) * xhat[k], 12);
    });
  });

  it('propagate on a LAYER_NORM hidden layer descends the error', () => {
    const net = normNet(8, 'LOGISTIC');
    const set = [
      { input: [0, 0, 1], output: [1, 0, 0, 1] },
      { input: [1, 0, 0], output: [0, 1, 1, 0] },
    ];
    const error = () => set.reduce((e, s) => e + cost.MSE(s.output, net.activate(s.input)), 0);
    const first = error();
    for (let epoch = 0; epoch < 300; epoch++)
      for (const s of set) {
        net.activate(s.input);
        net.propagate(0.05, s.output);
      }
    expect(error()).toBeLessThan(first / 4);
  });

  it('refuses a bad group, changing nothing', () => {
    const layer = new Layer(6).set({ squash: Neuron.squash.SOFTMAX, group: 3 });
    for (const bad of [4, 0, -3, 2.5, Number.NaN, '3' as unknown as number]) {
      expect(() => layer.set({ squash: Neuron.squash.LAYER_NORM, group: bad, label: 'x' })).toThrow(
        InvalidArgumentError,
      );
      expect(layer.layerFunction?.name).toBe('SOFTMAX');
      expect(layer.groupSize()).toBe(3);
      expect(layer.label).toBeUndefined();
    }
    expect(() => new Layer(4).set({ squash: Neuron.squash.TANH, group: 2 })).toThrow(/layer function/);
    expect(() => new Layer(4).set({ group: 2 })).toThrow(/layer function/);
    expect(() => layer.add()).toThrow(InvalidArgumentError);
    expect(layer.size).toBe(6);
    layer.set({ group: 2 });
    expect(layer.groupSize()).toBe(2);
    layer.set({ squash: Neuron.squash.SOFTMAX });
    expect(layer.groupSize()).toBe(6);
    expect(() => (layer.list[0].squash = Neuron.squash.TANH)).toThrow(/layer function/);
    expect(() => (new Layer(2).list[0].squash = Neuron.squash.LAYER_NORM)).toThrow(/layer function/);
    expect(() => Neuron.squash.LAYER_NORM(1)).toThrow(/layer function/);
  });

  it('JSON v2, clone and checkpoint keep groups, γ and β', () => {
    const net = normNet(9, 'SOFTMAX', 2, 2);
    const input = [0.2, 0.4, -0.6];
    net.activate(input);
    net.propagate(0.2, [1, 0, 0, 1]);
    const json = net.toJSON();
    if (!('units' in json)) throw new Error('expected the versioned format');
    const hiddenUnits = json.units.filter((u) => u.layer === 1);
    expect(hiddenUnits.every((u) => u.squash === 'LAYER_NORM' && u.group === 2)).toBe(true);
    expect(hiddenUnits.some((u) => u.gamma !== 1)).toBe(true);
    expect(json.units.filter((u) => u.layer === 'output').every((u) => u.group === 2)).toBe(true);
    const back = Network.fromJSON(JSON.parse(JSON.stringify(json)));
    const copy = net.clone();
    const y = net.activate(input);
    // the file lists the input layer's projections first, so the output sums input→output first (as 1.x)
    back.activate(input).forEach((v, k) => expect(v).toBeCloseTo(y[k], 14));
    expect(copy.activate(input)).toEqual(y);
    expect(back.layers.hidden[1].groupSize()).toBe(2);
    expect(copy.layers.output!.groupSize()).toBe(2);
    expect(
      back
        .parameters()
        .map((p) => p.name)
        .sort(),
    ).toEqual(
      net
        .parameters()
        .map((p) => p.name)
        .sort(),
    );

    const checkpoint = net.checkpoint();
    const gamma = net.parameters().find((p) => p.name === 'hidden[1].gamma')!;
    const kept = gamma.value.slice();
    net.activate(input);
    net.propagate(0.5, [0, 1, 1, 0]);
    expect(gamma.value).not.toEqual(kept);
    net.rollback(checkpoint);
    expect(gamma.value).toEqual(kept);

    // loadParameters carries γ and β
    const other = Network.fromJSON(json);
    for (const p of other.parameters()) p.value.fill(0.5);
    other.loadParameters(json);
    const fresh = Network.fromJSON(json);
    expect(other.activate(input)).toEqual(fresh.activate(input));
  });

  it('JSON v2 refuses a group that does not divide its layer, or a group without a layer function', () => {
    const json = normNet(10, 'SOFTMAX', 2).toJSON();
    if (!('units' in json)) throw new Error('expected the versioned format');
    const bad = structuredClone(json);
    for (const u of bad.units) if (u.layer === 'output') u.group = 3;
    expect(() => Network.fromJSON(bad)).toThrow(InvalidJSONError);
    const mixed = structuredClone(json);
    mixed.units.find((u) => u.layer === 'output')!.group = 4;
    expect(() => Network.fromJSON(mixed)).toThrow(/differ in group/);
    const plain = structuredClone(json);
    plain.units.find((u) => u.layer === 0)!.group = 2;
    expect(() => Network.fromJSON(plain)).toThrow(/layer function/);
    const nan = structuredClone(json);
    (nan.units.find((u) => u.layer === 1) as { gamma: unknown }).gamma = 'x';
    expect(() => Network.fromJSON(nan)).toThrow(InvalidJSONError);
  });
});

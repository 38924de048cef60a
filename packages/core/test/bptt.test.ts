import fc from 'fast-check';
import { build, recipeArbitrary, type LibraryLike, type Recipe } from '@synaptic/test-support';
import { describe, expect, it } from 'vitest';
import * as core from '../src/index.js';
import {
  cost,
  InvalidArgumentError,
  InvalidValueError,
  Layer,
  mulberry32,
  Network,
  Neuron,
  NonFiniteError,
  setRandom,
  SizeMismatchError,
} from '../src/index.js';
import { checkBptt, randomEpisode } from './support/episode.js';

const lib = core as unknown as LibraryLike;

function seeded<T>(seed: number, make: () => T): T {
  setRandom(mulberry32(seed));
  try {
    return make();
  } finally {
    setRandom(Math.random);
  }
}

/** The recipe with differentiable squashes only (HLIM's "derivative" is 1, RELU has a kink). */
function smooth(recipe: Recipe): Recipe {
  const map = { HLIM: 'TANH', RELU: 'LOGISTIC' } as const;
  const fix = <T extends string>(s: T) => ((map as Record<string, string>)[s] ?? s) as Recipe['squashes'][number];
  return {
    ...recipe,
    squashes: recipe.squashes.map(fix),
    unitSquashes: recipe.unitSquashes.map((u) => ({ ...u, squash: fix(u.squash) })),
  };
}

/** A few steps so the episode starts from a state with memory (states, gains and traces not zero). */
function warmUp(net: Network, seed: number): void {
  const { inputs } = randomEpisode(net.inputs(), net.outputs(), 3, seed);
  for (const x of inputs) net.activate(x);
}

describe('bptt', () => {
  it('equals central finite differences of the summed cost on random recurrent, gated graphs', () => {
    let checked = 0;
    fc.assert(
      fc.property(recipeArbitrary, fc.integer({ min: 1, max: 2 ** 30 }), (raw, seed) => {
        const recipe = smooth(raw);
        const net = seeded(seed, () => build<Network>(lib, recipe));
        // keep the numbers moderate, so finite differences are accurate
        for (const p of net.parameters()) for (let k = 0; k < p.value.length; k++) p.value[k] *= 0.8;
        warmUp(net, seed);
        const episode = randomEpisode(net.inputs(), net.outputs(), 4, seed + 1);
        try {
          checkBptt(net, episode, cost.MSE, { tolerance: 1e-5 });
          checked++;
        } catch (error) {
          if (error instanceof NonFiniteError) return;
          throw error;
        }
      }),
      { numRuns: 60, seed: 15015 },
    );
    expect(checked).toBeGreaterThan(50);
  });

  it('covers gated self-connections, recurrent links and gaters that activate after what they gate', () => {
    const net = seeded(3, () => {
      const input = new Layer(3);
      const a = new Layer(3).set({ squash: Neuron.squash.TANH });
      const gates = new Layer(3);
      const out = new Layer(2);
      input.project(a);
      const self = a.project(a);
      a.project(gates);
      gates.gate(self, Layer.gateType.ONE_TO_ONE);
      const back = out.project(a); // output → hidden: read a step late
      const late = input.project(out);
      out.gate(back, Layer.gateType.OUTPUT);
      gates.gate(late, Layer.gateType.OUTPUT); // gains from a layer activated before the output
      a.project(out);
      const link = out.list[0].project(gates.list[1]);
      out.list[1].gate(link);
      gates.list[2].project(gates.list[2]);
      return new Network({ input, hidden: [a, gates], output: out });
    });
    warmUp(net, 4);
    checkBptt(net, randomEpisode(3, 2, 5, 9));
  });

  it('through grouped softmax and LAYER_NORM layers (hidden and output), recurrent', () => {
    for (const [outputFn, costFn] of [
      ['SOFTMAX', cost.CROSS_ENTROPY],
      ['SOFTMAX', cost.MSE],
      ['LAYER_NORM', cost.MSE],
    ] as const) {
      const net = seeded(11, () => {
        const input = new Layer(3);
        const norm = new Layer(6).set({ squash: Neuron.squash.LAYER_NORM, group: 3 });
        const soft = new Layer(4).set({ squash: Neuron.squash.SOFTMAX, group: 2 });
        const out = new Layer(4).set({ squash: Neuron.squash[outputFn], group: 2 });
        input.project(norm);
        norm.project(norm, Layer.connectionType.ALL_TO_ELSE);
        norm.project(soft);
        soft.project(soft); // self-connections
        soft.project(out);
        out.project(norm); // recurrent
        const gated = norm.project(out);
        soft.gate(gated, Layer.gateType.INPUT);
        return new Network({ input, hidden: [norm, soft], output: out });
      });
      const rnd = mulberry32(12);
      for (const p of net.parameters()) for (let k = 0; k < p.value.length; k++) p.value[k] += 0.4 * (rnd() - 0.5);
      warmUp(net, 13);
      const episode = randomEpisode(3, 4, 4, 14);
      if (outputFn === 'SOFTMAX') episode.targets = episode.targets.map((t) => [t[0], 1 - t[0], t[2], 1 - t[2]]);
      checkBptt(net, episode, costFn);
    }
  });

  it('over 1-step episodes equals backward on feed-forward nets (gates, softmax, LAYER_NORM, fixed)', () => {
    for (const seed of [1, 2, 3, 4]) {
      const make = () =>
        seeded(seed, () => {
          const input = new Layer(3);
          const h1 = new Layer(4).set({ squash: Neuron.squash.TANH });
          const h2 = new Layer(4).set({ squash: Neuron.squash.LAYER_NORM, group: 2 });
          const out = new Layer(3).set({ squash: Neuron.squash.SOFTMAX });
          input.project(h1).fix();
          const p = h1.project(h2);
          input.project(h2, Layer.connectionType.ALL_TO_ALL);
          h2.project(out);
          h1.gate(p, Layer.gateType.INPUT);
          h1.list[0].project(out.list[2]);
          return new Network({ input, hidden: [h1, h2], output: out });
        });
      const a = make();
      const b = make();
      const x = [0.3, -0.2, 0.8];
      const t = [0.2, 0.5, 0.3];
      for (const c of [cost.CROSS_ENTROPY, cost.MSE]) {
        a.zeroGradients();
        b.zeroGradients();
        a.clear({ states: true });
        b.clear({ states: true });
        a.activate(x);
        const eA = a.backward(t, { cost: c });
        const eB = b.bptt([x], [t], { cost: c });
        expect(eB).toBeCloseTo(eA!, 12);
        const gb = b.parameters();
        a.parameters().forEach((p, k) =>
          p.gradient.forEach((g, e) =>
            expect(Math.abs(g - gb[k].gradient[e]), `${p.name}[${e}]`).toBeLessThan(1e-12 * Math.max(1, Math.abs(g))),
          ),
        );
      }
    }
  });

  it('adds to the gradients: the same episode twice gives twice the gradient', () => {
    const net = seeded(21, () => {
      const input = new Layer(2);
      const h = new Layer(3);
      const out = new Layer(1);
      input.project(h);
      h.project(h);
      h.project(out);
      return new Network({ input, hidden: [h], output: out });
    });
    const episode = randomEpisode(2, 1, 3, 22);
    const start = net.checkpoint();
    net.zeroGradients();
    net.bptt(episode.inputs, episode.targets);
    const once = net.parameters().map((p) => p.gradient.slice());
    net.rollback(start);
    net.bptt(episode.inputs, episode.targets);
    net.parameters().forEach((p, k) => p.gradient.forEach((g, e) => expect(g).toBeCloseTo(2 * once[k][e], 14)));
  });

  it('refuses bad inputs and targets before changing anything', () => {
    const net = seeded(31, () => {
      const input = new Layer(2);
      const h = new Layer(2);
      const out = new Layer(1);
      input.project(h);
      h.project(out);
      return new Network({ input, hidden: [h], output: out });
    });
    net.activate([0.5, 0.5]);
    const before = JSON.stringify(net.toJSON());
    net.zeroGradients();
    const bad: Array<[unknown, unknown, unknown, new (...args: never[]) => Error]> = [
      [[], [], {}, InvalidArgumentError],
      [[[1, 2]], [[1], [0]], {}, SizeMismatchError],
      [[[1, 2, 3]], [[1]], {}, SizeMismatchError],
      [[[1, 2]], [[1, 2]], {}, SizeMismatchError],
      [[[1, Number.NaN]], [[1]], {}, InvalidValueError],
      [[[1, 2]], [[Number.POSITIVE_INFINITY]], {}, InvalidValueError],
      [[[1, 2]], [[1]], { cost: cost.BINARY }, core.SynapticError],
      [[[1, 2]], [[1]], null, InvalidArgumentError],
      ['x', [[1]], {}, InvalidArgumentError],
      [[[1, 2]], [null], {}, InvalidArgumentError],
    ];
    for (const [inputs, targets, options, type] of bad)
      expect(() =>
        net.bptt(inputs as number[][], targets as number[][], options as Parameters<Network['bptt']>[2]),
      ).toThrow(type);
    expect(JSON.stringify(net.toJSON())).toBe(before);
    for (const p of net.parameters()) expect(Array.from(p.gradient).every((g) => g === 0)).toBe(true);
  });

  it('a step whose output overflows puts the network and the gradients back', () => {
    const net = seeded(41, () => {
      const input = new Layer(1);
      const h = new Layer(1).set({ squash: Neuron.squash.IDENTITY });
      const out = new Layer(1).set({ squash: Neuron.squash.IDENTITY });
      input.project(h, undefined, 1e200);
      h.project(h);
      h.project(out, undefined, 1e200);
      return new Network({ input, hidden: [h], output: out });
    });
    const before = JSON.stringify(net.toJSON());
    net.zeroGradients();
    expect(() => net.bptt([[1e100], [1e100]], [[0], [0]])).toThrow(NonFiniteError);
    expect(JSON.stringify(net.toJSON())).toBe(before);
    for (const p of net.parameters()) expect(Array.from(p.gradient).every((g) => g === 0)).toBe(true);
  });

  it('JSON and clone round trips give the same bptt', () => {
    const net = seeded(51, () => build<Network>(lib, smooth(fc.sample(recipeArbitrary, { numRuns: 1, seed: 7 })[0])));
    expect(net.neurons().some(({ neuron }) => neuron.gatedConnections().length > 0)).toBe(true);
    // JSON keeps weights and states but not the gains gaters set (1.x's format has none): compare it fresh
    const loaded = Network.fromJSON(JSON.stringify(net.toJSON()));
    warmUp(net, 52);
    warmUp(loaded, 52);
    const copy = net.clone();
    const episode = randomEpisode(net.inputs(), net.outputs(), 4, 53);
    for (const n of [net, copy, loaded]) n.zeroGradients();
    const total = net.bptt(episode.inputs, episode.targets);
    // the JSON copy may store its connections in other blocks: compare the weights after one SGD step
    const step = (n: Network) => {
      for (const p of n.parameters()) for (let e = 0; e < p.value.length; e++) p.value[e] -= 0.1 * p.gradient[e];
      const json = n.toJSON();
      return 'neurons' in json ? [json.neurons.map((u) => u.bias), json.connections.map((c) => c.weight)] : null;
    };
    for (const other of [copy, loaded]) expect(other.bptt(episode.inputs, episode.targets)).toBe(total);
    const after = step(net);
    expect(after).not.toBeNull();
    expect(step(copy)).toEqual(after);
    expect(step(loaded)).toEqual(after);
  });
});

import { type CostFunction, Layer, mulberry32, Network, Neuron, type SquashFunction } from '@synaptic/core';
import { withSeededRandom } from '@synaptic/test-support';

export interface LayeredRecipe {
  sizes: number[];
  squash: SquashFunction;
  softmax: boolean;
  seed: number;
}

/** A layered network (input, hidden..., output) of `sizes`, ALL_TO_ALL between neighbours, seeded. */
export function layered({ sizes, squash, softmax, seed }: LayeredRecipe): Network {
  return withSeededRandom(seed, () => {
    const layers = sizes.map((n) => new Layer(n));
    for (let l = 0; l + 1 < layers.length; l++) layers[l].project(layers[l + 1]);
    for (const layer of layers.slice(1)) layer.set({ squash });
    if (softmax) layers[layers.length - 1].set({ squash: Neuron.squash.SOFTMAX });
    return new Network({ input: layers[0], hidden: layers.slice(1, -1), output: layers[layers.length - 1] });
  });
}

/** count samples: inputs in [−1, 1], targets one-hot (softmax) or in [0, 1]. */
export function samples(net: Network, count: number, seed: number, oneHot: boolean) {
  const random = mulberry32(seed);
  const n = net.layers.input!.size;
  const m = net.layers.output!.size;
  const inputs = new Float64Array(count * n).map(() => random() * 2 - 1);
  const targets = new Float64Array(count * m);
  for (let b = 0; b < count; b++) {
    if (oneHot) targets[b * m + Math.floor(random() * m)] = 1;
    else for (let k = 0; k < m; k++) targets[b * m + k] = random();
  }
  return { inputs, targets, n, m };
}

/** B single-sample activate + backward runs on `net`: outputs, E summed, gradients into net. */
export function oneByOne(net: Network, inputs: Float64Array, targets: Float64Array, cost: CostFunction) {
  const n = net.layers.input!.size;
  const m = net.layers.output!.size;
  const count = inputs.length / n;
  const outputs = new Float64Array(count * m);
  let error = 0;
  for (let b = 0; b < count; b++) {
    outputs.set(net.activate(inputs.subarray(b * n, (b + 1) * n)), b * m);
    error += net.backward(targets.subarray(b * m, (b + 1) * m), { cost }) ?? 0;
  }
  return { outputs, error };
}

/** max over entries of |a − b| / max(1, |a|) */
export function worst(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let w = 0;
  for (let k = 0; k < a.length; k++) w = Math.max(w, Math.abs(a[k] - b[k]) / Math.max(1, Math.abs(a[k])));
  return a.length === b.length ? w : Number.POSITIVE_INFINITY;
}

export function gradients(net: Network): Float64Array {
  const ps = net.parameters();
  const all = new Float64Array(ps.reduce((s, p) => s + p.gradient.length, 0));
  let at = 0;
  for (const p of ps) {
    all.set(p.gradient, at);
    at += p.gradient.length;
  }
  return all;
}

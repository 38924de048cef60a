/** Small seeded convolutional networks for the op tests, and a central finite-difference check. */
import * as core from '../../src/index.js';
import { cost, mulberry32, type CostFunction, type Network } from '../../src/index.js';

/** The library the nets are built with: core's source here, its build in other packages' tests. */
export type Core = typeof core;

export interface ConvRecipe {
  seed: number;
  field: [number, number, number];
  /** one or two convolution stages */
  stages: Array<{
    kernel: [number, number];
    maps: number;
    stride?: number;
    padding?: number;
    pool?: { kind: 'max' | 'average'; size: [number, number] };
  }>;
  outputs: number;
  softmax?: boolean;
}

/** Builds the network of a recipe with seeded weights (and kernels spread wider than ±0.1). */
export function convNet(recipe: ConvRecipe, lib: Core = core): Network {
  const { AveragePool, Convolution, Layer, MaxPool, Network, Neuron, setRandom } = lib;
  const random = mulberry32(recipe.seed);
  setRandom(random);
  try {
    const input = Layer.shaped(...recipe.field);
    const hidden: core.Layer[] = [];
    let last = input;
    for (const stage of recipe.stages) {
      const options = { kernel: stage.kernel, stride: stage.stride, padding: stage.padding };
      const maps = Layer.shaped(...Convolution.outputShape(last.shape!, { ...options, maps: stage.maps }));
      maps.set({ squash: Neuron.squash.TANH });
      const conv = new Convolution(last, maps, options);
      const kernel = conv.tensor('kernel').value;
      for (let i = 0; i < kernel.length; i++) kernel[i] = random() * 1.2 - 0.6;
      const bias = conv.tensor('bias').value;
      for (let i = 0; i < bias.length; i++) bias[i] = random() * 0.4 - 0.2;
      hidden.push(maps);
      last = maps;
      if (stage.pool) {
        const Kind = stage.pool.kind === 'max' ? MaxPool : AveragePool;
        const shape = maps.shape!;
        const pooled = Layer.shaped(
          Math.floor(shape[0] / stage.pool.size[0]),
          Math.floor(shape[1] / stage.pool.size[1]),
          shape[2],
        );
        pooled.set({ squash: Neuron.squash.IDENTITY });
        new Kind(maps, pooled, { size: stage.pool.size });
        hidden.push(pooled);
        last = pooled;
      }
    }
    const output = new Layer(recipe.outputs);
    output.set({ squash: recipe.softmax ? Neuron.squash.SOFTMAX : Neuron.squash.LOGISTIC });
    last.project(output);
    return new Network({ input, hidden, output });
  } finally {
    setRandom();
  }
}

/** Seeded input values in [−1, 1]. */
export function convInput(network: Network, seed: number): number[] {
  const random = mulberry32(seed);
  return Array.from({ length: network.inputs() }, () => random() * 2 - 1);
}

/**
 * How far `backward`'s gradient is from central differences of E (h = 1e-6) over every parameter
 * entry, as the worst ratio of |fd − g| to the tolerance 1e-6 · (|g| + |fd|) + 1e-9: at most 1 passes.
 */
export function worstGradientError(
  network: Network,
  input: number[],
  target: number[],
  costFn: CostFunction = cost.MSE,
): { worst: number; checked: number } {
  network.zeroGradients();
  network.activate(input);
  network.backward(target, { cost: costFn });
  const E = (): number => {
    const y = network.activate(input);
    return costFn === cost.CROSS_ENTROPY && network.layers.output!.layerFunction
      ? -target.reduce((s, t, k) => s + t * Math.log(y[k] + 1e-15), 0)
      : costFn(target, y);
  };
  let worst = 0;
  let checked = 0;
  const h = 1e-6;
  for (const p of network.parameters()) {
    for (let i = 0; i < p.value.length; i++) {
      if (p.fixed?.[i]) continue;
      const v = p.value[i];
      p.value[i] = v + h;
      const plus = E();
      p.value[i] = v - h;
      const minus = E();
      p.value[i] = v;
      const fd = (plus - minus) / (2 * h);
      const g = p.gradient[i];
      const rel = Math.abs(fd - g) / (1e-6 * (Math.abs(g) + Math.abs(fd)) + 1e-9);
      if (rel > worst) worst = rel;
      checked++;
    }
  }
  return { worst, checked };
}

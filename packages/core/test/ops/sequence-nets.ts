/** Small seeded sequence networks (embedding, positions, attention) for the op tests, and a central-FD check. */
import {
  Attention,
  Convolution,
  cost,
  Embedding,
  Layer,
  mulberry32,
  Network,
  Neuron,
  Positions,
  setRandom,
  type CostFunction,
} from '../../src/index.js';

export interface AttentionRecipe {
  seed: number;
  length: number;
  heads: number;
  dHead: number;
  causal: boolean;
  /** tokens in (EMBEDDING + POSITIONS) rather than continuous vectors */
  vocabulary?: number;
  encoding?: 'learned' | 'sinusoidal';
  /** one source layer for Q, K and V (self-attention over x itself) */
  shared?: boolean;
  softmax?: boolean;
}

/** x → (Q, K, V by 1×1 convolutions) → ATTENTION → 1×1 convolution → output (a softmax per position). */
export function attentionNet(r: AttentionRecipe): { network: Network; attention: Attention } {
  const random = mulberry32(r.seed);
  setRandom(random);
  try {
    const d = r.heads * r.dHead;
    const seq = (width: number) => Layer.shaped(r.length, 1, width).set({ squash: Neuron.squash.IDENTITY });
    const hidden: Layer[] = [];
    let input: Layer;
    let x: Layer;
    if (r.vocabulary !== undefined) {
      input = Layer.shaped(r.length, 1, 1);
      const embedded = seq(d);
      const table = new Embedding(input, embedded, { vocabulary: r.vocabulary }).tensor('table').value;
      for (let i = 0; i < table.length; i++) table[i] = random() * 2 - 1;
      x = seq(d);
      const positions = new Positions(embedded, x, { encoding: r.encoding }).tensor('positions');
      if (r.encoding !== 'sinusoidal')
        for (let i = 0; i < positions.value.length; i++) positions.value[i] = random() - 0.5;
      hidden.push(embedded, x);
    } else {
      input = Layer.shaped(r.length, 1, d);
      x = input;
    }
    const spread = (conv: Convolution) => {
      const k = conv.tensor('kernel').value;
      for (let i = 0; i < k.length; i++) k[i] = (random() * 2 - 1) * 0.9;
      const b = conv.tensor('bias').value;
      for (let i = 0; i < b.length; i++) b[i] = (random() * 2 - 1) * 0.2;
    };
    let attention: Attention;
    const a = seq(d);
    if (r.shared) {
      const t = Layer.shaped(r.length, 1, d).set({ squash: Neuron.squash.TANH });
      spread(new Convolution(x, t, { kernel: [1, 1] }));
      hidden.push(t);
      attention = new Attention(t, t, t, a, { heads: r.heads, causal: r.causal });
    } else {
      const q = seq(d);
      const k = seq(d);
      const v = seq(d);
      for (const l of [q, k, v]) spread(new Convolution(x, l, { kernel: [1, 1] }));
      hidden.push(q, k, v);
      attention = new Attention(q, k, v, a, { heads: r.heads, causal: r.causal });
    }
    hidden.push(a);
    const classes = 3;
    const output = Layer.shaped(r.length, 1, classes);
    spread(new Convolution(a, output, { kernel: [1, 1] }));
    if (r.softmax) output.set({ squash: Neuron.squash.SOFTMAX, group: classes });
    else output.set({ squash: Neuron.squash.TANH });
    return { network: new Network({ input, hidden, output }), attention };
  } finally {
    setRandom();
  }
}

/** A seeded input: tokens for a token network, values in [−1, 1] otherwise. */
export function sequenceInput(network: Network, seed: number, vocabulary?: number): number[] {
  const random = mulberry32(seed);
  return Array.from({ length: network.inputs() }, () =>
    vocabulary === undefined ? random() * 2 - 1 : Math.floor(random() * vocabulary),
  );
}

/** A target: one-hot rows per position for a softmax output, values in [−0.9, 0.9] otherwise. */
export function sequenceTarget(network: Network, seed: number, classes: number, softmax: boolean): number[] {
  const random = mulberry32(seed);
  const n = network.outputs();
  if (!softmax) return Array.from({ length: n }, () => (random() * 2 - 1) * 0.9);
  const t = new Array<number>(n).fill(0);
  for (let p = 0; p < n / classes; p++) t[p * classes + Math.floor(random() * classes)] = 1;
  return t;
}

/** E of `target` against the network's output: categorical per position on a softmax output. */
export function sequenceCost(network: Network, input: number[], target: number[], costFn: CostFunction): number {
  const y = network.activate(input);
  return costFn === cost.CROSS_ENTROPY
    ? -target.reduce((s, t, k) => s + t * Math.log(y[k] + 1e-15), 0)
    : costFn(target, y);
}

/**
 * The worst ratio, over every parameter entry, of |fd − g| to 1e-6 · (|g| + |fd|) + 1e-9, with fd the
 * central difference of E (h = 1e-6) and g what `backward` added: at most 1 passes.
 */
export function worstGradientRatio(
  network: Network,
  input: number[],
  target: number[],
  costFn: CostFunction,
): { worst: number; checked: number } {
  network.zeroGradients();
  network.activate(input);
  network.backward(target, { cost: costFn });
  let worst = 0;
  let checked = 0;
  const h = 1e-6;
  for (const p of network.parameters()) {
    for (let i = 0; i < p.value.length; i++) {
      if (p.fixed?.[i]) continue;
      const v = p.value[i];
      p.value[i] = v + h;
      const plus = sequenceCost(network, input, target, costFn);
      p.value[i] = v - h;
      const minus = sequenceCost(network, input, target, costFn);
      p.value[i] = v;
      const fd = (plus - minus) / (2 * h);
      const g = p.gradient[i];
      worst = Math.max(worst, Math.abs(fd - g) / (1e-6 * (Math.abs(g) + Math.abs(fd)) + 1e-9));
      checked++;
    }
  }
  return { worst, checked };
}

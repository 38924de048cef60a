import {
  Attention,
  Convolution,
  Embedding,
  getRandom,
  InvalidArgumentError,
  Layer,
  Network,
  Neuron,
  Positions,
  type RandomSource,
} from '@synaptic/core';
import { checkBoolean, checkOptions, checkSize, describeValue } from './validate.js';

/** The options of `Transformer` (token classification). */
export interface TransformerOptions {
  /** positions per sequence: `activate` takes this many tokens */
  length: number;
  /** tokens are integers 0 .. vocabSize − 1 */
  vocabSize: number;
  /** the width d of every position's vector */
  dModel: number;
  /** attention heads per block (they divide dModel) */
  heads: number;
  /** the width of the position-wise feed-forward layer */
  ff: number;
  /** Transformer blocks, at least one */
  blocks: number;
  /** classes per position: `activate` returns length × classes probabilities */
  classes: number;
  /** position i attends to positions j ≤ i only (default false) */
  causal?: boolean;
  /** 'learned' (default) or 'sinusoidal' positional encodings */
  positions?: 'learned' | 'sinusoidal';
}

/** The options of `ContinuousTransformer` (a sequence of vectors in, one vector out). */
export interface ContinuousTransformerOptions {
  /** positions per sequence */
  length: number;
  /** values per position: `activate` takes length × inputs values, position by position */
  inputs: number;
  dModel: number;
  heads: number;
  ff: number;
  blocks: number;
  /** the size of the output vector (Q-values, say), read from the last position */
  outputs: number;
  /** default true: each position sees only itself and earlier ones */
  causal?: boolean;
  positions?: 'learned' | 'sinusoidal';
}

/** The layers of one Transformer block, in activation order. */
export interface TransformerBlockLayers {
  readonly query: Layer;
  readonly key: Layer;
  readonly value: Layer;
  readonly attention: Layer;
  /** LN(x + W_O a): the first residual sum, layer-normalized per position */
  readonly mixed: Layer;
  readonly feedForward: Layer;
  /** LN(r + W_2 relu(W_1 r)): the block's output */
  readonly output: Layer;
  readonly op: Attention;
}

interface Sizes {
  length: number;
  dModel: number;
  heads: number;
  ff: number;
  blocks: number;
  causal: boolean;
  positions: 'learned' | 'sinusoidal';
}

const SHARED = ['length', 'dModel', 'heads', 'ff', 'blocks', 'causal', 'positions'] as const;

function checkShared(o: Record<string, unknown>, what: string, causalDefault: boolean): Sizes {
  const length = checkSize(o.length, `${what} length`);
  const dModel = checkSize(o.dModel, `${what} dModel`);
  const heads = checkSize(o.heads, `${what} heads`);
  if (dModel % heads !== 0) throw new InvalidArgumentError(`${what}: heads (${heads}) must divide dModel (${dModel})`);
  const ff = checkSize(o.ff, `${what} ff`);
  const blocks = checkSize(o.blocks, `${what} blocks`);
  const causal = o.causal === undefined ? causalDefault : checkBoolean(o.causal, `${what} causal`);
  const positions = o.positions ?? 'learned';
  if (positions !== 'learned' && positions !== 'sinusoidal')
    throw new InvalidArgumentError(
      `${what} positions must be 'learned' or 'sinusoidal', got ${describeValue(o.positions)}`,
    );
  return { length, dModel, heads, ff, blocks, causal, positions };
}

/** Uniform in ±√(1.5 / fanIn): weights whose sums keep about the scale of their inputs. */
function spread(values: Float64Array, fanIn: number, random: RandomSource): void {
  const limit = Math.sqrt(6 / fanIn) / 2;
  for (let i = 0; i < values.length; i++) values[i] = (random() * 2 - 1) * limit;
}

/** A position-wise dense layer from `from` into `to` (a 1×1 convolution: shared across positions). */
function dense(from: Layer, to: Layer, random: RandomSource): Convolution {
  const conv = new Convolution(from, to, { kernel: [1, 1] });
  spread(conv.tensor('kernel').value, from.shape![2], random);
  return conv;
}

/** x projected ONE_TO_ONE with a fixed weight 1 into `to`: a residual connection. */
function residual(from: Layer, to: Layer): void {
  from.project(to, Layer.connectionType.ONE_TO_ONE, 1).fix();
}

/**
 * The blocks after `x` (a [length, 1, d] layer): post-LN Transformer blocks (Vaswani et al. 2017),
 *   r = LN(x + W_O attention(W_Q x, W_K x, W_V x)),   y = LN(r + W_2 relu(W_1 r)).
 */
function buildBlocks(x: Layer, s: Sizes, random: RandomSource, hidden: Layer[]): TransformerBlockLayers[] {
  const { length: L, dModel: d, heads, ff, causal } = s;
  const blocks: TransformerBlockLayers[] = [];
  const sequence = (width: number, squash = Neuron.squash.IDENTITY) => Layer.shaped(L, 1, width).set({ squash });
  let last = x;
  for (let b = 0; b < s.blocks; b++) {
    const query = sequence(d);
    const key = sequence(d);
    const value = sequence(d);
    dense(last, query, random);
    dense(last, key, random);
    dense(last, value, random);
    const attention = sequence(d);
    const op = new Attention(query, key, value, attention, { heads, causal });
    const mixed = sequence(d);
    dense(attention, mixed, random);
    residual(last, mixed);
    mixed.set({ squash: Neuron.squash.LAYER_NORM, group: d });
    const feedForward = sequence(ff, Neuron.squash.RELU);
    dense(mixed, feedForward, random);
    const output = sequence(d);
    dense(feedForward, output, random);
    residual(mixed, output);
    output.set({ squash: Neuron.squash.LAYER_NORM, group: d });
    hidden.push(query, key, value, attention, mixed, feedForward, output);
    blocks.push({ query, key, value, attention, mixed, feedForward, output, op });
    last = output;
  }
  return blocks;
}

function addPositions(from: Layer, s: Sizes, random: RandomSource): Layer {
  const x = Layer.shaped(s.length, 1, s.dModel).set({ squash: Neuron.squash.IDENTITY });
  const op = new Positions(from, x, { encoding: s.positions });
  if (s.positions === 'learned') spread(op.tensor('positions').value, 3, random);
  return x;
}

/**
 * A Transformer for token classification, built from the graph: an EMBEDDING of the tokens,
 * POSITIONS, `blocks` post-LN blocks (ATTENTION between 1×1 convolutions for W_Q, W_K, W_V and W_O,
 * fixed ONE_TO_ONE residuals, LAYER_NORM per position, a RELU feed-forward layer), and a softmax
 * per position. `activate(tokens)` takes `length` token indices and returns `length × classes`
 * probabilities, row-major. It trains with `Trainer.train(set, { cost: cost.CROSS_ENTROPY, ... })`
 * on `{ input: tokens, output: one-hot rows, flattened }` (the categorical cross-entropy per position).
 */
export class Transformer extends Network {
  readonly blockLayers: readonly TransformerBlockLayers[];
  readonly embedding: Embedding;
  readonly options: Readonly<Required<TransformerOptions>>;

  constructor(options: TransformerOptions) {
    super();
    const o = checkOptions(options, [...SHARED, 'vocabSize', 'classes'], 'Transformer options');
    const s = checkShared(o, 'Transformer', false);
    const vocabSize = checkSize(o.vocabSize, 'Transformer vocabSize');
    const classes = checkSize(o.classes, 'Transformer classes');
    const random = getRandom();
    const input = Layer.shaped(s.length, 1, 1);
    const embedded = Layer.shaped(s.length, 1, s.dModel).set({ squash: Neuron.squash.IDENTITY });
    this.embedding = new Embedding(input, embedded, { vocabulary: vocabSize });
    spread(this.embedding.tensor('table').value, 3, random);
    const x = addPositions(embedded, s, random);
    const hidden = [embedded, x];
    this.blockLayers = buildBlocks(x, s, random, hidden);
    const output = Layer.shaped(s.length, 1, classes);
    dense(this.blockLayers[this.blockLayers.length - 1].output, output, random);
    output.set({ squash: Neuron.squash.SOFTMAX, group: classes });
    this.set({ input, hidden, output });
    this.options = Object.freeze({ ...s, vocabSize, classes });
  }
}

/**
 * A Transformer over continuous inputs with one output vector (seed 004's RL use: causal attention
 * over the last `length` states, giving Q-values). Each position's `inputs` values go through a
 * position-wise dense layer to dModel, then POSITIONS and the blocks of `Transformer`; the output
 * layer (IDENTITY, `outputs` units) reads the last position's vector only.
 */
export class ContinuousTransformer extends Network {
  readonly blockLayers: readonly TransformerBlockLayers[];
  readonly options: Readonly<Required<ContinuousTransformerOptions>>;

  constructor(options: ContinuousTransformerOptions) {
    super();
    const o = checkOptions(options, [...SHARED, 'inputs', 'outputs'], 'ContinuousTransformer options');
    const s = checkShared(o, 'ContinuousTransformer', true);
    const inputs = checkSize(o.inputs, 'ContinuousTransformer inputs');
    const outputs = checkSize(o.outputs, 'ContinuousTransformer outputs');
    const random = getRandom();
    const input = Layer.shaped(s.length, 1, inputs);
    const projected = Layer.shaped(s.length, 1, s.dModel).set({ squash: Neuron.squash.IDENTITY });
    dense(input, projected, random);
    const x = addPositions(projected, s, random);
    const hidden = [projected, x];
    this.blockLayers = buildBlocks(x, s, random, hidden);
    const last = this.blockLayers[this.blockLayers.length - 1].output;
    const output = new Layer(outputs).set({ squash: Neuron.squash.IDENTITY });
    const limit = Math.sqrt(6 / s.dModel) / 2;
    const units = last.neurons();
    const targets = output.neurons();
    for (let c = 0; c < s.dModel; c++) {
      const from = units[(s.length - 1) * s.dModel + c];
      for (const to of targets) from.project(to, (random() * 2 - 1) * limit);
    }
    this.set({ input, hidden, output });
    this.options = Object.freeze({ ...s, inputs, outputs });
  }
}

/** The options of `TransformerBlock`. */
export interface TransformerBlockOptions {
  length: number;
  dModel: number;
  heads: number;
  ff: number;
  causal?: boolean;
}

/**
 * One post-LN Transformer block as a network of its own: the input layer is the sequence x
 * (`[length, 1, dModel]`, `activate` takes length × dModel values) and the output layer is
 * LN(r + W_2 relu(W_1 r)) with r = LN(x + W_O attention(x)). What the benchmark times.
 */
export class TransformerBlock extends Network {
  readonly block: TransformerBlockLayers;

  constructor(options: TransformerBlockOptions) {
    super();
    const o = checkOptions(options, ['length', 'dModel', 'heads', 'ff', 'causal'], 'TransformerBlock options');
    const s = checkShared({ ...o, blocks: 1 }, 'TransformerBlock', false);
    const input = Layer.shaped(s.length, 1, s.dModel);
    const hidden: Layer[] = [];
    [this.block] = buildBlocks(input, s, getRandom(), hidden);
    const output = hidden.pop()!;
    this.set({ input, hidden, output });
  }
}

/**
 * One Transformer block two ways with the same parameters: `@synaptic/architect`'s graph-built
 * `TransformerBlock` and the hand-written `ReferenceTransformer`'s block. `copyParameters` writes
 * the graph's numbers into the reference, so both compute the same function.
 */
import type { TransformerBlock } from '@synaptic/architect';
import type { Layer } from '@synaptic/core';
import { type BlockCache, ReferenceTransformer, type ReferenceBlock } from './transformer-reference.js';

export interface BlockShape {
  readonly length: number;
  readonly dModel: number;
  readonly heads: number;
  readonly ff: number;
  readonly causal: boolean;
}

/** The reference transformer whose only block is the one timed (its embedding and classifier unused). */
export function referenceFor(shape: BlockShape, random: () => number): ReferenceTransformer {
  return new ReferenceTransformer({ ...shape, vocabSize: 1, classes: 1, blocks: 1, epsilon: 1e-5 }, random);
}

function convOf(layer: Layer): { kernel: Float64Array; bias: Float64Array } {
  const op = layer.opsIn.find((o) => o.kind === 'CONVOLUTION');
  if (op === undefined) throw new Error('internal: no convolution into the layer');
  return { kernel: op.tensor('kernel').value, bias: op.tensor('bias').value };
}

function normOf(layer: Layer): { gamma: Float64Array; beta: Float64Array } {
  const store = layer.list[0].store;
  const { gamma, beta } = store.ensureNorm();
  return { gamma, beta };
}

/** Copies the graph block's parameters into the reference's only block. */
export function copyParameters(graph: TransformerBlock, reference: ReferenceTransformer): ReferenceBlock {
  const b = graph.block;
  const r = reference.blocks[0];
  const d = reference.shape.dModel;
  [b.query, b.key, b.value].forEach((layer, k) => {
    const { kernel, bias } = convOf(layer);
    r.wqkv.set(kernel, k * d * d);
    r.bqkv.set(bias, k * d);
  });
  const pairs: Array<[Layer, Float64Array, Float64Array]> = [
    [b.mixed, r.wo, r.bo],
    [b.feedForward, r.w1, r.b1],
    [b.output, r.w2, r.b2],
  ];
  for (const [layer, w, bias] of pairs) {
    const conv = convOf(layer);
    w.set(conv.kernel);
    bias.set(conv.bias);
  }
  const n1 = normOf(b.mixed);
  r.g1.set(n1.gamma);
  r.be1.set(n1.beta);
  const n2 = normOf(b.output);
  r.g2.set(n2.gamma);
  r.be2.set(n2.beta);
  return r;
}

/** The reference block's forward pass on `x`; returns its output (the cache's array). */
export function referenceForward(reference: ReferenceTransformer, x: ArrayLike<number>): Float64Array {
  const cache: BlockCache = reference.caches[0];
  cache.x.set(x);
  return reference.blockForward(reference.blocks[0], cache);
}

/** The reference block's backward pass from ∂E/∂y (gradients summed into `reference.gradients`). */
export function referenceBackward(reference: ReferenceTransformer, dy: Float64Array): Float64Array {
  return reference.blockBackward(reference.blocks[0], reference.caches[0], dy, 2);
}

/**
 * EMBEDDING: token indices in, rows of a trained table out. The source is a layer of `length`
 * units whose activations are token indices (a network's input layer), shaped `[length, 1, 1]`;
 * the target is a sequence `[length, 1, d]`, and its state gets s_{p,c} += T_{t_p, c} (the lookup of
 * kernels/embedding.ts). A token that is not an integer in 0 .. vocabulary − 1 is refused with an
 * `InvalidTokenError`. Tokens are not differentiable: no error flows back into the source.
 */
import { describe, OpError } from '../errors.js';
import type { Layer } from '../layer.js';
import { randomWeight } from '../random.js';
import { attachOp } from './attach.js';
import { checkTokens, embeddingBackward, embeddingForward } from './kernels/embedding.js';
import { Op, type OpDotEdge, type OpOptions, opTensor, shapeOf } from './op.js';

export interface EmbeddingOptions {
  /** how many distinct tokens: the table has this many rows */
  vocabulary: number;
}

export class Embedding extends Op {
  readonly kind = 'EMBEDDING';
  readonly length: number;
  readonly vocabulary: number;
  readonly width: number;

  /**
   * Embeds the tokens held by `tokens` (`length` units, shaped `[length, 1, 1]`) into `target`
   * (`[length, 1, d]`). The table (`op.tensor('table')`, vocabulary × d, row-major) starts uniform
   * in ±0.1, drawn as 1.x draws weights (see `setRandom`).
   */
  constructor(tokens: Layer, target: Layer, options: EmbeddingOptions) {
    if (options === null || typeof options !== 'object')
      throw new OpError('EMBEDDING: options must be an object such as { vocabulary: 10 }');
    const from = shapeOf(tokens, 'token');
    const to = shapeOf(target, 'target');
    if (from[1] !== 1 || from[2] !== 1 || to[1] !== 1 || to[0] !== from[0])
      throw new OpError(
        `EMBEDDING: the token layer must be [length, 1, 1] and the target [length, 1, d] with the same length, got [${from.join(', ')}] and [${to.join(', ')}]`,
      );
    const { vocabulary } = options;
    if (!Number.isInteger(vocabulary) || vocabulary < 1)
      throw new OpError(`EMBEDDING: vocabulary must be a positive integer, got ${describe(vocabulary)}`);
    const table = opTensor('table', vocabulary * to[2]);
    for (let i = 0; i < table.value.length; i++) table.value[i] = randomWeight();
    super([tokens], target, [table]);
    this.length = to[0];
    this.vocabulary = vocabulary;
    this.width = to[2];
    attachOp(this);
  }

  override reset(): void {
    const table = this.tensors[0].value;
    for (let i = 0; i < table.length; i++) table[i] = randomWeight();
  }

  /** Throws an `InvalidTokenError` unless every token is an integer in 0 .. vocabulary − 1. */
  override checkInput(tokens: ArrayLike<number>, where: string): void {
    checkTokens(tokens, this.length, this.vocabulary, where);
  }

  forward(inputs: readonly Float64Array[], state: Float64Array): void {
    embeddingForward(inputs[0], this.length, this.tensors[0].value, this.vocabulary, this.width, state);
  }

  backflow(): void {}

  accumulate(inputs: readonly Float64Array[], delta: Float64Array, into: readonly Float64Array[]): void {
    embeddingBackward(inputs[0], this.length, delta, this.width, into[0]);
  }

  options(): OpOptions {
    return { vocabulary: this.vocabulary };
  }

  label(): string {
    return `embedding ${this.vocabulary}×${this.width}`;
  }

  dotEdges(): OpDotEdge[] {
    const edges: OpDotEdge[] = [];
    for (let c = 0; c < this.width; c++) edges.push({ source: 0, sourceMap: 0, targetMap: c });
    return edges;
  }
}

/** Rebuilds an embedding from its JSON options (registry.ts). */
export function embeddingFrom(sources: readonly Layer[], target: Layer, options: OpOptions): Embedding {
  if (sources.length !== 1) throw new OpError(`EMBEDDING reads one source layer, got ${sources.length}`);
  return new Embedding(sources[0], target, options as unknown as EmbeddingOptions);
}

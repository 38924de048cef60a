/**
 * ATTENTION: multi-head scaled dot-product self-attention as a layer-level projection (Vaswani et
 * al. 2017, eq. 1). Three source layers Q, K and V and the target are sequences shaped
 * `[length, 1, d]` (d = heads · dHead; the same layer may be given more than once). Head h reads
 * channels h·dHead .. (h+1)·dHead − 1 of each position; the target's state gets
 *
 *   s_{i,c} += Σ_j A^h_ij V_jc,   A^h_i = softmax_j(Q_i · K_j / √dHead)   (j ≤ i when causal)
 *
 * The op has no parameters: the projections W_Q, W_K, W_V and W_O are position-wise (1×1)
 * convolutions around it. Its forward sum is not linear in its inputs, so `backflow` recomputes the
 * weights from the inputs it is given (it is a pure function of them), and its back-flow is the
 * exact ∂s/∂(Q, K, V)ᵀ δ of kernels/attention.ts. `weights` holds the last forward's A.
 */
import { describe, OpError } from '../errors.js';
import type { Layer } from '../layer.js';
import { attachOp } from './attach.js';
import { AttentionScratch, attentionBackward, attentionForward, type AttentionShape } from './kernels/attention.js';
import { Op, type OpDotEdge, type OpOptions, shapeOf } from './op.js';

export interface AttentionOptions {
  /** heads; they divide the width d (each reads d / heads channels) */
  heads: number;
  /** position i attends to positions j ≤ i only (default false) */
  causal?: boolean;
}

export class Attention extends Op {
  readonly kind = 'ATTENTION';
  readonly shape: AttentionShape;
  /** A of the last forward pass: heads × length × length, row-major (row i: position i's weights) */
  readonly weights: Float64Array;
  private readonly scratch: AttentionScratch;
  private readonly out: Float64Array;
  private readonly backWeights: Float64Array;
  private readonly unused: Float64Array;

  /**
   * Attention of `query` over `key` and `value` into `target`: all shaped `[length, 1, d]` with the
   * same length and width.
   */
  constructor(query: Layer, key: Layer, value: Layer, target: Layer, options: AttentionOptions) {
    if (options === null || typeof options !== 'object')
      throw new OpError('ATTENTION: options must be an object such as { heads: 2 }');
    const to = shapeOf(target, 'target');
    if (to[1] !== 1) throw new OpError(`ATTENTION: the target must be a sequence [length, 1, d], got height ${to[1]}`);
    for (const [role, layer] of [
      ['query', query],
      ['key', key],
      ['value', value],
    ] as const) {
      const from = shapeOf(layer, role);
      if (from[0] !== to[0] || from[1] !== 1 || from[2] !== to[2])
        throw new OpError(
          `ATTENTION: the ${role} layer must be shaped like the target, [${to[0]}, 1, ${to[2]}], got [${from.join(', ')}]`,
        );
    }
    const { heads } = options;
    if (!Number.isInteger(heads) || heads < 1 || to[2] % heads !== 0)
      throw new OpError(
        `ATTENTION: heads must be a positive integer dividing the width ${to[2]}, got ${describe(heads)}`,
      );
    if (options.causal !== undefined && typeof options.causal !== 'boolean')
      throw new OpError(`ATTENTION: causal must be true or false, got ${describe(options.causal)}`);
    super([query, key, value], target, []);
    const length = to[0];
    this.shape = Object.freeze({ length, heads, dHead: to[2] / heads, causal: options.causal === true });
    this.weights = new Float64Array(heads * length * length);
    this.backWeights = new Float64Array(heads * length * length);
    this.scratch = new AttentionScratch(length);
    this.out = new Float64Array(length * to[2]);
    this.unused = new Float64Array(length * to[2]);
    attachOp(this);
  }

  forward(inputs: readonly Float64Array[], state: Float64Array): void {
    attentionForward(this.shape, inputs[0], inputs[1], inputs[2], this.weights, this.out, this.scratch);
    const out = this.out;
    for (let i = 0; i < out.length; i++) state[i] += out[i];
  }

  backflow(inputs: readonly Float64Array[], delta: Float64Array, errors: ReadonlyArray<Float64Array | null>): void {
    if (errors.every((e) => e === null)) return;
    const [q, k, v] = inputs;
    attentionForward(this.shape, q, k, v, this.backWeights, this.out, this.scratch);
    const unused = this.unused;
    unused.fill(0);
    const [eq, ek, ev] = errors;
    attentionBackward(
      this.shape,
      q,
      k,
      v,
      this.backWeights,
      delta,
      eq ?? unused,
      ek ?? unused,
      ev ?? unused,
      this.scratch,
    );
  }

  accumulate(): void {}

  options(): OpOptions {
    return { heads: this.shape.heads, causal: this.shape.causal ? 1 : 0 };
  }

  label(): string {
    return `attention ×${this.shape.heads}${this.shape.causal ? ' causal' : ''}`;
  }

  dotEdges(): OpDotEdge[] {
    // each head's channels of Q, K and V reach the same channels of the target
    const edges: OpDotEdge[] = [];
    const d = this.shape.heads * this.shape.dHead;
    for (let s = 0; s < 3; s++) for (let c = 0; c < d; c++) edges.push({ source: s, sourceMap: c, targetMap: c });
    return edges;
  }

  /** The weights of the last forward pass as `[head][i][j]` (row i sums to 1). */
  weightMatrices(): number[][][] {
    const { heads, length } = this.shape;
    const result: number[][][] = [];
    for (let h = 0; h < heads; h++) {
      const rows: number[][] = [];
      for (let i = 0; i < length; i++) {
        const a = (h * length + i) * length;
        rows.push(Array.from(this.weights.subarray(a, a + length)));
      }
      result.push(rows);
    }
    return result;
  }
}

/** Rebuilds an attention op from its JSON options (registry.ts). */
export function attentionFrom(sources: readonly Layer[], target: Layer, options: OpOptions): Attention {
  if (sources.length !== 3) throw new OpError(`ATTENTION reads three source layers (Q, K, V), got ${sources.length}`);
  const { heads, causal } = options;
  if (causal !== undefined && causal !== 0 && causal !== 1)
    throw new OpError(`ATTENTION: causal must be 0 or 1 in JSON, got ${describe(causal)}`);
  return new Attention(sources[0], sources[1], sources[2], target, {
    heads: heads as number,
    causal: causal === 1,
  });
}

/**
 * Scaled dot-product attention (Vaswani et al. 2017, eq. 1) over a sequence, per head, as kernels
 * over typed arrays. Every sequence is row-major by position, channels last (the `[length, 1, d]`
 * layout of shaped layers): position p's vector is entries p·d .. p·d + d − 1, and head h reads the
 * channel slice h·dHead .. (h + 1)·dHead − 1 of Q, K and V.
 *
 *   S^h_ij = Σ_c Q_ic K_jc / √dHead          (c in head h's slice; j > i masked when causal)
 *   A^h_i  = softmax(S^h_i)                    (core's SOFTMAX kernel, over j ≤ i when causal)
 *   O_ic   = Σ_j A^h_ij V_jc
 *
 * The weights A are kept (heads × length × length, row-major) for the backward pass and for
 * `attentionWeights()`.
 */
import { layerFunctions } from '../../layer-function.js';

export interface AttentionShape {
  /** positions in the sequence */
  readonly length: number;
  /** heads; the model width is heads · dHead */
  readonly heads: number;
  /** channels per head */
  readonly dHead: number;
  /** when true, position i attends to positions j ≤ i only */
  readonly causal: boolean;
}

const SOFTMAX = layerFunctions.SOFTMAX;

/** Reused row vectors of one attention shape, so a step allocates nothing. */
export class AttentionScratch {
  readonly row: Float64Array;
  readonly out: Float64Array;
  readonly derivative: Float64Array;
  constructor(readonly length: number) {
    this.row = new Float64Array(length);
    this.out = new Float64Array(length);
    this.derivative = new Float64Array(length);
  }
}

/**
 * Forward: writes the weights A (heads · length · length) and the output O (length · heads · dHead).
 * Masked entries of A are exactly 0.
 */
export function attentionForward(
  shape: AttentionShape,
  q: Float64Array,
  k: Float64Array,
  v: Float64Array,
  weights: Float64Array,
  out: Float64Array,
  scratch: AttentionScratch,
): void {
  const { length: n, heads, dHead, causal } = shape;
  const d = heads * dHead;
  const scale = 1 / Math.sqrt(dHead);
  const { row, out: soft, derivative } = scratch;
  out.fill(0, 0, n * d);
  for (let h = 0; h < heads; h++) {
    const c0 = h * dHead;
    for (let i = 0; i < n; i++) {
      const visible = causal ? i + 1 : n;
      const qi = i * d + c0;
      for (let j = 0; j < visible; j++) {
        const kj = j * d + c0;
        let s = 0;
        for (let c = 0; c < dHead; c++) s += q[qi + c] * k[kj + c];
        row[j] = s * scale;
      }
      SOFTMAX.forward(row, soft, derivative, visible);
      const a0 = (h * n + i) * n;
      for (let j = 0; j < n; j++) weights[a0 + j] = j < visible ? soft[j] : 0;
      for (let j = 0; j < visible; j++) {
        const a = soft[j];
        const vj = j * d + c0;
        for (let c = 0; c < dHead; c++) out[qi + c] += a * v[vj + c];
      }
    }
  }
}

/**
 * Backward: from dO = ∂E/∂O, ADDS ∂E/∂Q, ∂E/∂K and ∂E/∂V into dQ, dK and dV (they may be views of
 * one array when Q, K and V are slices of one layer). With the weights A of the forward pass:
 *
 *   ∂E/∂A_ij = Σ_c dO_ic V_jc,   ∂E/∂V_jc += Σ_i A_ij dO_ic,
 *   ∂E/∂S_ij = A_ij (∂E/∂A_ij − Σ_j' A_ij' ∂E/∂A_ij')   (core's SOFTMAX backward),
 *   ∂E/∂Q_ic += Σ_j ∂E/∂S_ij K_jc / √dHead,   ∂E/∂K_jc += Σ_i ∂E/∂S_ij Q_ic / √dHead.
 */
export function attentionBackward(
  shape: AttentionShape,
  q: Float64Array,
  k: Float64Array,
  v: Float64Array,
  weights: Float64Array,
  dOut: Float64Array,
  dQ: Float64Array,
  dK: Float64Array,
  dV: Float64Array,
  scratch: AttentionScratch,
): void {
  const { length: n, heads, dHead, causal } = shape;
  const d = heads * dHead;
  const scale = 1 / Math.sqrt(dHead);
  const { row: dA, out: dS, derivative: a } = scratch;
  for (let h = 0; h < heads; h++) {
    const c0 = h * dHead;
    for (let i = 0; i < n; i++) {
      const visible = causal ? i + 1 : n;
      const oi = i * d + c0;
      const a0 = (h * n + i) * n;
      for (let j = 0; j < visible; j++) {
        const w = weights[a0 + j];
        a[j] = w;
        const vj = j * d + c0;
        let s = 0;
        for (let c = 0; c < dHead; c++) {
          s += dOut[oi + c] * v[vj + c];
          dV[vj + c] += w * dOut[oi + c];
        }
        dA[j] = s;
      }
      SOFTMAX.backward(a, dA, dS, visible);
      for (let j = 0; j < visible; j++) {
        const g = dS[j] * scale;
        if (g === 0) continue;
        const kj = j * d + c0;
        for (let c = 0; c < dHead; c++) {
          dQ[oi + c] += g * k[kj + c];
          dK[kj + c] += g * q[oi + c];
        }
      }
    }
  }
}

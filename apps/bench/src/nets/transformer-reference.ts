/**
 * A Transformer for token classification written by hand over Float64Arrays: the reference against
 * which the graph-built `@synaptic/architect` Transformer is measured (TRANSFORMER suite) and checked
 * (same parameters, same outputs and gradients).
 *
 * Post-LN blocks (Vaswani et al. 2017), sequences row-major by position ([length, 1, d]):
 *
 *   x0  = E[t_p] + P_p                                   embedding and positions
 *   qkv = W_qkv x + b_qkv (position-wise), a = attention(q, k, v) per head (eq. 1)
 *   r   = LN(x + W_o a + b_o; γ1, β1)
 *   y   = LN(r + W_2 relu(W_1 r + b_1) + b_2; γ2, β2)
 *   out = softmax(W_c y + b_c) per position
 *
 * LN(s) = γ (s − μ) / √(σ² + ε) + β over one position's d channels, with γ and β per position and
 * channel (length × d), as core's LAYER_NORM keeps them per unit. Matrices are row-major by output.
 * Gradients are summed by `backward` (categorical cross-entropy per position), `adam` steps them.
 */
export interface ReferenceShape {
  readonly length: number;
  readonly vocabSize: number;
  readonly dModel: number;
  readonly heads: number;
  readonly ff: number;
  readonly blocks: number;
  readonly classes: number;
  readonly causal: boolean;
  /** LayerNorm's ε */
  readonly epsilon: number;
}

export interface ReferenceBlock {
  readonly wqkv: Float64Array;
  readonly bqkv: Float64Array;
  readonly wo: Float64Array;
  readonly bo: Float64Array;
  readonly g1: Float64Array;
  readonly be1: Float64Array;
  readonly w1: Float64Array;
  readonly b1: Float64Array;
  readonly w2: Float64Array;
  readonly b2: Float64Array;
  readonly g2: Float64Array;
  readonly be2: Float64Array;
}

/** One block's forward values, kept for its backward pass. */
export interface BlockCache {
  x: Float64Array;
  qkv: Float64Array;
  weights: Float64Array;
  a: Float64Array;
  rHat: Float64Array;
  rInv: Float64Array;
  r: Float64Array;
  f: Float64Array;
  yHat: Float64Array;
  yInv: Float64Array;
  y: Float64Array;
  /** backward scratch */
  s: Float64Array;
  ds1: Float64Array;
  ds2: Float64Array;
  dr: Float64Array;
  df: Float64Array;
  da: Float64Array;
  dx: Float64Array;
  dqkv: Float64Array;
}

/** out[p, j] (+)= Σ_i W[j, i] x[p, i] + b[j], position by position. */
function dense(x: Float64Array, w: Float64Array, b: Float64Array, n: number, m: number, L: number, out: Float64Array) {
  for (let p = 0; p < L; p++) {
    const xo = p * n;
    for (let j = 0; j < m; j++) {
      let s = b[j];
      const row = j * n;
      for (let i = 0; i < n; i++) s += w[row + i] * x[xo + i];
      out[p * m + j] += s;
    }
  }
}

/** Given dOut (L × m): adds Wᵀ dOut into dx, dOut ⊗ x into dW and dOut into db. */
function denseBack(
  x: Float64Array,
  w: Float64Array,
  dOut: Float64Array,
  n: number,
  m: number,
  L: number,
  dx: Float64Array | null,
  dw: Float64Array,
  db: Float64Array,
) {
  for (let p = 0; p < L; p++) {
    const xo = p * n;
    for (let j = 0; j < m; j++) {
      const g = dOut[p * m + j];
      if (g === 0) continue;
      db[j] += g;
      const row = j * n;
      for (let i = 0; i < n; i++) {
        dw[row + i] += g * x[xo + i];
        if (dx) dx[xo + i] += g * w[row + i];
      }
    }
  }
}

function layerNorm(
  s: Float64Array,
  g: Float64Array,
  be: Float64Array,
  d: number,
  L: number,
  eps: number,
  hat: Float64Array,
  inv: Float64Array,
  out: Float64Array,
) {
  for (let p = 0; p < L; p++) {
    const o = p * d;
    let mean = 0;
    for (let c = 0; c < d; c++) mean += s[o + c];
    mean /= d;
    let variance = 0;
    for (let c = 0; c < d; c++) variance += (s[o + c] - mean) ** 2;
    variance /= d;
    const k = 1 / Math.sqrt(variance + eps);
    inv[p] = k;
    for (let c = 0; c < d; c++) {
      const h = (s[o + c] - mean) * k;
      hat[o + c] = h;
      out[o + c] = g[o + c] * h + be[o + c];
    }
  }
}

/** ds = k (dx̂ − mean dx̂ − x̂ mean(dx̂ x̂)) with dx̂ = γ dy; adds dγ, dβ. Writes ds. */
function layerNormBack(
  dy: Float64Array,
  g: Float64Array,
  hat: Float64Array,
  inv: Float64Array,
  d: number,
  L: number,
  ds: Float64Array,
  dg: Float64Array,
  dbe: Float64Array,
) {
  for (let p = 0; p < L; p++) {
    const o = p * d;
    let m1 = 0;
    let m2 = 0;
    for (let c = 0; c < d; c++) {
      const dh = g[o + c] * dy[o + c];
      dg[o + c] += dy[o + c] * hat[o + c];
      dbe[o + c] += dy[o + c];
      m1 += dh;
      m2 += dh * hat[o + c];
    }
    m1 /= d;
    m2 /= d;
    for (let c = 0; c < d; c++) ds[o + c] = inv[p] * (g[o + c] * dy[o + c] - m1 - hat[o + c] * m2);
  }
}

const rows: Float64Array[] = [];
/** A reused row of `n` entries (two of them: `which` 0 or 1). */
function rowScratch(n: number, which = 0): Float64Array {
  if (rows[which]?.length !== n) rows[which] = new Float64Array(n);
  return rows[which];
}

function attention(
  qkv: Float64Array,
  L: number,
  d: number,
  heads: number,
  causal: boolean,
  weights: Float64Array,
  out: Float64Array,
) {
  const dh = d / heads;
  const scale = 1 / Math.sqrt(dh);
  const row = rowScratch(L);
  out.fill(0);
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < L; i++) {
      const visible = causal ? i + 1 : L;
      let max = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < visible; j++) {
        let s = 0;
        for (let c = 0; c < dh; c++) s += qkv[i * 3 * d + h * dh + c] * qkv[j * 3 * d + d + h * dh + c];
        row[j] = s * scale;
        if (row[j] > max) max = row[j];
      }
      let sum = 0;
      for (let j = 0; j < visible; j++) {
        row[j] = Math.exp(row[j] - max);
        sum += row[j];
      }
      for (let j = 0; j < L; j++) {
        const a = j < visible ? row[j] / sum : 0;
        weights[(h * L + i) * L + j] = a;
        if (a === 0) continue;
        for (let c = 0; c < dh; c++) out[i * d + h * dh + c] += a * qkv[j * 3 * d + 2 * d + h * dh + c];
      }
    }
  }
}

function attentionBack(
  qkv: Float64Array,
  weights: Float64Array,
  dOut: Float64Array,
  L: number,
  d: number,
  heads: number,
  dqkv: Float64Array,
) {
  const dh = d / heads;
  const scale = 1 / Math.sqrt(dh);
  const dA = rowScratch(L, 1);
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < L; i++) {
      let dot = 0;
      for (let j = 0; j < L; j++) {
        const a = weights[(h * L + i) * L + j];
        let s = 0;
        for (let c = 0; c < dh; c++) {
          s += dOut[i * d + h * dh + c] * qkv[j * 3 * d + 2 * d + h * dh + c];
          dqkv[j * 3 * d + 2 * d + h * dh + c] += a * dOut[i * d + h * dh + c];
        }
        dA[j] = s;
        dot += a * s;
      }
      for (let j = 0; j < L; j++) {
        const g = weights[(h * L + i) * L + j] * (dA[j] - dot) * scale;
        if (g === 0) continue;
        for (let c = 0; c < dh; c++) {
          dqkv[i * 3 * d + h * dh + c] += g * qkv[j * 3 * d + d + h * dh + c];
          dqkv[j * 3 * d + d + h * dh + c] += g * qkv[i * 3 * d + h * dh + c];
        }
      }
    }
  }
}

function blockParameters(d: number, ff: number, L: number): ReferenceBlock {
  return {
    wqkv: new Float64Array(3 * d * d),
    bqkv: new Float64Array(3 * d),
    wo: new Float64Array(d * d),
    bo: new Float64Array(d),
    g1: new Float64Array(L * d).fill(1),
    be1: new Float64Array(L * d),
    w1: new Float64Array(ff * d),
    b1: new Float64Array(ff),
    w2: new Float64Array(d * ff),
    b2: new Float64Array(d),
    g2: new Float64Array(L * d).fill(1),
    be2: new Float64Array(L * d),
  };
}

export class ReferenceTransformer {
  readonly embedding: Float64Array;
  readonly positions: Float64Array;
  readonly blocks: ReferenceBlock[];
  readonly wc: Float64Array;
  readonly bc: Float64Array;
  /** gradients, same shapes as the parameters, in `tensors()` order */
  readonly gradients: Float64Array[];
  /** @internal each block's forward values (the benchmark runs one block on its own) */
  readonly caches: BlockCache[];
  private x0: Float64Array;
  private out: Float64Array;
  private tokens: ArrayLike<number> = [];
  private moments: { m: Float64Array[]; v: Float64Array[]; t: number } | null = null;

  constructor(
    readonly shape: ReferenceShape,
    random: () => number,
  ) {
    const { length: L, vocabSize: V, dModel: d, ff, blocks, classes: C } = shape;
    const uniform = (a: Float64Array, fanIn: number) => {
      const limit = Math.sqrt(6 / fanIn) / 2;
      for (let i = 0; i < a.length; i++) a[i] = (random() * 2 - 1) * limit;
    };
    this.embedding = new Float64Array(V * d);
    uniform(this.embedding, 3);
    this.positions = new Float64Array(L * d);
    uniform(this.positions, 3);
    this.blocks = [];
    for (let b = 0; b < blocks; b++) {
      const block = blockParameters(d, ff, L);
      uniform(block.wqkv, d);
      uniform(block.wo, d);
      uniform(block.w1, d);
      uniform(block.w2, ff);
      this.blocks.push(block);
    }
    this.wc = new Float64Array(C * d);
    uniform(this.wc, d);
    this.bc = new Float64Array(C);
    this.gradients = this.tensors().map((t) => new Float64Array(t.length));
    this.caches = this.blocks.map(() => ({
      x: new Float64Array(L * d),
      qkv: new Float64Array(L * 3 * d),
      weights: new Float64Array(shape.heads * L * L),
      a: new Float64Array(L * d),
      rHat: new Float64Array(L * d),
      rInv: new Float64Array(L),
      r: new Float64Array(L * d),
      f: new Float64Array(L * ff),
      yHat: new Float64Array(L * d),
      yInv: new Float64Array(L),
      y: new Float64Array(L * d),
      s: new Float64Array(L * d),
      ds1: new Float64Array(L * d),
      ds2: new Float64Array(L * d),
      dr: new Float64Array(L * d),
      df: new Float64Array(L * ff),
      da: new Float64Array(L * d),
      dx: new Float64Array(L * d),
      dqkv: new Float64Array(L * 3 * d),
    }));
    this.x0 = new Float64Array(L * d);
    this.out = new Float64Array(L * C);
  }

  /** Every parameter tensor, in a fixed order (embedding, positions, blocks, classifier). */
  tensors(): Float64Array[] {
    const list = [this.embedding, this.positions];
    for (const b of this.blocks)
      list.push(b.wqkv, b.bqkv, b.wo, b.bo, b.g1, b.be1, b.w1, b.b1, b.w2, b.b2, b.g2, b.be2);
    list.push(this.wc, this.bc);
    return list;
  }

  /** One block's forward pass from `cache.x` (filled by the caller). */
  blockForward(block: ReferenceBlock, cache: BlockCache): Float64Array {
    const { length: L, dModel: d, heads, ff, causal, epsilon } = this.shape;
    cache.qkv.fill(0);
    dense(cache.x, block.wqkv, block.bqkv, d, 3 * d, L, cache.qkv);
    attention(cache.qkv, L, d, heads, causal, cache.weights, cache.a);
    const s = cache.s;
    s.set(cache.x);
    dense(cache.a, block.wo, block.bo, d, d, L, s);
    layerNorm(s, block.g1, block.be1, d, L, epsilon, cache.rHat, cache.rInv, cache.r);
    cache.f.fill(0);
    dense(cache.r, block.w1, block.b1, d, ff, L, cache.f);
    for (let i = 0; i < cache.f.length; i++) if (cache.f[i] < 0) cache.f[i] = 0;
    s.set(cache.r);
    dense(cache.f, block.w2, block.b2, ff, d, L, s);
    layerNorm(s, block.g2, block.be2, d, L, epsilon, cache.yHat, cache.yInv, cache.y);
    return cache.y;
  }

  /** One block's backward pass: from ∂E/∂y, adds the block's gradients (at `g`, its index in `gradients`); returns ∂E/∂x. */
  blockBackward(block: ReferenceBlock, cache: BlockCache, dy: Float64Array, g: number): Float64Array {
    const { length: L, dModel: d, heads, ff } = this.shape;
    const G = this.gradients;
    const { ds1, ds2, df, dr, da, dx, dqkv } = cache;
    layerNormBack(dy, block.g2, cache.yHat, cache.yInv, d, L, ds2, G[g + 10], G[g + 11]);
    df.fill(0);
    dr.set(ds2);
    denseBack(cache.f, block.w2, ds2, ff, d, L, df, G[g + 8], G[g + 9]);
    for (let i = 0; i < df.length; i++) if (cache.f[i] <= 0) df[i] = 0;
    denseBack(cache.r, block.w1, df, d, ff, L, dr, G[g + 6], G[g + 7]);
    layerNormBack(dr, block.g1, cache.rHat, cache.rInv, d, L, ds1, G[g + 4], G[g + 5]);
    da.fill(0);
    dx.set(ds1);
    denseBack(cache.a, block.wo, ds1, d, d, L, da, G[g + 2], G[g + 3]);
    dqkv.fill(0);
    attentionBack(cache.qkv, cache.weights, da, L, d, heads, dqkv);
    denseBack(cache.x, block.wqkv, dqkv, d, 3 * d, L, dx, G[g], G[g + 1]);
    return dx;
  }

  /** Per-position class probabilities, row-major (length × classes). */
  activate(tokens: ArrayLike<number>): Float64Array {
    const { length: L, dModel: d, classes: C } = this.shape;
    this.tokens = tokens;
    for (let p = 0; p < L; p++)
      for (let c = 0; c < d; c++) this.x0[p * d + c] = this.embedding[tokens[p] * d + c] + this.positions[p * d + c];
    let x = this.x0;
    this.blocks.forEach((block, b) => {
      this.caches[b].x.set(x);
      x = this.blockForward(block, this.caches[b]);
    });
    this.out.fill(0);
    dense(x, this.wc, this.bc, d, C, L, this.out);
    for (let p = 0; p < L; p++) {
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < C; k++) max = Math.max(max, this.out[p * C + k]);
      let sum = 0;
      for (let k = 0; k < C; k++) sum += this.out[p * C + k] = Math.exp(this.out[p * C + k] - max);
      for (let k = 0; k < C; k++) this.out[p * C + k] /= sum;
    }
    return this.out;
  }

  /** After `activate`: adds ∂E/∂θ of E = −Σ t ln y (per position) to `gradients`; returns E. */
  backward(target: ArrayLike<number>): number {
    const { length: L, dModel: d, classes: C, blocks: B } = this.shape;
    const G = this.gradients;
    let error = 0;
    const dz = new Float64Array(L * C);
    for (let i = 0; i < L * C; i++) {
      dz[i] = this.out[i] - target[i];
      if (target[i] > 0) error -= target[i] * Math.log(this.out[i] + 1e-15);
    }
    const last = B > 0 ? this.caches[B - 1].y : this.x0;
    let dx: Float64Array = new Float64Array(L * d);
    denseBack(last, this.wc, dz, d, C, L, dx, G[2 + 12 * B], G[3 + 12 * B]);
    for (let b = B - 1; b >= 0; b--) dx = this.blockBackward(this.blocks[b], this.caches[b], dx, 2 + 12 * b);
    for (let p = 0; p < L; p++) {
      for (let c = 0; c < d; c++) {
        G[0][this.tokens[p] * d + c] += dx[p * d + c];
        G[1][p * d + c] += dx[p * d + c];
      }
    }
    return error;
  }

  zeroGradients(): void {
    for (const g of this.gradients) g.fill(0);
  }

  /** Adam (Kingma & Ba 2015) on the summed gradients divided by `batch`. */
  adam(rate: number, batch: number, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8): void {
    const tensors = this.tensors();
    this.moments ??= {
      m: tensors.map((t) => new Float64Array(t.length)),
      v: tensors.map((t) => new Float64Array(t.length)),
      t: 0,
    };
    const mo = this.moments;
    mo.t++;
    const c1 = 1 - beta1 ** mo.t;
    const c2 = 1 - beta2 ** mo.t;
    tensors.forEach((value, k) => {
      const g = this.gradients[k];
      const m = mo.m[k];
      const v = mo.v[k];
      for (let i = 0; i < value.length; i++) {
        const gi = g[i] / batch;
        m[i] = beta1 * m[i] + (1 - beta1) * gi;
        v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
        value[i] -= (rate * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + epsilon);
      }
    });
  }
}

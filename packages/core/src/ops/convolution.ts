/**
 * CONVOLUTION: k feature maps, each one kernel of size kw × kh × C shared by every position, and
 * one bias per map. Source shape [W, H, C], target shape [W', H', k] with
 * W' = floor((W + 2·px − kw) / sx) + 1 (zero padding px, stride sx; the same for heights).
 *
 * Eq. 15's Σ for target unit (x, y, m): b_m + Σ_{dy,dx,c} K[m, dy, dx, c] · y_src(x·sx − px + dx, y·sy − py + dy, c),
 * positions outside the source reading 0. Kernel layout: index ((m · kh + dy) · kw + dx) · C + c.
 */
import { describe, OpError } from '../errors.js';
import type { Layer } from '../layer.js';
import { randomWeight } from '../random.js';
import { type Shape, shapeText } from '../shape.js';
import { attachOp } from './attach.js';
import { Op, type OpDotEdge, type OpOptions, opTensor, shapeOf } from './op.js';

export interface ConvolutionOptions {
  /** [width, height] of the kernel */
  kernel: readonly [number, number] | readonly number[];
  /** step between positions: one number for both axes, or [x, y] (default 1) */
  stride?: number | readonly number[];
  /** zeros around the source: one number or [x, y] (default 0, "valid") */
  padding?: number | readonly number[];
}

interface Geometry {
  kw: number;
  kh: number;
  sx: number;
  sy: number;
  px: number;
  py: number;
}

function pair(value: unknown, fallback: number, what: string, min: number): [number, number] {
  const v = value === undefined ? fallback : value;
  const list = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(list) || list.length !== 2 || !list.every((n) => Number.isInteger(n) && n >= min))
    throw new OpError(
      `CONVOLUTION: ${what} must be ${min === 0 ? 'a non-negative' : 'a positive'} integer or a pair of them, got ${describe(value)}`,
    );
  return [list[0], list[1]];
}

function geometry(options: ConvolutionOptions): Geometry {
  if (options === null || typeof options !== 'object')
    throw new OpError('CONVOLUTION: options must be an object such as { kernel: [5, 5] }');
  const [kw, kh] = pair(options.kernel, Number.NaN, 'kernel', 1);
  const [sx, sy] = pair(options.stride, 1, 'stride', 1);
  const [px, py] = pair(options.padding, 0, 'padding', 0);
  return { kw, kh, sx, sy, px, py };
}

export class Convolution extends Op {
  readonly kind = 'CONVOLUTION';
  readonly geometry: Readonly<Geometry>;
  readonly from: Shape;
  readonly to: Shape;

  /**
   * The shape of the maps a convolution of `source` makes: `[W', H', maps]`. Throws an `OpError`
   * when the kernel does not fit.
   */
  static outputShape(source: Shape, options: ConvolutionOptions & { maps: number }): Shape {
    const g = geometry(options);
    if (!Number.isInteger(options.maps) || options.maps < 1)
      throw new OpError(
        `CONVOLUTION: the number of feature maps must be a positive integer, got ${describe(options.maps)}`,
      );
    const w = Math.floor((source[0] + 2 * g.px - g.kw) / g.sx) + 1;
    const h = Math.floor((source[1] + 2 * g.py - g.kh) / g.sy) + 1;
    if (w < 1 || h < 1)
      throw new OpError(
        `CONVOLUTION: a ${g.kw}×${g.kh} kernel (padding ${g.px}, ${g.py}) is larger than the ${source[0]}×${source[1]} field`,
      );
    return [w, h, options.maps];
  }

  /**
   * Convolves `source` (shaped [W, H, C]) into `target` (shaped [W', H', k]: k feature maps); the
   * target's shape must be `Convolution.outputShape(source.shape, { ...options, maps: k })`.
   * Kernels start uniform in ±0.1 (drawn as 1.x draws weights, see `setRandom`) and biases at 0;
   * `op.tensor('kernel').value` is live, to set them otherwise.
   */
  constructor(source: Layer, target: Layer, options: ConvolutionOptions) {
    const g = geometry(options);
    const from = shapeOf(source, 'source');
    const to = shapeOf(target, 'target');
    const expected = Convolution.outputShape(from, { ...options, maps: to[2] });
    if (expected[0] !== to[0] || expected[1] !== to[1])
      throw new OpError(
        `CONVOLUTION: a ${g.kw}×${g.kh} kernel with stride ${g.sx}, ${g.sy} and padding ${g.px}, ${g.py} over ${shapeText(from)} makes ${expected[0]}×${expected[1]} maps; the target is ${shapeText(to)}`,
      );
    const kernel = opTensor('kernel', to[2] * g.kh * g.kw * from[2]);
    for (let i = 0; i < kernel.value.length; i++) kernel.value[i] = randomWeight();
    super([source], target, [kernel, opTensor('bias', to[2])]);
    this.geometry = Object.freeze(g);
    this.from = from;
    this.to = to;
    attachOp(this);
  }

  override reset(): void {
    const kernel = this.tensors[0].value;
    for (let i = 0; i < kernel.length; i++) kernel[i] = randomWeight();
    this.tensors[1].value.fill(0);
  }

  /**
   * The positions a kernel tap (dy, dx) reads inside the source: output rows oy0..oy1 and columns
   * ox0..ox1 (empty when oy0 > oy1 or ox0 > ox1). The kernels loop tap by tap over these ranges, so
   * the inner loops have no bounds checks; each output still sums its taps in (dy, dx, c) order.
   * Batched execution (compile's im2col) reads its windows from here too.
   */
  range(dy: number, dx: number): [number, number, number, number] {
    const [W, H] = this.from;
    const [OW, OH] = this.to;
    const { sx, sy, px, py } = this.geometry;
    const oy0 = Math.max(0, Math.ceil((py - dy) / sy));
    const oy1 = Math.min(OH - 1, Math.floor((H - 1 + py - dy) / sy));
    const ox0 = Math.max(0, Math.ceil((px - dx) / sx));
    const ox1 = Math.min(OW - 1, Math.floor((W - 1 + px - dx) / sx));
    return [oy0, oy1, ox0, ox1];
  }

  /** per map, a plane of OW × OH numbers: the kernels' inner loops then run over contiguous memory */
  private planes: Float64Array | null = null;

  private planar(): Float64Array {
    const n = this.to[0] * this.to[1] * this.to[2];
    if (this.planes === null || this.planes.length !== n) this.planes = new Float64Array(n);
    return this.planes;
  }

  /** the source's activations as planes (one per channel); a single channel is its own plane */
  private sourcePlanes: Float64Array | null = null;

  private inputPlanes(x: Float64Array): Float64Array {
    const [W, H, C] = this.from;
    if (C === 1) return x;
    const n = W * H;
    if (this.sourcePlanes === null || this.sourcePlanes.length !== n * C) this.sourcePlanes = new Float64Array(n * C);
    const xp = this.sourcePlanes;
    for (let i = 0; i < n; i++) for (let c = 0; c < C; c++) xp[c * n + i] = x[i * C + c];
    return xp;
  }

  /** δ of the target (NHWC) laid out as planes, one per map. */
  private deltaPlanes(delta: Float64Array): Float64Array {
    const dp = this.planar();
    const [OW, OH, M] = this.to;
    const P = OW * OH;
    for (let p = 0; p < P; p++) for (let m = 0; m < M; m++) dp[m * P + p] = delta[p * M + m];
    return dp;
  }

  forward(inputs: readonly Float64Array[], state: Float64Array): void {
    const x = this.inputPlanes(inputs[0]);
    const K = this.tensors[0].value;
    const bias = this.tensors[1].value;
    const [W, H, C] = this.from;
    const [OW, OH, M] = this.to;
    const { kw, kh, sx, sy, px, py } = this.geometry;
    const P = OW * OH;
    const acc = this.planar();
    // s = b_m + Σ_{dy,dx,c} K x, summed per output in that order, then added to the state (eq. 15)
    for (let m = 0; m < M; m++) acc.fill(bias[m], m * P, (m + 1) * P);
    const plane = W * H;
    for (let m = 0; m < M; m++)
      for (let dy = 0; dy < kh; dy++)
        for (let dx = 0; dx < kw; dx++) {
          const [oy0, oy1, ox0, ox1] = this.range(dy, dx);
          if (ox0 > ox1) continue;
          for (let c = 0; c < C; c++) {
            const w = K[((m * kh + dy) * kw + dx) * C + c];
            for (let oy = oy0; oy <= oy1; oy++) {
              let a = m * P + oy * OW + ox0;
              const end = a + (ox1 - ox0) + 1;
              let b = c * plane + (oy * sy - py + dy) * W + ox0 * sx - px + dx;
              for (; a < end; a++, b += sx) acc[a] += w * x[b];
            }
          }
        }
    for (let p = 0; p < P; p++) for (let m = 0; m < M; m++) state[p * M + m] += acc[m * P + p];
  }

  backflow(_inputs: readonly Float64Array[], delta: Float64Array, errors: ReadonlyArray<Float64Array | null>): void {
    const into = errors[0];
    if (into === null) return;
    const K = this.tensors[0].value;
    const [W, , C] = this.from;
    const [OW, OH, M] = this.to;
    const { kw, kh, sx, sy, px, py } = this.geometry;
    const P = OW * OH;
    const dp = this.deltaPlanes(delta);
    const step = sx * C;
    // e_i += Σ δ_k K: tap by tap over the positions each tap reads
    for (let m = 0; m < M; m++)
      for (let dy = 0; dy < kh; dy++)
        for (let dx = 0; dx < kw; dx++) {
          const [oy0, oy1, ox0, ox1] = this.range(dy, dx);
          if (ox0 > ox1) continue;
          for (let c = 0; c < C; c++) {
            const w = K[((m * kh + dy) * kw + dx) * C + c];
            for (let oy = oy0; oy <= oy1; oy++) {
              let a = m * P + oy * OW + ox0;
              const end = a + (ox1 - ox0) + 1;
              let b = ((oy * sy - py + dy) * W + ox0 * sx - px + dx) * C + c;
              for (; a < end; a++, b += step) into[b] += dp[a] * w;
            }
          }
        }
  }

  accumulate(inputs: readonly Float64Array[], delta: Float64Array, into: readonly Float64Array[]): void {
    const x = this.inputPlanes(inputs[0]);
    const gK = into[0];
    const gb = into[1];
    const [W, H, C] = this.from;
    const [OW, OH, M] = this.to;
    const { kw, kh, sx, sy, px, py } = this.geometry;
    const P = OW * OH;
    const dp = this.deltaPlanes(delta);
    const plane = W * H;
    // ∂s/∂b_m = 1 over map m's units; ∂s/∂K[m, dy, dx, c] = the input each position reads through that tap
    for (let m = 0; m < M; m++) {
      let sum = 0;
      for (let a = m * P, end = a + P; a < end; a++) sum += dp[a];
      gb[m] += sum;
    }
    for (let m = 0; m < M; m++)
      for (let dy = 0; dy < kh; dy++)
        for (let dx = 0; dx < kw; dx++) {
          const [oy0, oy1, ox0, ox1] = this.range(dy, dx);
          if (ox0 > ox1) continue;
          for (let c = 0; c < C; c++) {
            let sum = 0;
            for (let oy = oy0; oy <= oy1; oy++) {
              let a = m * P + oy * OW + ox0;
              const end = a + (ox1 - ox0) + 1;
              let b = c * plane + (oy * sy - py + dy) * W + ox0 * sx - px + dx;
              for (; a < end; a++, b += sx) sum += dp[a] * x[b];
            }
            gK[((m * kh + dy) * kw + dx) * C + c] += sum;
          }
        }
  }

  options(): OpOptions {
    const { kw, kh, sx, sy, px, py } = this.geometry;
    return { kernel: [kw, kh], stride: [sx, sy], padding: [px, py] };
  }

  label(): string {
    const { kw, kh, sx, px } = this.geometry;
    return `conv ${kw}×${kh}${sx > 1 || this.geometry.sy > 1 ? ` stride ${sx}` : ''}${px > 0 || this.geometry.py > 0 ? ` pad ${px}` : ''}`;
  }

  dotEdges(): OpDotEdge[] {
    const edges: OpDotEdge[] = [];
    for (let c = 0; c < this.from[2]; c++)
      for (let m = 0; m < this.to[2]; m++) edges.push({ source: 0, sourceMap: c, targetMap: m });
    return edges;
  }
}

/** Rebuilds a convolution from its JSON options (registry.ts). */
export function convolutionFrom(sources: readonly Layer[], target: Layer, options: OpOptions): Convolution {
  if (sources.length !== 1) throw new OpError(`CONVOLUTION reads one source layer, got ${sources.length}`);
  return new Convolution(sources[0], target, options as unknown as ConvolutionOptions);
}

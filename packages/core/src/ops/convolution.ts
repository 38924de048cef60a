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

  forward(inputs: readonly Float64Array[], state: Float64Array): void {
    const x = inputs[0];
    const K = this.tensors[0].value;
    const bias = this.tensors[1].value;
    const [W, H, C] = this.from;
    const [OW, OH, M] = this.to;
    const { kw, kh, sx, sy, px, py } = this.geometry;
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const out = (oy * OW + ox) * M;
        for (let m = 0; m < M; m++) {
          let sum = bias[m];
          for (let dy = 0; dy < kh; dy++) {
            const iy = oy * sy - py + dy;
            if (iy < 0 || iy >= H) continue;
            for (let dx = 0; dx < kw; dx++) {
              const ix = ox * sx - px + dx;
              if (ix < 0 || ix >= W) continue;
              const xi = (iy * W + ix) * C;
              const ki = ((m * kh + dy) * kw + dx) * C;
              for (let c = 0; c < C; c++) sum += K[ki + c] * x[xi + c];
            }
          }
          state[out + m] += sum;
        }
      }
    }
  }

  backflow(_inputs: readonly Float64Array[], delta: Float64Array, errors: ReadonlyArray<Float64Array | null>): void {
    const into = errors[0];
    if (into === null) return;
    const K = this.tensors[0].value;
    const [W, H, C] = this.from;
    const [OW, OH, M] = this.to;
    const { kw, kh, sx, sy, px, py } = this.geometry;
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const out = (oy * OW + ox) * M;
        for (let m = 0; m < M; m++) {
          const d = delta[out + m];
          if (d === 0) continue;
          for (let dy = 0; dy < kh; dy++) {
            const iy = oy * sy - py + dy;
            if (iy < 0 || iy >= H) continue;
            for (let dx = 0; dx < kw; dx++) {
              const ix = ox * sx - px + dx;
              if (ix < 0 || ix >= W) continue;
              const xi = (iy * W + ix) * C;
              const ki = ((m * kh + dy) * kw + dx) * C;
              for (let c = 0; c < C; c++) into[xi + c] += d * K[ki + c];
            }
          }
        }
      }
    }
  }

  accumulate(inputs: readonly Float64Array[], delta: Float64Array, into: readonly Float64Array[]): void {
    const x = inputs[0];
    const gK = into[0];
    const gb = into[1];
    const [W, H, C] = this.from;
    const [OW, OH, M] = this.to;
    const { kw, kh, sx, sy, px, py } = this.geometry;
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const out = (oy * OW + ox) * M;
        for (let m = 0; m < M; m++) {
          const d = delta[out + m];
          gb[m] += d;
          if (d === 0) continue;
          for (let dy = 0; dy < kh; dy++) {
            const iy = oy * sy - py + dy;
            if (iy < 0 || iy >= H) continue;
            for (let dx = 0; dx < kw; dx++) {
              const ix = ox * sx - px + dx;
              if (ix < 0 || ix >= W) continue;
              const xi = (iy * W + ix) * C;
              const ki = ((m * kh + dy) * kw + dx) * C;
              for (let c = 0; c < C; c++) gK[ki + c] += d * x[xi + c];
            }
          }
        }
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

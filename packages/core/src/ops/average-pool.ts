/**
 * AVERAGE_POOL: each target unit (x, y, c) adds the mean activation of its window of channel c
 * (eq. 15's Σ for the op, every ∂s/∂y = 1 / (pw · ph)). No parameters.
 */
import { OpError } from '../errors.js';
import type { Layer } from '../layer.js';
import type { Shape } from '../shape.js';
import { attachOp } from './attach.js';
import { Op, type OpDotEdge, type OpOptions } from './op.js';
import { type PoolOptions, type PoolWindow, poolLayers, poolWindow } from './pool-window.js';

export class AveragePool extends Op {
  readonly kind = 'AVERAGE_POOL';
  readonly window: PoolWindow;
  readonly from: Shape;
  readonly to: Shape;

  constructor(source: Layer, target: Layer, options: PoolOptions) {
    const window = poolWindow('AVERAGE_POOL', options);
    const [from, to] = poolLayers('AVERAGE_POOL', source, target, options);
    super([source], target, []);
    this.window = window;
    this.from = from;
    this.to = to;
    attachOp(this);
  }

  forward(inputs: readonly Float64Array[], state: Float64Array): void {
    averagePoolForward(this.from, this.to, this.window, inputs[0], state);
  }

  backflow(_inputs: readonly Float64Array[], delta: Float64Array, errors: ReadonlyArray<Float64Array | null>): void {
    const into = errors[0];
    if (into !== null) averagePoolBackflow(this.from, this.to, this.window, delta, into);
  }

  accumulate(): void {}

  options(): OpOptions {
    const { pw, ph, sx, sy } = this.window;
    return { size: [pw, ph], stride: [sx, sy] };
  }

  label(): string {
    return `average pool ${this.window.pw}×${this.window.ph}`;
  }

  dotEdges(): OpDotEdge[] {
    return Array.from({ length: this.to[2] }, (_, c) => ({ source: 0, sourceMap: c, targetMap: c }));
  }
}

/**
 * AVERAGE_POOL's forward kernel: state[unit] += the window's mean, for source shape `from` and
 * target shape `to` (NHWC). Channels are pooled independently, so batched execution runs a whole
 * batch through it as one field with C · B channels (sample b of channel c at c·B + b).
 */
export function averagePoolForward(
  from: Shape,
  to: Shape,
  window: PoolWindow,
  x: Float64Array,
  state: Float64Array,
): void {
  const [W, , C] = from;
  const [OW, OH] = to;
  const { pw, ph, sx, sy } = window;
  const scale = 1 / (pw * ph);
  for (let oy = 0; oy < OH; oy++)
    for (let ox = 0; ox < OW; ox++)
      for (let c = 0; c < C; c++) {
        let sum = 0;
        for (let dy = 0; dy < ph; dy++) {
          const row = (oy * sy + dy) * W + ox * sx;
          for (let dx = 0; dx < pw; dx++) sum += x[(row + dx) * C + c];
        }
        state[(oy * OW + ox) * C + c] += sum * scale;
      }
}

/** AVERAGE_POOL's back-flow: each window unit gets δ / (pw · ph) of its target unit. */
export function averagePoolBackflow(
  from: Shape,
  to: Shape,
  window: PoolWindow,
  delta: Float64Array,
  into: Float64Array,
): void {
  const [W, , C] = from;
  const [OW, OH] = to;
  const { pw, ph, sx, sy } = window;
  const scale = 1 / (pw * ph);
  for (let oy = 0; oy < OH; oy++)
    for (let ox = 0; ox < OW; ox++)
      for (let c = 0; c < C; c++) {
        const d = delta[(oy * OW + ox) * C + c] * scale;
        for (let dy = 0; dy < ph; dy++) {
          const row = (oy * sy + dy) * W + ox * sx;
          for (let dx = 0; dx < pw; dx++) into[(row + dx) * C + c] += d;
        }
      }
}

export function averagePoolFrom(sources: readonly Layer[], target: Layer, options: OpOptions): AveragePool {
  if (sources.length !== 1) throw new OpError(`AVERAGE_POOL reads one source layer, got ${sources.length}`);
  return new AveragePool(sources[0], target, options as unknown as PoolOptions);
}

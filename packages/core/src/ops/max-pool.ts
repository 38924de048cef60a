/**
 * MAX_POOL: each target unit (x, y, c) adds the largest activation of its window of channel c
 * (eq. 15's Σ for the op). Its gradient is exact: ∂s/∂y is 1 at the window's arg-max (the first
 * in row-major order on ties) and 0 elsewhere. The arg-max is found again from the sources'
 * activations when errors flow back, so the op keeps no state between activate and propagate.
 * No parameters. (A layer function or gates could do this too; an op keeps it one kernel.)
 */
import { OpError } from '../errors.js';
import type { Layer } from '../layer.js';
import type { Shape } from '../shape.js';
import { attachOp } from './attach.js';
import { Op, type OpDotEdge, type OpOptions } from './op.js';
import { type PoolOptions, type PoolWindow, poolLayers, poolWindow } from './pool-window.js';

export class MaxPool extends Op {
  readonly kind = 'MAX_POOL';
  readonly window: PoolWindow;
  readonly from: Shape;
  readonly to: Shape;

  constructor(source: Layer, target: Layer, options: PoolOptions) {
    const window = poolWindow('MAX_POOL', options);
    const [from, to] = poolLayers('MAX_POOL', source, target, options);
    super([source], target, []);
    this.window = window;
    this.from = from;
    this.to = to;
    attachOp(this);
  }

  forward(inputs: readonly Float64Array[], state: Float64Array): void {
    maxPoolForward(this.from, this.to, this.window, inputs[0], state);
  }

  backflow(inputs: readonly Float64Array[], delta: Float64Array, errors: ReadonlyArray<Float64Array | null>): void {
    const into = errors[0];
    if (into !== null) maxPoolBackflow(this.from, this.to, this.window, inputs[0], delta, into);
  }

  accumulate(): void {}

  options(): OpOptions {
    const { pw, ph, sx, sy } = this.window;
    return { size: [pw, ph], stride: [sx, sy] };
  }

  label(): string {
    return `max pool ${this.window.pw}×${this.window.ph}`;
  }

  dotEdges(): OpDotEdge[] {
    return Array.from({ length: this.to[2] }, (_, c) => ({ source: 0, sourceMap: c, targetMap: c }));
  }
}

/**
 * The source index of the largest activation in the window of target unit (ox, oy, c): the first
 * in row-major order on ties.
 */
function argmax(from: Shape, window: PoolWindow, x: Float64Array, ox: number, oy: number, c: number): number {
  const [W, , C] = from;
  const { pw, ph, sx, sy } = window;
  let best = (oy * sy * W + ox * sx) * C + c;
  let max = x[best];
  for (let dy = 0; dy < ph; dy++) {
    const row = (oy * sy + dy) * W;
    for (let dx = 0; dx < pw; dx++) {
      const i = (row + ox * sx + dx) * C + c;
      if (x[i] > max) {
        max = x[i];
        best = i;
      }
    }
  }
  return best;
}

/**
 * MAX_POOL's forward kernel: state[unit] += the window's largest activation, for source shape
 * `from` and target shape `to` (NHWC). Channels are pooled independently, so batched execution
 * runs a whole batch through it as one field with C · B channels (sample b of channel c at c·B + b).
 */
export function maxPoolForward(from: Shape, to: Shape, window: PoolWindow, x: Float64Array, state: Float64Array): void {
  const [OW, OH, C] = to;
  for (let oy = 0; oy < OH; oy++)
    for (let ox = 0; ox < OW; ox++)
      for (let c = 0; c < C; c++) state[(oy * OW + ox) * C + c] += x[argmax(from, window, x, ox, oy, c)];
}

/** MAX_POOL's back-flow: into[arg-max] += δ of each target unit (the arg-max found again from x). */
export function maxPoolBackflow(
  from: Shape,
  to: Shape,
  window: PoolWindow,
  x: Float64Array,
  delta: Float64Array,
  into: Float64Array,
): void {
  const [OW, OH, C] = to;
  for (let oy = 0; oy < OH; oy++)
    for (let ox = 0; ox < OW; ox++)
      for (let c = 0; c < C; c++) into[argmax(from, window, x, ox, oy, c)] += delta[(oy * OW + ox) * C + c];
}

export function maxPoolFrom(sources: readonly Layer[], target: Layer, options: OpOptions): MaxPool {
  if (sources.length !== 1) throw new OpError(`MAX_POOL reads one source layer, got ${sources.length}`);
  return new MaxPool(sources[0], target, options as unknown as PoolOptions);
}

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
    const x = inputs[0];
    const [W, , C] = this.from;
    const [OW, OH] = this.to;
    const { pw, ph, sx, sy } = this.window;
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

  backflow(_inputs: readonly Float64Array[], delta: Float64Array, errors: ReadonlyArray<Float64Array | null>): void {
    const into = errors[0];
    if (into === null) return;
    const [W, , C] = this.from;
    const [OW, OH] = this.to;
    const { pw, ph, sx, sy } = this.window;
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

export function averagePoolFrom(sources: readonly Layer[], target: Layer, options: OpOptions): AveragePool {
  if (sources.length !== 1) throw new OpError(`AVERAGE_POOL reads one source layer, got ${sources.length}`);
  return new AveragePool(sources[0], target, options as unknown as PoolOptions);
}

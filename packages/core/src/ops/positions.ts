/**
 * POSITIONS: a sequence plus positional encodings. Source and target are shaped `[length, 1, d]`;
 * the target's state gets s_{p,c} += y_{p,c} + P_{p,c}, where P (`op.tensor('positions')`) is
 * learned (starting uniform in ±0.1) or the fixed sinusoids of kernels/positions.ts (a fully fixed
 * tensor: no parameter). The back-flow is the identity and ∂E/∂P = ∂E/∂s.
 */
import { describe, OpError } from '../errors.js';
import type { Layer } from '../layer.js';
import { randomWeight } from '../random.js';
import { attachOp } from './attach.js';
import { sinusoidalPositions } from './kernels/positions.js';
import { Op, type OpDotEdge, type OpOptions, opTensor, shapeOf } from './op.js';

export interface PositionsOptions {
  /** 'learned' (default): trained encodings; 'sinusoidal': Vaswani et al.'s fixed ones */
  encoding?: 'learned' | 'sinusoidal';
}

export class Positions extends Op {
  readonly kind = 'POSITIONS';
  readonly encoding: 'learned' | 'sinusoidal';

  constructor(source: Layer, target: Layer, options: PositionsOptions = {}) {
    if (options === null || typeof options !== 'object')
      throw new OpError("POSITIONS: options must be an object such as { encoding: 'sinusoidal' }");
    const from = shapeOf(source, 'source');
    const to = shapeOf(target, 'target');
    if (to[1] !== 1 || from[0] !== to[0] || from[1] !== 1 || from[2] !== to[2])
      throw new OpError(
        `POSITIONS: source and target must be the same sequence shape [length, 1, d], got [${from.join(', ')}] and [${to.join(', ')}]`,
      );
    const encoding = options.encoding ?? 'learned';
    if (encoding !== 'learned' && encoding !== 'sinusoidal')
      throw new OpError(`POSITIONS: encoding must be 'learned' or 'sinusoidal', got ${describe(encoding)}`);
    const positions = opTensor('positions', to[0] * to[2]);
    super([source], target, [positions]);
    this.encoding = encoding;
    this.reset();
    attachOp(this);
  }

  override reset(): void {
    const t = this.tensors[0];
    if (this.encoding === 'sinusoidal') {
      sinusoidalPositions(this.target.shape![0], this.target.shape![2], t.value);
      t.fixed = new Uint8Array(t.value.length).fill(1);
    } else for (let i = 0; i < t.value.length; i++) t.value[i] = randomWeight();
  }

  forward(inputs: readonly Float64Array[], state: Float64Array): void {
    const x = inputs[0];
    const p = this.tensors[0].value;
    for (let i = 0; i < p.length; i++) state[i] += x[i] + p[i];
  }

  backflow(_inputs: readonly Float64Array[], delta: Float64Array, errors: ReadonlyArray<Float64Array | null>): void {
    const into = errors[0];
    if (into === null) return;
    for (let i = 0; i < delta.length; i++) into[i] += delta[i];
  }

  accumulate(_inputs: readonly Float64Array[], delta: Float64Array, into: readonly Float64Array[]): void {
    const g = into[0];
    for (let i = 0; i < g.length; i++) g[i] += delta[i];
  }

  options(): OpOptions {
    return { sinusoidal: this.encoding === 'sinusoidal' ? 1 : 0 };
  }

  label(): string {
    return `+ ${this.encoding} positions`;
  }

  dotEdges(): OpDotEdge[] {
    const d = this.target.shape![2];
    return Array.from({ length: d }, (_, c) => ({ source: 0, sourceMap: c, targetMap: c }));
  }
}

/** Rebuilds a positions op from its JSON options (registry.ts). */
export function positionsFrom(sources: readonly Layer[], target: Layer, options: OpOptions): Positions {
  if (sources.length !== 1) throw new OpError(`POSITIONS reads one source layer, got ${sources.length}`);
  const { sinusoidal } = options;
  if (sinusoidal !== undefined && sinusoidal !== 0 && sinusoidal !== 1)
    throw new OpError(`POSITIONS: sinusoidal must be 0 or 1 in JSON, got ${describe(sinusoidal)}`);
  return new Positions(sources[0], target, { encoding: sinusoidal === 1 ? 'sinusoidal' : 'learned' });
}

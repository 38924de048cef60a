/**
 * The window geometry pooling kinds share: a pw × ph window moved by a stride (by default the
 * window's size, so windows tile the maps), over each channel on its own. Source [W, H, C], target
 * [W', H', C] with W' = floor((W − pw) / sx) + 1.
 */
import { describe, OpError } from '../errors.js';
import type { Layer } from '../layer.js';
import { type Shape, shapeText } from '../shape.js';
import { shapeOf } from './op.js';

export interface PoolOptions {
  /** [width, height] of the window */
  size: readonly [number, number] | readonly number[];
  /** one number or [x, y]; default the window's size */
  stride?: number | readonly number[];
}

export interface PoolWindow {
  readonly pw: number;
  readonly ph: number;
  readonly sx: number;
  readonly sy: number;
}

function pair(kind: string, value: unknown, fallback: readonly number[] | null, what: string): [number, number] {
  const v = value === undefined ? fallback : value;
  const list = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(list) || list.length !== 2 || !list.every((n) => Number.isInteger(n) && n >= 1))
    throw new OpError(`${kind}: ${what} must be a positive integer or a pair of them, got ${describe(value)}`);
  return [list[0], list[1]];
}

export function poolWindow(kind: string, options: PoolOptions): PoolWindow {
  if (options === null || typeof options !== 'object')
    throw new OpError(`${kind}: options must be an object such as { size: [2, 2] }`);
  const [pw, ph] = pair(kind, options.size, null, 'size');
  const [sx, sy] = pair(kind, options.stride, [pw, ph], 'stride');
  return Object.freeze({ pw, ph, sx, sy });
}

/** The shape pooling `source` makes, or an `OpError` when the window is larger than the maps. */
export function poolShape(kind: string, source: Shape, options: PoolOptions): Shape {
  const { pw, ph, sx, sy } = poolWindow(kind, options);
  if (pw > source[0] || ph > source[1])
    throw new OpError(`${kind}: a ${pw}×${ph} window is larger than the ${source[0]}×${source[1]} maps`);
  return [Math.floor((source[0] - pw) / sx) + 1, Math.floor((source[1] - ph) / sy) + 1, source[2]];
}

/** Checks the layers of a pooling op: the target has the shape pooling the source makes. */
export function poolLayers(kind: string, source: Layer, target: Layer, options: PoolOptions): [Shape, Shape] {
  const from = shapeOf(source, 'source');
  const to = shapeOf(target, 'target');
  const expected = poolShape(kind, from, options);
  if (expected[0] !== to[0] || expected[1] !== to[1] || expected[2] !== to[2])
    throw new OpError(
      `${kind}: pooling ${shapeText(from)} makes ${shapeText(expected)}; the target is ${shapeText(to)}`,
    );
  return [from, to];
}

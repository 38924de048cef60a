import { describe, InvalidArgumentError } from './errors.js';

/**
 * The shape of a layer's units: `[width, height, channels]`, laid out row-major with channels last
 * (NHWC, as tfjs): the unit at (x, y, c) is index (y * width + x) * channels + c. A sequence of
 * `length` vectors of size d is `[length, 1, d]`.
 */
export type Shape = readonly [width: number, height: number, channels: number];

/** Checks a shape given as `[width, height]` or `[width, height, channels]` (channels default 1). */
export function toShape(value: unknown, what = 'shape'): Shape {
  if (!Array.isArray(value) || value.length < 2 || value.length > 3)
    throw new InvalidArgumentError(
      `${what} must be [width, height] or [width, height, channels], got ${describe(value)}`,
    );
  const [w, h, c = 1] = value as unknown[];
  for (const [name, v] of [
    ['width', w],
    ['height', h],
    ['channels', c],
  ] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
      throw new InvalidArgumentError(`${what}: ${name} must be a positive integer, got ${describe(v)}`);
  }
  return Object.freeze([w as number, h as number, c as number]) as Shape;
}

export function shapeSize(shape: Shape): number {
  return shape[0] * shape[1] * shape[2];
}

export function shapeText(shape: Shape): string {
  return `${shape[0]}×${shape[1]}×${shape[2]}`;
}

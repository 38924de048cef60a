import { describe, expect, it } from 'vitest';
import { toMnist } from '../src/lib/mnist-input.js';

/** A width x height drawing with ink in the rectangle [x0, x1) x [y0, y1). */
function drawing(width: number, height: number, x0: number, x1: number, y0: number, y1: number): Float64Array {
  const ink = new Float64Array(width * height);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) ink[y * width + x] = 1;
  return ink;
}

function centre(image: number[]): { x: number; y: number; mass: number } {
  let x = 0;
  let y = 0;
  let mass = 0;
  image.forEach((v, p) => {
    mass += v;
    x += v * (p % 28);
    y += v * Math.floor(p / 28);
  });
  return { x: x / mass, y: y / mass, mass };
}

describe('a drawing made into an MNIST digit', () => {
  it('is nothing when nothing is drawn', () => {
    expect(toMnist(new Float64Array(100 * 100), 100, 100)).toBeNull();
  });

  it('scales the ink into 20x20 and centres it by its centre of mass, as MNIST was made', () => {
    // a tall bar in the top-left corner of a 196x196 pad
    const image = toMnist(drawing(196, 196, 10, 30, 5, 105), 196, 196)!;
    expect(image).toHaveLength(784);
    expect(image.every((v) => v >= 0 && v <= 1)).toBe(true);
    const { x, y } = centre(image);
    expect(Math.abs(x - 14)).toBeLessThanOrEqual(1);
    expect(Math.abs(y - 14)).toBeLessThanOrEqual(1);
    // the bar's height becomes 20 pixels
    const rows = new Set(image.flatMap((v, p) => (v > 0 ? [Math.floor(p / 28)] : [])));
    expect(rows.size).toBe(20);
  });
});

const size = 28;
const AREA = size * size;

/**
 * A drawing (gray values in [0, 1], `width` x `height`) made to look like an MNIST digit: its ink's
 * bounding box scaled into 20x20 and centred by its centre of mass in 28x28, as MNIST was prepared.
 * Null when nothing is drawn.
 */
export function toMnist(ink: Float64Array, width: number, height: number): number[] | null {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (ink[y * width + x] > 0.05) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
  if (x1 < 0) return null;
  const box = Math.max(x1 - x0 + 1, y1 - y0 + 1);
  const scale = 20 / box;
  const small = new Float64Array(AREA);
  const count = new Float64Array(AREA);
  const ox = (box - (x1 - x0 + 1)) / 2;
  const oy = (box - (y1 - y0 + 1)) / 2;
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) {
      const sx = Math.min(19, Math.floor((x - x0 + ox) * scale));
      const sy = Math.min(19, Math.floor((y - y0 + oy) * scale));
      const p = (sy + 4) * size + (sx + 4);
      small[p] += ink[y * width + x];
      count[p] += 1;
    }
  let mx = 0;
  let my = 0;
  let mass = 0;
  for (let p = 0; p < AREA; p++) {
    if (count[p]) small[p] /= count[p];
    mass += small[p];
    mx += small[p] * (p % size);
    my += small[p] * Math.floor(p / size);
  }
  const dx = Math.round(size / 2 - mx / mass);
  const dy = Math.round(size / 2 - my / mass);
  const out = new Array<number>(AREA).fill(0);
  for (let p = 0; p < AREA; p++) {
    const x = (p % size) + dx;
    const y = Math.floor(p / size) + dy;
    if (x >= 0 && x < size && y >= 0 && y < size) out[y * size + x] = Math.min(1, small[p]);
  }
  return out;
}

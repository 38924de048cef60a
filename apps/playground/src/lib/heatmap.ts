import type { NetworkSnapshot } from './snapshot.js';

/** Blue for negative, white for 0, red for positive: `v` in [-1, 1]. */
export function diverging(v: number): [number, number, number] {
  const t = Math.max(-1, Math.min(1, v));
  if (t >= 0) return [255, Math.round(255 * (1 - t)), Math.round(255 * (1 - t))];
  return [Math.round(255 * (1 + t)), Math.round(255 * (1 + t)), 255];
}

/**
 * Draws `values` (row-major, `rows` x `cols`) as one pixel per value, scaled by the largest
 * magnitude, into a canvas that CSS enlarges without smoothing.
 */
export function drawMatrix(canvas: HTMLCanvasElement, values: ArrayLike<number>, rows: number, cols: number): number {
  canvas.width = cols;
  canvas.height = rows;
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  const scale = max > 0 ? 1 / max : 0;
  const context = canvas.getContext('2d')!;
  const image = context.createImageData(cols, rows);
  for (let i = 0; i < rows * cols; i++) {
    const [r, g, b] = diverging((values[i] ?? 0) * scale);
    image.data.set([r, g, b, 255], i * 4);
  }
  context.putImageData(image, 0, 0);
  return max;
}

/** Rows and columns for `n` units: one row when few, else close to a square. */
export function gridOf(n: number): { rows: number; cols: number } {
  if (n <= 32) return { rows: 1, cols: n };
  const cols = Math.ceil(Math.sqrt(n));
  return { rows: Math.ceil(n / cols), cols };
}

function figure(parent: HTMLElement, caption: string, rows: number, cols: number, maxWidth: number) {
  const box = document.createElement('figure');
  box.className = 'heat';
  const canvas = document.createElement('canvas');
  // at most 8 px a value, and never wider than maxWidth (a 784-wide block is shrunk to fit)
  const cell = Math.min(8, maxWidth / cols);
  canvas.style.width = `${Math.round(cols * cell)}px`;
  canvas.style.height = `${Math.max(Math.round(rows * cell), 4)}px`;
  const label = document.createElement('figcaption');
  box.append(canvas, label);
  parent.append(box);
  return { canvas, label, caption };
}

/** `rows` weight vectors of `side * side` values laid out as square tiles, a pixel apart. */
function tiles(
  weights: Float64Array,
  rows: number,
  side: number,
): { values: Float64Array; rows: number; cols: number } {
  const across = Math.ceil(Math.sqrt(rows));
  const down = Math.ceil(rows / across);
  const cols = across * (side + 1) - 1;
  const height = down * (side + 1) - 1;
  const values = new Float64Array(cols * height);
  for (let r = 0; r < rows; r++) {
    const left = (r % across) * (side + 1);
    const top = Math.floor(r / across) * (side + 1);
    for (let y = 0; y < side; y++)
      for (let x = 0; x < side; x++) values[(top + y) * cols + left + x] = weights[r * side * side + y * side + x];
  }
  return { values, rows: height, cols };
}

/** Heatmaps of every layer's activations and of every weight block between layers. */
export class Heatmaps {
  constructor(
    private readonly activations: HTMLElement,
    private readonly weights: HTMLElement,
  ) {}

  draw(snap: NetworkSnapshot): void {
    this.activations.replaceChildren();
    for (const layer of snap.layers) {
      const { rows, cols } = gridOf(layer.units.length);
      const values = layer.units.map((u) => snap.activation[u]);
      const f = figure(this.activations, layer.name, rows, cols, 340);
      const max = drawMatrix(f.canvas, values, rows, cols);
      f.label.textContent = `${layer.name}: ${layer.units.length} units (max |a| ${max.toPrecision(2)})`;
    }
    this.weights.replaceChildren();
    // many blocks (LSTMs): two narrow columns instead of one long one
    this.weights.classList.toggle('compact', snap.blocks.length > 3);
    for (const block of snap.blocks) {
      const rows = block.to.units.length;
      const cols = block.from.units.length;
      const side = Math.round(Math.sqrt(cols));
      // from a square image (MNIST's 28x28): each unit's incoming weights as a tile of that image
      const tiled = side >= 8 && side * side === cols ? tiles(block.weights, rows, side) : null;
      const shape = tiled ?? { values: block.weights, rows, cols };
      const f = figure(this.weights, '', shape.rows, shape.cols, snap.blocks.length > 3 ? 160 : 340);
      const max = drawMatrix(f.canvas, shape.values, shape.rows, shape.cols);
      const name = block.from === block.to ? `${block.from.name} (recurrent)` : `${block.from.name} → ${block.to.name}`;
      f.label.textContent = `${name}: ${rows}×${cols} (max |w| ${max.toPrecision(2)})`;
    }
  }
}

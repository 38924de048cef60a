/** Fills `canvas` pixel by pixel with `f(x, y)` in [0, 1] (gray), x and y from 0 to 1. */
export function drawField(canvas: HTMLCanvasElement, f: (x: number, y: number) => number): void {
  const { width, height } = canvas;
  const context = canvas.getContext('2d')!;
  const image = context.createImageData(width, height);
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const v = Math.round(255 * Math.max(0, Math.min(1, f(i / (width - 1), j / (height - 1)))));
      image.data.set([v, v, v, 255], (j * width + i) * 4);
    }
  }
  context.putImageData(image, 0, 0);
}

/** Draws RGB values in [0, 1] (`pixels[3 * (j * width + i) + c]`) into `canvas`. */
export function drawRGB(canvas: HTMLCanvasElement, pixels: ArrayLike<number>, width: number, height: number): void {
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  const image = context.createImageData(width, height);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) image.data[p * 4 + c] = Math.round(255 * Math.max(0, Math.min(1, pixels[p * 3 + c])));
    image.data[p * 4 + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}

/** Draws gray values in [0, 1] into `canvas`. */
export function drawGray(canvas: HTMLCanvasElement, pixels: ArrayLike<number>, width: number, height: number): void {
  const rgb = new Float64Array(width * height * 3);
  for (let p = 0; p < width * height; p++) rgb[p * 3] = rgb[p * 3 + 1] = rgb[p * 3 + 2] = pixels[p];
  drawRGB(canvas, rgb, width, height);
}

/** A canvas shown `scale` times larger, in a figure with a caption. */
export function figureCanvas(parent: HTMLElement, caption: string, scale: number): HTMLCanvasElement {
  const figure = document.createElement('figure');
  const canvas = document.createElement('canvas');
  const label = document.createElement('figcaption');
  label.textContent = caption;
  figure.append(canvas, label);
  parent.append(figure);
  canvas.dataset.scale = String(scale);
  return canvas;
}

/** Sets a canvas's CSS size from its pixel size and its `data-scale`. */
export function fitCanvas(canvas: HTMLCanvasElement): void {
  const scale = Number(canvas.dataset.scale ?? 1);
  canvas.style.width = `${canvas.width * scale}px`;
  canvas.style.height = `${canvas.height * scale}px`;
}

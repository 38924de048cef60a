/**
 * The picture the image demos learn from, drawn by formula (nothing is loaded): a sky, a sun,
 * two hills and a house. Returns RGB in [0, 1], row by row.
 */
export function picture(width: number, height: number): Float64Array {
  const out = new Float64Array(width * height * 3);
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const x = i / width;
      const y = j / height;
      let rgb: [number, number, number] = [0.45 + 0.4 * y, 0.65 + 0.25 * y, 0.95];
      if ((x - 0.75) ** 2 + (y - 0.22) ** 2 < 0.012) rgb = [1, 0.85, 0.2];
      const hill1 = 0.62 + 0.08 * Math.sin(x * 5.5);
      const hill2 = 0.72 + 0.06 * Math.cos(x * 4 + 1);
      if (y > hill1) rgb = [0.25, 0.6, 0.25];
      if (y > hill2) rgb = [0.15, 0.45, 0.18];
      if (x > 0.2 && x < 0.42 && y > 0.5 && y < 0.72) rgb = [0.8, 0.3, 0.25];
      if (y <= 0.5 && y > 0.36 && Math.abs(x - 0.31) < (y - 0.36) * 0.9) rgb = [0.45, 0.2, 0.15];
      if (x > 0.28 && x < 0.34 && y > 0.6 && y < 0.72) rgb = [0.3, 0.18, 0.1];
      out.set(rgb, (j * width + i) * 3);
    }
  }
  return out;
}

/** The luminance of an RGB picture. */
export function grayscale(rgb: Float64Array): Float64Array {
  const out = new Float64Array(rgb.length / 3);
  for (let p = 0; p < out.length; p++) out[p] = 0.299 * rgb[p * 3] + 0.587 * rgb[p * 3 + 1] + 0.114 * rgb[p * 3 + 2];
  return out;
}

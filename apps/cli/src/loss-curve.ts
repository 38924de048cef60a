/**
 * A loss curve for the terminal: the values left to right (resampled to `width` columns), the
 * largest at the top, each column a dot at its value's row, with the scale on the left and the
 * x range below. Only finite values are drawn.
 */
export function lossCurve(
  values: readonly number[],
  options: { width?: number; height?: number; label?: string } = {},
): string {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return '';
  const width = Math.max(2, Math.min(options.width ?? 60, Math.max(values.length, 2)));
  const height = Math.max(2, options.height ?? 8);
  const max = Math.max(...finite);
  const min = Math.min(...finite);
  const span = max - min || 1;
  // column c shows the mean of the values that fall in it
  const columns: number[] = [];
  for (let c = 0; c < width; c++) {
    const from = Math.floor((c * values.length) / width);
    const to = Math.max(from + 1, Math.floor(((c + 1) * values.length) / width));
    const slice = values.slice(from, to).filter((v) => Number.isFinite(v));
    columns.push(slice.length ? slice.reduce((a, b) => a + b, 0) / slice.length : Number.NaN);
  }
  const rowOf = (v: number) => Math.round(((max - v) / span) * (height - 1));
  const grid = Array.from({ length: height }, () => new Array<string>(width).fill(' '));
  columns.forEach((v, c) => {
    if (Number.isFinite(v)) grid[rowOf(v)][c] = '•';
  });
  const labels = grid.map((_, r) => (r === 0 ? format(max) : r === height - 1 ? format(min) : ''));
  const pad = Math.max(...labels.map((l) => l.length));
  const lines = grid.map((row, r) => `${labels[r].padStart(pad)} ┤${row.join('')}`);
  lines.push(`${' '.repeat(pad)} └${'─'.repeat(width)}`);
  const x = options.label ?? `1 … ${values.length}`;
  lines.push(`${' '.repeat(pad + 2)}${x}`);
  return lines.join('\n');
}

function format(v: number): string {
  return Math.abs(v) >= 100 || v === 0 ? v.toFixed(0) : v.toPrecision(3);
}

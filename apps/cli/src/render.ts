/** Plain-text rendering for the terminal: tables, confusion matrices, MNIST digits. */

/** Columns padded to their widest cell; numbers (and headers of number columns) right-aligned. */
export function table(headers: string[], rows: string[][], rightAligned: boolean[] = headers.map(() => false)): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => (rightAligned[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * A confusion matrix: one row per actual class, one column per predicted class, and each row's
 * share of correct answers.
 */
export function confusionMatrix(confusion: number[][], labels: string[]): string {
  const headers = ['actual \\ predicted', ...labels, 'correct'];
  const rows = confusion.map((row, a) => {
    const total = row.reduce((s, n) => s + n, 0);
    return [labels[a], ...row.map(String), total ? `${((100 * row[a]) / total).toFixed(1)}%` : '-'];
  });
  return table(
    headers,
    rows,
    headers.map((_, c) => c > 0),
  );
}

const SIDE = 28;
const CROP = 4;

/**
 * One 28x28 digit (784 values in [0, 1]) as 10 lines of 20 characters: the 4-pixel margin is
 * cropped, and each character shows two pixel rows with half blocks (▀ ▄ █), faint strokes as ░.
 */
export function digitLines(pixels: ArrayLike<number>): string[] {
  const at = (x: number, y: number): number => pixels[y * SIDE + x] ?? 0;
  const lines: string[] = [];
  for (let y = CROP; y < SIDE - CROP; y += 2) {
    let line = '';
    for (let x = CROP; x < SIDE - CROP; x++) {
      const top = at(x, y);
      const bottom = at(x, y + 1);
      if (top >= 0.5 && bottom >= 0.5) line += '█';
      else if (top >= 0.5) line += '▀';
      else if (bottom >= 0.5) line += '▄';
      else if (Math.max(top, bottom) >= 0.2) line += '░';
      else line += ' ';
    }
    lines.push(line);
  }
  return lines;
}

export interface DrawnDigit {
  pixels: ArrayLike<number>;
  label: number;
  predicted: number;
}

/** Digits side by side, framed, each with its label and the network's answer. */
export function drawDigits(digits: DrawnDigit[], perRow = 3): string {
  const width = SIDE - 2 * CROP;
  const blocks = digits.map((d) => {
    const verdict = d.predicted === d.label ? 'right' : 'WRONG';
    const caption = ` ${d.label} -> net says ${d.predicted} ${verdict}`.slice(0, width + 2).padEnd(width + 2);
    return [
      '┌' + '─'.repeat(width) + '┐',
      ...digitLines(d.pixels).map((l) => `│${l}│`),
      '└' + '─'.repeat(width) + '┘',
      caption,
    ];
  });
  const out: string[] = [];
  for (let i = 0; i < blocks.length; i += perRow) {
    const row = blocks.slice(i, i + perRow);
    for (let k = 0; k < row[0].length; k++)
      out.push(
        row
          .map((b) => b[k])
          .join('  ')
          .trimEnd(),
      );
  }
  return out.join('\n');
}

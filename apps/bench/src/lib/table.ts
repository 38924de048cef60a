export type Align = 'left' | 'right';

export interface Table {
  headers: string[];
  rows: string[][];
  /** Per column; defaults to left for the first column, right for the others. */
  align?: Align[];
}

function alignOf(table: Table, column: number): Align {
  return table.align?.[column] ?? (column === 0 ? 'left' : 'right');
}

function pad(text: string, width: number, align: Align): string {
  return align === 'right' ? text.padStart(width) : text.padEnd(width);
}

function widths(table: Table): number[] {
  return table.headers.map((header, column) =>
    Math.max(header.length, ...table.rows.map((row) => (row[column] ?? '').length)),
  );
}

/** A plain-text table for the console. */
export function renderTextTable(table: Table): string {
  const w = widths(table);
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) => pad(cell, w[column], alignOf(table, column)))
      .join('  ')
      .trimEnd();
  const rule = w.map((n) => '-'.repeat(n)).join('  ');
  return [line(table.headers), rule, ...table.rows.map((row) => line(table.headers.map((_, c) => row[c] ?? '')))].join(
    '\n',
  );
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** A GitHub-flavoured markdown table. */
export function renderMarkdownTable(table: Table): string {
  const row = (cells: string[]): string => `| ${cells.map(escapeCell).join(' | ')} |`;
  const rule = table.headers.map((_, column) => (alignOf(table, column) === 'right' ? '---:' : '---'));
  return [
    row(table.headers),
    `| ${rule.join(' | ')} |`,
    ...table.rows.map((r) => row(table.headers.map((_, c) => r[c] ?? ''))),
  ].join('\n');
}

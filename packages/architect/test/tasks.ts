/** Seeded sequence tasks for the Transformer: reverse, sort, 4×4 Sudoku; token accuracy. */
import { mulberry32 } from '@synaptic/core';

export interface TokenSample {
  input: number[];
  output: number[];
  /** the target class per position */
  classes: number[];
}

export function oneHotRows(classes: readonly number[], count: number): number[] {
  const out = new Array<number>(classes.length * count).fill(0);
  classes.forEach((c, p) => {
    out[p * count + c] = 1;
  });
  return out;
}

/** `n` random sequences of `length` tokens below `vocab`, mapped by `task`, none in `exclude` (keys). */
export function sequenceSet(
  n: number,
  length: number,
  vocab: number,
  task: (x: number[]) => number[],
  seed: number,
  exclude: ReadonlySet<string> = new Set(),
): TokenSample[] {
  const random = mulberry32(seed);
  const out: TokenSample[] = [];
  while (out.length < n) {
    const input = Array.from({ length }, () => Math.floor(random() * vocab));
    if (exclude.has(input.join())) continue;
    const classes = task(input);
    out.push({ input, output: oneHotRows(classes, vocab), classes });
  }
  return out;
}

export const reverse = (x: number[]): number[] => [...x].reverse();
export const sort = (x: number[]): number[] => [...x].sort((a, b) => a - b);

/** The share of positions whose most probable class is the target's. */
export function tokenAccuracy(
  activate: (input: number[]) => number[],
  set: readonly TokenSample[],
  classes: number,
  positions?: (sample: TokenSample) => number[],
): number {
  let right = 0;
  let total = 0;
  for (const sample of set) {
    const y = activate(sample.input);
    const where = positions ? positions(sample) : sample.classes.map((_, p) => p);
    for (const p of where) {
      let best = 0;
      for (let k = 1; k < classes; k++) if (y[p * classes + k] > y[p * classes + best]) best = k;
      if (best === sample.classes[p]) right++;
      total++;
    }
  }
  return right / total;
}

/** Every 4×4 Sudoku solution grid (digits 0..3, row-major): 288 of them. */
export function sudokuGrids(): number[][] {
  const grids: number[][] = [];
  const grid = new Array<number>(16).fill(-1);
  const fill = (cell: number): void => {
    if (cell === 16) {
      grids.push(grid.slice());
      return;
    }
    for (let digit = 0; digit < 4; digit++) {
      if (sudokuAllows(grid, cell, digit)) {
        grid[cell] = digit;
        fill(cell + 1);
        grid[cell] = -1;
      }
    }
  };
  fill(0);
  return grids;
}

/** Whether `digit` may go in `cell` (row, column and 2×2 box free of it); −1 marks an empty cell. */
function sudokuAllows(grid: readonly number[], cell: number, digit: number): boolean {
  const r = cell >> 2;
  const c = cell & 3;
  for (let k = 0; k < 4; k++) {
    if (k !== c && grid[r * 4 + k] === digit) return false;
    if (k !== r && grid[k * 4 + c] === digit) return false;
    const br = (r & 2) + (k >> 1);
    const bc = (c & 2) + (k & 1);
    if ((br !== r || bc !== c) && grid[br * 4 + bc] === digit) return false;
  }
  return true;
}

/** How many solutions a puzzle has (−1 = empty), stopping at 2. */
function solutions(grid: number[]): number {
  const cell = grid.indexOf(-1);
  if (cell < 0) return 1;
  let count = 0;
  for (let digit = 0; digit < 4 && count < 2; digit++) {
    if (!sudokuAllows(grid, cell, digit)) continue;
    grid[cell] = digit;
    count += solutions(grid);
    grid[cell] = -1;
  }
  return count;
}

/**
 * Puzzles from `grids`: `blanks` cells emptied at random while the solution stays unique. Tokens:
 * 0 = empty, 1..4 = digits 0..3; the target is the solution's digit at every cell.
 */
export function sudokuSet(grids: readonly number[][], perGrid: number, blanks: number, seed: number): TokenSample[] {
  const random = mulberry32(seed);
  const out: TokenSample[] = [];
  for (const solution of grids) {
    for (let n = 0; n < perGrid; n++) {
      const puzzle = solution.slice();
      const order = Array.from({ length: 16 }, (_, i) => i);
      for (let i = 15; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      let removed = 0;
      for (const cell of order) {
        if (removed === blanks) break;
        const keep = puzzle[cell];
        puzzle[cell] = -1;
        if (solutions(puzzle.slice()) === 1) removed++;
        else puzzle[cell] = keep;
      }
      out.push({ input: puzzle.map((d) => d + 1), output: oneHotRows(solution, 4), classes: solution.slice() });
    }
  }
  return out;
}

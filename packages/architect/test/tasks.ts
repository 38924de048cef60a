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

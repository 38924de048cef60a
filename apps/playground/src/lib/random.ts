import { mulberry32 } from '@synaptic/core';

/** A seeded source for the pages' data (sequences, samples), separate from the weights' source. */
export function seeded(seed: number): () => number {
  return mulberry32(seed);
}

/** A whole number from 0 to n - 1. */
export function pick(random: () => number, n: number): number {
  return Math.floor(random() * n);
}

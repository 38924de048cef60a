/**
 * Seeded randomness for the workers: every system draws its initial weights and the benchmark
 * draws its data from the same deterministic sequence, run after run.
 */

/** mulberry32: small, fast, seedable; values in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Replaces `Math.random` with a seeded generator for the rest of the process. The peers
 * (synaptic 1.x, neataptic, brain.js) and the `mnist` package draw from `Math.random`, so this
 * makes their initial weights and the digits' order reproducible. Workers only: never in the runner.
 */
export function seedMathRandom(seed: number): void {
  Math.random = mulberry32(seed);
}

/** `n` values in [0, 1) from `random`. */
export function randomVector(n: number, random: () => number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = random();
  return out;
}

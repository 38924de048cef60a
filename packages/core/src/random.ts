/**
 * The source of randomness for new weights and biases. By default it reads `Math.random` at
 * each call (so code that swaps `Math.random` for a seeded generator, as 1.x users did, still
 * works); `setRandom` installs a source of your own, e.g. a seeded PRNG for reproducible runs.
 */
export type RandomSource = () => number;

const mathRandom: RandomSource = () => Math.random();
let source: RandomSource = mathRandom;

export function setRandom(random?: RandomSource): void {
  source = random ?? mathRandom;
}

export function getRandom(): RandomSource {
  return source;
}

/** A new weight or bias: uniform in [-0.1, 0.1), drawn exactly as 1.x draws it. */
export function randomWeight(): number {
  return source() * 0.2 - 0.1;
}

/** mulberry32: a small, fast, seedable generator, good enough for initialisation and shuffling. */
export function mulberry32(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The MNIST loader's counts: what it says is what it loaded. */
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../src/data.js';

describe('loadMnist', () => {
  it('says how many test digits it got when some classes run out, and which', () => {
    const data = loadMnist(8000, 2000, 1);
    expect(data.samples).toHaveLength(8000);
    expect(data.test).toHaveLength(1756);
    expect(data.notes).toEqual([
      'loaded 8,000 digits to train and 1,756 to test from the mnist package (--test-size 2,000 asks for 200 of each digit after the training ones; only 191 2s, 180 4s, 63 5s, 144 8s, 178 9s are left)',
    ]);
  });

  it('gives the same test digits whatever the seed (it only orders them)', () => {
    const key = (seed: number) =>
      loadMnist(500, 100, seed)
        .test?.map((d) => d.input.join(''))
        .sort();
    expect(key(3)).toEqual(key(1));
  });
});

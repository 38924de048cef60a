/**
 * The CLI's full MNIST samples over the shared reader (`@synaptic/apps-data`, whose own tests
 * cover the IDX files): pixels / 255 and one-hot outputs.
 */
import { readMnistPart } from '@synaptic/apps-data';
import { describe, expect, it } from 'vitest';
import { digitSamples, loadFullMnist } from '../src/idx.js';

describe('full MNIST samples', () => {
  const test = readMnistPart('test');

  it('gives samples with pixels / 255 and one-hot outputs', () => {
    const samples = digitSamples(test, 3);
    expect(samples.length).toBe(3);
    expect(samples[0].input.length).toBe(784);
    expect(samples[0].input[300]).toBeCloseTo(test.images[300] / 255, 6);
    expect(Array.from(samples[1].output).indexOf(1)).toBe(test.labels[1]);
    expect(Math.max(...samples[2].input)).toBeLessThanOrEqual(1);
    // views of one buffer, not a copy per digit
    expect(samples[2].input.buffer).toBe(samples[0].input.buffer);
  });

  it('refuses sizes outside the set, naming the flag', () => {
    expect(() => loadFullMnist(60001, 100)).toThrow(/--train-size 60001: expected a whole number from 10 to 60000/);
    expect(() => loadFullMnist(100, 5)).toThrow(/--test-size 5/);
  });
});

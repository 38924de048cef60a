import { Layer, Network } from '@synaptic/core';
import { describe, expect, it } from 'vitest';
import { mulberry32, randomVector } from '../src/lib/prng.js';
import { HandWrittenMlp } from '../src/nets/hand-written.js';

describe('hand-written perceptron (apps/bench/src/nets/hand-written.ts)', () => {
  it("computes what synaptic 2's interpreter computes for the same seed", () => {
    const [n, m, k] = [12, 7, 4];
    const original = Math.random;
    Math.random = mulberry32(11);
    let net: Network;
    try {
      const input = new Layer(n);
      const hidden = new Layer(m);
      const output = new Layer(k);
      input.project(hidden);
      hidden.project(output);
      net = new Network({ input, hidden: [hidden], output });
    } finally {
      Math.random = original;
    }
    const ours = new HandWrittenMlp(n, m, k, mulberry32(11));

    const random = mulberry32(3);
    for (let step = 0; step < 100; step++) {
      const x = randomVector(n, random);
      const t = randomVector(k, random);
      const expected = net.activate(x);
      const actual = Array.from(ours.activate(x));
      actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
      net.propagate(0.1, t);
      ours.propagate(0.1, t);
    }
  });
});

import { TransformerBlock } from '@synaptic/architect';
import { cost, mulberry32 as coreMulberry, setRandom } from '@synaptic/core';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../src/lib/prng.js';
import {
  copyParameters,
  referenceBackward,
  referenceFor,
  referenceForward,
} from '../src/nets/transformer-block-pair.js';
import { ReferenceTransformer } from '../src/nets/transformer-reference.js';

describe('hand-written Transformer (apps/bench/src/nets/transformer-reference.ts)', () => {
  it("computes the graph TransformerBlock's outputs and gradients, given its parameters", () => {
    for (const causal of [false, true]) {
      const shape = { length: 4, dModel: 8, heads: 2, ff: 6, causal };
      setRandom(coreMulberry(3));
      const graph = new TransformerBlock(shape);
      setRandom();
      const reference = referenceFor(shape, mulberry32(1));
      copyParameters(graph, reference);
      const random = mulberry32(5);
      const n = 32;
      for (let step = 0; step < 3; step++) {
        const x = Array.from({ length: n }, () => random() * 2 - 1);
        const t = Array.from({ length: n }, () => random() * 2 - 1);
        const expected = graph.activate(x);
        const y = referenceForward(reference, x);
        for (let i = 0; i < n; i++) expect(Math.abs(y[i] - expected[i])).toBeLessThan(1e-12);
        graph.zeroGradients();
        graph.backward(t, { cost: cost.MSE });
        reference.zeroGradients();
        const dy = Float64Array.from(y, (v, i) => (2 * (v - t[i])) / n);
        referenceBackward(reference, dy);
        const b = graph.block;
        const gradientOf = (layer: typeof b.query, tensor: string) =>
          layer.opsIn.find((o) => o.kind === 'CONVOLUTION')!.tensor(tensor).gradient;
        const G = reference.gradients;
        const pairs: Array<[Float64Array, Float64Array]> = [
          [gradientOf(b.query, 'kernel'), G[2].subarray(0, 64)],
          [gradientOf(b.value, 'kernel'), G[2].subarray(128, 192)],
          [gradientOf(b.key, 'bias'), G[3].subarray(8, 16)],
          [gradientOf(b.mixed, 'kernel'), G[4]],
          [gradientOf(b.feedForward, 'kernel'), G[8]],
          [gradientOf(b.output, 'bias'), G[11]],
          [b.mixed.list[0].store.gammaGradient!, G[6]],
          [b.output.list[0].store.betaGradient!, G[13]],
        ];
        for (const [ours, theirs] of pairs) {
          expect(ours.length).toBe(theirs.length);
          for (let i = 0; i < ours.length; i++) expect(Math.abs(ours[i] - theirs[i])).toBeLessThan(1e-12);
        }
      }
    }
  });

  it('its backward equals central finite differences (whole model, cross-entropy per position)', () => {
    const net = new ReferenceTransformer(
      { length: 3, vocabSize: 4, dModel: 4, heads: 2, ff: 3, blocks: 2, classes: 3, causal: true, epsilon: 1e-5 },
      mulberry32(2),
    );
    const tokens = [1, 3, 0];
    const target = [0, 1, 0, 0, 0, 1, 1, 0, 0];
    const energy = () => {
      const y = net.activate(tokens);
      return -target.reduce((s, t, k) => s + t * Math.log(y[k] + 1e-15), 0);
    };
    net.zeroGradients();
    net.activate(tokens);
    net.backward(target);
    net.tensors().forEach((value, k) => {
      for (let i = 0; i < value.length; i++) {
        const v = value[i];
        value[i] = v + 1e-6;
        const plus = energy();
        value[i] = v - 1e-6;
        const minus = energy();
        value[i] = v;
        const fd = (plus - minus) / 2e-6;
        expect(Math.abs(fd - net.gradients[k][i])).toBeLessThan(1e-6 * (Math.abs(fd) + 1));
      }
    });
  });
});

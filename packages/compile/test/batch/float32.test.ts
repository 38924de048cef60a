/**
 * f32 against f64, within a bound derived from float32's unit roundoff u = 2^-24.
 *
 * Forward: a layer computes s = Σ_i w_i y_i + b from operands rounded to f32 and sums them in
 * f32, so |ŝ − s| ≤ γ_{n+2} (|W||y| + |b|) + |W| |ŷ − y|, with γ_k = k u / (1 − k u). Every squash
 * here (and the softmax) is 1-Lipschitz, so with the magnitudes z_0 = |x|, z_l = |W_l| z_{l−1} + |b_l|
 * the output error is at most γ_N z_L, N = 1 + Σ_l (n_l + 2) (n_l the fan-in of layer l).
 * Gradients: ∂E/∂w = Σ_b δ y and the back-flow Wᵀδ are products of the same kind, over the batch
 * (B terms) and the fan-outs; the first-order bound is γ_{2N + M + B} times the magnitude of the
 * same sums (|δ| ≤ 2 at a softmax with cross-entropy, and f' ≤ 1), and a factor of 4 covers the
 * second-order terms (errors in f' times errors in Wᵀδ) and the f64 rounding of the glue.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cost, Neuron } from '@synaptic/core';
import { compileBatch } from '@synaptic/compile';
import { readDenseChain } from '../../src/batch/topology.js';
import { gradients, layered, samples } from './support.js';

const u = 2 ** -24;
const gamma = (k: number) => (k * u) / (1 - k * u);

describe('compileBatch at f32', () => {
  for (const backend of ['wasm', 'js'] as const) {
    it(`${backend}: outputs and gradients within the float32 bound of the f64 ones`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 2, maxLength: 4 }),
          fc.integer({ min: 1, max: 40 }),
          fc.constantFrom(Neuron.squash.LOGISTIC, Neuron.squash.TANH),
          fc.integer(),
          (sizes, batchSize, squash, seed) => {
            const f64 = layered({ sizes, squash, softmax: true, seed });
            const f32 = f64.clone();
            const { inputs, targets, n } = samples(f64, batchSize, seed, true);
            const exact = compileBatch(f64, { batchSize, backend: 'js' });
            const y64 = Float64Array.from(exact.forward(inputs));
            exact.backward(targets, { cost: cost.CROSS_ENTROPY });
            const batch = compileBatch(f32, { batchSize, precision: 'f32', backend });
            const y32 = batch.forward(inputs);
            batch.backward(targets, { cost: cost.CROSS_ENTROPY });

            // the magnitudes z_l per sample, and the bound's N and M
            const chain = readDenseChain(f64);
            const N = 1 + chain.layers.reduce((s, l) => s + l.inputs + 2, 0);
            const M = chain.layers.reduce((s, l) => s + l.size, 0);
            const G = 2 * N + M + batchSize;
            const zs: Float64Array[][] = [];
            for (let b = 0; b < batchSize; b++) {
              let z = Float64Array.from(inputs.subarray(b * n, (b + 1) * n), Math.abs);
              const row = [z];
              for (const layer of chain.layers) {
                const next = new Float64Array(layer.size);
                for (let j = 0; j < layer.size; j++) {
                  let s = Math.abs(layer.bias[j]);
                  for (let i = 0; i < layer.inputs; i++) s += Math.abs(layer.weight[j * layer.inputs + i]) * z[i];
                  next[j] = s;
                }
                z = next;
                row.push(z);
              }
              zs.push(row);
            }
            const L = chain.layers.length;
            const m = chain.layers[L - 1].size;
            for (let b = 0; b < batchSize; b++)
              for (let k = 0; k < m; k++)
                expect(Math.abs(y32[b * m + k] - y64[b * m + k])).toBeLessThanOrEqual(gamma(N) * zs[b][L][k]);

            // gradient magnitudes: δ̃_L = 2, δ̃_{l−1} = |W_l|ᵀ δ̃_l (f' ≤ 1); |∂E/∂w_ji| ≤ Σ_b δ̃_j z_i
            const deltas: Float64Array[] = new Array(L);
            deltas[L - 1] = new Float64Array(m).fill(2);
            for (let l = L - 1; l > 0; l--) {
              const layer = chain.layers[l];
              const below = new Float64Array(layer.inputs);
              for (let j = 0; j < layer.size; j++)
                for (let i = 0; i < layer.inputs; i++)
                  below[i] += Math.abs(layer.weight[j * layer.inputs + i]) * deltas[l][j];
              deltas[l - 1] = below;
            }
            const bound: number[] = [];
            chain.layers.forEach((layer, l) => {
              const bias = new Array<number>(layer.size).fill(0);
              const weight = new Array<number>(layer.size * layer.inputs).fill(0);
              for (let b = 0; b < batchSize; b++)
                for (let j = 0; j < layer.size; j++) {
                  bias[j] += deltas[l][j];
                  for (let i = 0; i < layer.inputs; i++) weight[j * layer.inputs + i] += deltas[l][j] * zs[b][l][i];
                }
              bound.push(...bias, ...weight);
            });
            const g64 = gradients(f64);
            const g32 = gradients(f32);
            expect(g32.length).toBe(bound.length);
            for (let e = 0; e < g64.length; e++)
              expect(Math.abs(g32[e] - g64[e]), `entry ${e}`).toBeLessThanOrEqual(4 * gamma(G) * bound[e]);
          },
        ),
        { numRuns: 25 },
      );
    });
  }
});

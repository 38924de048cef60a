/**
 * parallelBatch runs the worker of the BUILT package (dist/batch-worker.js, which imports core's
 * build): vitest's TypeScript sources cannot be loaded by a worker thread, so build first.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cost, Neuron, SynapticError } from '@synaptic/core';
import { compileBatch, parallelBatch } from '@synaptic/compile';
import { gradients, layered, samples, worst } from './support.js';

const workerUrl = new URL('../../dist/batch-worker.js', import.meta.url);

function sgd(net: ReturnType<typeof layered>, rate: number): void {
  for (const p of net.parameters()) {
    for (let k = 0; k < p.value.length; k++) p.value[k] -= rate * p.gradient[k];
    p.gradient.fill(0);
  }
}

const weights = (net: ReturnType<typeof layered>) =>
  Float64Array.from(net.parameters().flatMap((p) => Array.from(p.value)));

describe('parallelBatch', () => {
  it('needs the build', () => {
    expect(
      existsSync(fileURLToPath(workerUrl)),
      'packages/compile/dist/batch-worker.js is missing: run `pnpm build` first',
    ).toBe(true);
  });

  for (const threads of [2, 3]) {
    it(`${threads} threads train to the weights of one thread within 1e-12 (f64, 30 SGD steps, batches of 21 and a short one)`, async () => {
      const one = layered({ sizes: [12, 9, 4], squash: Neuron.squash.TANH, softmax: true, seed: 11 });
      const many = one.clone();
      const single = compileBatch(one, { batchSize: 21 });
      const pool = await parallelBatch(many, { batchSize: 21, threads, workerUrl });
      try {
        expect(pool.threads).toBe(threads);
        for (let step = 0; step < 30; step++) {
          const count = step % 5 === 4 ? 5 : 21;
          const { inputs, targets } = samples(one, count, step, true);
          single.forward(inputs);
          const e1 = single.backward(targets, { cost: cost.CROSS_ENTROPY });
          const e2 = await pool.backward(inputs, targets, { cost: cost.CROSS_ENTROPY });
          expect(Math.abs(e1 - e2)).toBeLessThanOrEqual(1e-12 * Math.max(1, e1));
          sgd(one, 0.1);
          sgd(many, 0.1);
        }
        const a = weights(one);
        expect(worst(a, weights(many))).toBeLessThanOrEqual(1e-12);
        expect(
          worst(a, weights(layered({ sizes: [12, 9, 4], squash: Neuron.squash.TANH, softmax: true, seed: 11 }))),
        ).toBeGreaterThan(1e-3);
      } finally {
        await pool.close();
      }
    });
  }

  it("adds the chunks' gradients in chunk order, bit for bit, whichever thread ran which chunk", async () => {
    // 2 threads cut a batch of 21 into chunks of ceil(21 / 2) = 11 (11 and 10), claimed at run time;
    // the reference runs the same chunks one after another on one thread and sums them in order
    const net = layered({ sizes: [12, 9, 4], squash: Neuron.squash.LOGISTIC, softmax: false, seed: 5 });
    const copy = net.clone();
    const pool = await parallelBatch(net, { batchSize: 21, threads: 2, workerUrl });
    try {
      const chunk = compileBatch(copy, { batchSize: 11 });
      for (let step = 0; step < 8; step++) {
        const { inputs, targets } = samples(net, 21, step, false);
        const e = await pool.backward(inputs, targets);
        const parameters = copy.parameters();
        const sums = parameters.map((p) => new Float64Array(p.value.length));
        let error = 0;
        for (let from = 0; from < 21; from += 11) {
          const to = Math.min(21, from + 11);
          for (const p of parameters) p.gradient.fill(0);
          chunk.forward(inputs.slice(from * 12, to * 12));
          error += chunk.backward(targets.slice(from * 4, to * 4));
          parameters.forEach((p, i) => {
            for (let k = 0; k < p.gradient.length; k++) sums[i][k] += p.gradient[k];
          });
        }
        expect(e).toBe(error);
        net.parameters().forEach((p, i) => expect(Array.from(p.gradient)).toEqual(Array.from(sums[i])));
        sgd(net, 0.5);
        parameters.forEach((p, i) => {
          p.gradient.set(sums[i]);
        });
        sgd(copy, 0.5);
      }
      expect(weights(net)).toEqual(weights(copy));
    } finally {
      await pool.close();
    }
  });

  it("stays usable after a step refused for a bad value in a worker's chunk, and f32 threads match one f32 thread", async () => {
    for (const precision of ['f64', 'f32'] as const) {
      const one = layered({ sizes: [10, 8, 3], squash: Neuron.squash.LOGISTIC, softmax: false, seed: 21 });
      const many = one.clone();
      const single = compileBatch(one, { batchSize: 16, precision });
      const pool = await parallelBatch(many, { batchSize: 16, threads: 2, workerUrl, precision });
      try {
        for (let step = 0; step < 6; step++) {
          const { inputs, targets } = samples(one, 16, 40 + step, false);
          if (step === 2) {
            const bad = Float64Array.from(inputs);
            bad[12 * 10 + 3] = precision === 'f32' ? 1e39 : Number.POSITIVE_INFINITY;
            await expect(pool.backward(bad, targets)).rejects.toThrow(/input 3 of sample 12/);
            expect(many.parameters().every((p) => p.gradient.every((g) => g === 0))).toBe(true);
          }
          single.forward(inputs);
          const e1 = single.backward(targets);
          const e2 = await pool.backward(inputs, targets);
          expect(Math.abs(e1 - e2)).toBeLessThanOrEqual((precision === 'f64' ? 1e-12 : 1e-5) * Math.max(1, e1));
          expect(worst(gradients(one), gradients(many))).toBeLessThanOrEqual(precision === 'f64' ? 1e-12 : 1e-5);
          sgd(one, 0.3);
          sgd(many, 0.3);
        }
      } finally {
        await pool.close();
      }
    }
  });

  it('refuses custom costs and wrong sizes, and reports a worker that cannot start', async () => {
    const net = layered({ sizes: [3, 2], squash: Neuron.squash.LOGISTIC, softmax: false, seed: 2 });
    const pool = await parallelBatch(net, { batchSize: 4, workerUrl });
    try {
      const custom = Object.assign((t: number[], y: number[]) => t.length + y.length, { gradient: () => {} });
      await expect(pool.backward([1, 2, 3], [0, 1], { cost: custom })).rejects.toThrow(/built-in/);
      await expect(pool.backward([1, 2], [0, 1])).rejects.toThrow(SynapticError);
      await expect(pool.backward([1, 2, 3], [0])).rejects.toThrow(SynapticError);
      // a bad value in the worker's shard is refused before this thread's shard adds anything
      await expect(pool.backward([1, 2, 3, 4, 5, Number.NaN], [0, 1, 1, 0])).rejects.toThrow(/finite/);
      expect(net.parameters().every((p) => p.gradient.every((g) => g === 0))).toBe(true);
    } finally {
      await pool.close();
    }
    await expect(
      parallelBatch(net, { batchSize: 4, workerUrl: new URL('./no-such-worker.js', workerUrl) }),
    ).rejects.toThrow(/worker/);
  });
});

import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { cost, mulberry32, Neuron } from '@synaptic/core';
import { compileBatch, wasmSimdAvailable } from '@synaptic/compile';
import { jsKernels, type Precision } from '../../src/batch/kernels.js';
import { resetWasmDetection, wasmKernels } from '../../src/wasm/runtime.js';
import { gradients, layered, oneByOne, samples, worst } from './support.js';

const shape = fc.record({
  m: fc.integer({ min: 1, max: 5 }).map((k) => 4 * k),
  n: fc.integer({ min: 1, max: 4 }).map((k) => 8 * k),
  k: fc.integer({ min: 0, max: 40 }),
  ars: fc.integer({ min: 0, max: 3 }),
  accumulate: fc.boolean(),
  seed: fc.integer(),
});

describe('dense kernels', () => {
  for (const precision of ['f64', 'f32'] as Precision[]) {
    it(`wasm gemm gives the JavaScript kernel's bits at ${precision} (same operations in the same order)`, () => {
      fc.assert(
        fc.property(shape, ({ m, n, k, ars, accumulate, seed }) => {
          const elements = 20000;
          const js = jsKernels(precision, elements);
          const wasm = wasmKernels(precision, elements)!;
          const random = mulberry32(seed);
          for (let e = 0; e < elements; e++) {
            const v = random() * 2 - 1;
            js.heap[e] = v;
            wasm.heap[e] = v;
          }
          // A row stride of k (row-major) or 1 (transposed, column stride m), as the batch uses both
          const [rs, cs] = ars % 2 === 0 ? [Math.max(k, 1), 1] : [1, m];
          for (const kernels of [js, wasm]) kernels.gemm(12000, n + 8, 100, rs, cs, 6000, n, m, n, k, accumulate);
          expect(Array.from(wasm.heap)).toEqual(Array.from(js.heap));
          // and it is the product: C[r][c] = (C) + Σ A·B
          const reference = (r: number, c: number) => {
            let sum = 0;
            for (let q = 0; q < k; q++) sum += js.heap[100 + r * rs + q * cs] * js.heap[6000 + q * n + c];
            return sum;
          };
          const r = m - 1;
          const c = n - 1;
          if (!accumulate)
            expect(js.heap[12000 + r * (n + 8) + c]).toBeCloseTo(reference(r, c), precision === 'f64' ? 12 : 4);
        }),
        { numRuns: 40 },
      );
    });
  }
});

describe('without WebAssembly SIMD', () => {
  const scope = globalThis as unknown as { WebAssembly?: Record<string, unknown> };
  const real = scope.WebAssembly!;
  afterEach(() => {
    scope.WebAssembly = real;
    resetWasmDetection();
  });

  it('auto falls back to the JavaScript kernels, with the same results; wasm is refused', () => {
    expect(wasmSimdAvailable()).toBe(true);
    // a WebAssembly that knows no SIMD rejects the module
    scope.WebAssembly = { ...real, validate: () => false };
    resetWasmDetection();
    expect(wasmSimdAvailable()).toBe(false);
    const reference = layered({ sizes: [6, 5, 3], squash: Neuron.squash.TANH, softmax: true, seed: 4 });
    const net = reference.clone();
    const { inputs, targets } = samples(reference, 7, 4, true);
    const expected = oneByOne(reference, inputs, targets, cost.CROSS_ENTROPY);
    const batch = compileBatch(net, { batchSize: 7 });
    expect(batch.backend).toBe('js');
    expect(worst(expected.outputs, batch.forward(inputs))).toBeLessThanOrEqual(1e-12);
    batch.backward(targets, { cost: cost.CROSS_ENTROPY });
    expect(worst(gradients(reference), gradients(net))).toBeLessThanOrEqual(1e-12);
    expect(() => compileBatch(net, { batchSize: 7, backend: 'wasm' })).toThrow(/SIMD/);
    scope.WebAssembly = undefined;
    resetWasmDetection();
    expect(compileBatch(net, { batchSize: 2 }).backend).toBe('js');
  });
});

/**
 * The kernels that took over JavaScript glue: add64 (parallelBatch's sum of another thread's
 * gradient), multiply (f'(s) ⊙ ∂E/∂y) and, at f32 in wasm, the fused bias + LOGISTIC squash.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cost, mulberry32, Neuron } from '@synaptic/core';
import { compileBatch } from '@synaptic/compile';
import { jsKernels, type Precision } from '../../src/batch/kernels.js';
import { wasmKernels } from '../../src/wasm/runtime.js';
import { gradients, layered, samples } from './support.js';

const fill = (heap: Float64Array | Float32Array, seed: number) => {
  const random = mulberry32(seed);
  for (let e = 0; e < heap.length; e++) heap[e] = (random() * 2 - 1) * 8;
};

describe('glue kernels', () => {
  for (const precision of ['f64', 'f32'] as Precision[]) {
    it(`${precision}: wasm multiply and add64 give the JavaScript kernels' bits, and are the products and sums`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 300 }), fc.integer(), (count, seed) => {
          const elements = 4096;
          const js = jsKernels(precision, elements);
          const wasm = wasmKernels(precision, elements)!;
          fill(js.heap, seed);
          wasm.heap.set(js.heap);
          const size = js.heap.BYTES_PER_ELEMENT;
          const before = Float64Array.from(js.heap);
          for (const k of [js, wasm]) k.multiply(2048 * size, 0, 1024 * size, count);
          const round = precision === 'f32' ? Math.fround : (x: number) => x;
          for (let k = 0; k < count; k++) expect(js.heap[2048 + k]).toBe(round(before[k] * before[1024 + k]));
          // add64 is an f64 kernel at either precision: f64 values written through f64 views
          const f64js = new Float64Array(js.heap.buffer);
          const f64wasm = new Float64Array(wasm.heap.buffer, 0, f64js.length);
          fill(f64js.subarray(0, 1024), seed + 1);
          f64wasm.set(f64js.subarray(0, 1024));
          const sums = Float64Array.from(f64js.subarray(0, 1024));
          for (const k of [js, wasm]) k.add64(600 * 8, 100 * 8, count);
          // (rounded up to 2 entries)
          for (let k = 0; k < Math.ceil(count / 2) * 2; k++) sums[600 + k] += sums[100 + k];
          expect(Array.from(f64wasm.subarray(0, 1024))).toEqual(Array.from(f64js.subarray(0, 1024)));
          expect(Array.from(f64js.subarray(0, 1024))).toEqual(Array.from(sums));
          expect(Array.from(wasm.heap)).toEqual(Array.from(js.heap));
        }),
        { numRuns: 30 },
      );
    });
  }

  it('f32 wasm transpose (4 × 4 SIMD blocks, the scalar kernel where a value is bad) equals the JavaScript one, and names the first bad value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 21 }),
        fc.option(fc.tuple(fc.nat(), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1e39))),
        fc.integer(),
        (rows, count, bad, seed) => {
          const elements = 8192;
          const js = jsKernels('f32', elements);
          const wasm = wasmKernels('f32', elements)!;
          fill(js.heap, seed);
          // the layout's padding: source rows of pad8(rows), pad4 × pad8 room on both sides
          const lds = Math.ceil(rows / 8) * 8;
          const ldd = Math.ceil(count / 8) * 8;
          if (bad !== null) js.heap[4096 + (bad[0] % count) * lds + (bad[0] % rows)] = bad[1];
          wasm.heap.set(js.heap);
          const a = js.transpose(0, ldd, 4096, lds, rows, count);
          const b = wasm.transpose(0, ldd, 4096, lds, rows, count);
          expect(b).toBe(a);
          expect(a >= 0).toBe(bad !== null);
          for (let i = 0; i < rows; i++)
            for (let k = 0; k < count; k++) expect(Object.is(wasm.heap[i * ldd + k], js.heap[i * ldd + k])).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('f32 wasm logistic: y = 1/(1 + e^−(s + b)) within 4 float32 ulps (or 2^−126 below the normal range, where e^−s is clamped), f′ = y(1 − y)', () => {
    const wasm = wasmKernels('f32', 8192)!;
    expect(wasm.logistic).not.toBeNull();
    expect(jsKernels('f32', 16).logistic).toBeNull();
    expect(wasmKernels('f64', 16)!.logistic).toBeNull();
    const m = 5;
    const cols = 256;
    const h = wasm.heap;
    const states = 0;
    const bias = m * cols;
    const to = bias + 8;
    const derivative = to + m * cols;
    const random = mulberry32(3);
    const edges = [0, -0, 1e-30, -1e-30, 20, -20, 87, -87, 88.5, -88.5, 100, -100, 1e6, -1e6];
    for (let e = 0; e < m * cols; e++) h[states + e] = e < edges.length ? edges[e] : (random() * 2 - 1) * 30;
    for (let j = 0; j < m; j++) h[bias + j] = j === 0 ? 0 : (random() * 2 - 1) * 2;
    wasm.logistic!(states * 4, bias * 4, m, cols, 250, to * 4, derivative * 4);
    let worst = 0;
    for (let j = 0; j < m; j++)
      for (let b = 0; b < 252; b++) {
        const s = Math.fround(h[states + j * cols + b] + h[bias + j]);
        const exact = 1 / (1 + Math.exp(-s));
        const y = h[to + j * cols + b];
        expect(Number.isFinite(y)).toBe(true);
        // ulps of float32 at the exact value; below the normal range (s < −87.3) an absolute 2^−126
        if (exact < 2 ** -126) expect(Math.abs(y - exact)).toBeLessThanOrEqual(2 ** -126);
        else worst = Math.max(worst, Math.abs(y - exact) / 2 ** (Math.floor(Math.log2(exact)) - 23));
        expect(h[derivative + j * cols + b]).toBe(Math.fround(y * Math.fround(1 - y)));
      }
    expect(worst).toBeLessThanOrEqual(4);
  });

  it('f32: a LOGISTIC net trained through the fused kernel stays within float32 reach of the JavaScript kernels', () => {
    const f64 = layered({ sizes: [30, 20, 12, 5], squash: Neuron.squash.LOGISTIC, softmax: false, seed: 8 });
    const wasmNet = f64.clone();
    const jsNet = f64.clone();
    const wasm = compileBatch(wasmNet, { batchSize: 16, precision: 'f32', backend: 'wasm' });
    const js = compileBatch(jsNet, { batchSize: 16, precision: 'f32', backend: 'js' });
    const { inputs, targets } = samples(f64, 16, 4, false);
    const a = Float64Array.from(wasm.forward(inputs));
    const b = js.forward(inputs);
    for (let k = 0; k < a.length; k++) expect(Math.abs(a[k] - b[k])).toBeLessThanOrEqual(1e-5);
    wasm.backward(targets, { cost: cost.MSE });
    js.backward(targets, { cost: cost.MSE });
    const ga = gradients(wasmNet);
    const gb = gradients(jsNet);
    for (let k = 0; k < ga.length; k++)
      expect(Math.abs(ga[k] - gb[k])).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(gb[k])));
  });
});

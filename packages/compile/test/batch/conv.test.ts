/**
 * Batched convolution and pooling (op-batch.ts, conv.ts, pool.ts) against B single-sample runs of
 * the interpreter's `activate` + `backward`, on random small convolutional networks.
 *
 * f64: the same sums in another order, so within 1e-12 (relative to max(1, |value|)).
 * f32 vs f64: every sum the batch makes is a product of operands rounded to f32 and summed in
 * f32; with k terms its error is at most γ_k = k·u / (1 − k·u) (u = 2^-24) times the sum of the
 * terms' magnitudes. Activations are tanh/identity/logistic/softmax (1-Lipschitz, |y| ≤ 1 after the
 * input, |x| ≤ 1), kernels |K| ≤ 0.6, so a layer's magnitude sum is at most its fan-in times 0.6
 * plus the bias, and errors pass through layers growing by at most their fan-in · max|w| ≤ fan-in.
 * Over the chain that is γ_N with N = Σ_l (k_l + 2), k_l the fan-in (kernel taps or dense inputs)
 * plus the batch's terms of a gradient sum (B · positions), times the product of fan-ins as the
 * magnitude, which is loose; the test checks the far tighter, still derived, first-order bound
 * 8 · γ_N · max(1, |value|) with N = Σ_l (k_l + 2) + B·P_max, where 8 covers the second-order
 * terms, the f64 glue, and the magnitudes of these nets (|s| ≤ 4, checked by the f64 run below).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as core from '@synaptic/core';
import { cost, type Network } from '@synaptic/core';
import { BatchUnsupportedError, compileBatch } from '@synaptic/compile';
import { type ConvRecipe, type Core, convNet } from '../../../core/test/ops/conv-nets.js';
import { gradients, oneByOne, samples, worst } from './support.js';

const lib = core as unknown as Core;
const u = 2 ** -24;
const gamma = (k: number) => (k * u) / (1 - k * u);

type Stage = ConvRecipe['stages'][number];

const stageArb = fc.record({
  kernel: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  maps: fc.integer({ min: 1, max: 3 }),
  stride: fc.integer({ min: 1, max: 2 }),
  padding: fc.integer({ min: 0, max: 1 }),
  pool: fc.constantFrom<Stage['pool'] | undefined>(
    undefined,
    { kind: 'max', size: [2, 2] },
    { kind: 'average', size: [2, 2] },
    { kind: 'max', size: [2, 1] },
  ),
});

const recipeArb: fc.Arbitrary<ConvRecipe> = fc
  .record({
    seed: fc.integer(),
    field: fc.tuple(fc.integer({ min: 4, max: 9 }), fc.integer({ min: 4, max: 9 }), fc.integer({ min: 1, max: 3 })),
    stages: fc.array(stageArb, { minLength: 1, maxLength: 2 }),
    outputs: fc.integer({ min: 1, max: 4 }),
    softmax: fc.boolean(),
  })
  .map((r) => ({ ...r, softmax: r.softmax && r.outputs > 1 }));

/** Whether the recipe's shapes fit (kernels no larger than the field, pools no larger than the maps). */
function fits(recipe: ConvRecipe): boolean {
  let [w, h] = recipe.field;
  for (const s of recipe.stages) {
    const p = s.padding ?? 0;
    const st = s.stride ?? 1;
    w = Math.floor((w + 2 * p - s.kernel[0]) / st) + 1;
    h = Math.floor((h + 2 * p - s.kernel[1]) / st) + 1;
    if (w < 1 || h < 1) return false;
    if (s.pool) {
      if (s.pool.size[0] > w || s.pool.size[1] > h) return false;
      w = Math.floor(w / s.pool.size[0]);
      h = Math.floor(h / s.pool.size[1]);
    }
  }
  return true;
}

interface Run {
  outputs: Float64Array;
  error: number;
  gradients: Float64Array;
}

function batched(
  net: Network,
  inputs: Float64Array,
  targets: Float64Array,
  batchSize: number,
  options: {
    precision?: 'f64' | 'f32';
    backend: 'js' | 'wasm';
    softmax: boolean;
  },
): Run {
  const batch = compileBatch(net, { batchSize, precision: options.precision, backend: options.backend });
  const costFn = options.softmax ? cost.CROSS_ENTROPY : cost.MSE;
  net.zeroGradients();
  const outputs = Float64Array.from(batch.forward(inputs));
  const error = batch.backward(targets, { cost: costFn });
  return { outputs, error, gradients: gradients(net) };
}

function reference(net: Network, inputs: Float64Array, targets: Float64Array, softmax: boolean): Run {
  net.zeroGradients();
  const { outputs, error } = oneByOne(net, inputs, targets, softmax ? cost.CROSS_ENTROPY : cost.MSE);
  return { outputs, error, gradients: gradients(net) };
}

function check(recipe: ConvRecipe, count: number, batchSize: number): void {
  const net = convNet(recipe, lib);
  const { inputs, targets } = samples(net, count, recipe.seed, recipe.softmax === true);
  const want = reference(net, inputs, targets, recipe.softmax === true);
  const runs = (['js', 'wasm'] as const).map((backend) =>
    batched(net, inputs, targets, batchSize, { backend, softmax: recipe.softmax === true }),
  );
  for (const got of runs) {
    expect(worst(want.outputs, got.outputs)).toBeLessThanOrEqual(1e-12);
    expect(worst(want.gradients, got.gradients)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(want.error - got.error) / Math.max(1, Math.abs(want.error))).toBeLessThanOrEqual(1e-12);
  }
  // at f64 the JavaScript gemm and the wasm one give the same bits
  expect(runs[1].outputs).toEqual(runs[0].outputs);
  expect(runs[1].gradients).toEqual(runs[0].gradients);
}

describe('compileBatch with convolution and pooling', () => {
  it('f64, js and wasm: outputs, E and every gradient equal B single-sample backward runs', () => {
    fc.assert(
      fc.property(
        recipeArb.filter(fits),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 3 }),
        (recipe, count, extra) => {
          check(recipe, count, count + extra);
        },
      ),
      { numRuns: 60, seed: 1403 },
    );
  });

  it('seed 003 shape: 28×28, 9×9 kernels, 3 maps, 2×2 max pool, 10 logistic outputs', () => {
    check(
      {
        seed: 3,
        field: [28, 28, 1],
        stages: [{ kernel: [9, 9], maps: 3, pool: { kind: 'max', size: [2, 2] } }],
        outputs: 10,
      },
      5,
      8,
    );
  });

  it('LeNet-like shape: two 5×5 stages (6 and 16 maps), max pools, softmax', () => {
    check(
      {
        seed: 5,
        field: [28, 28, 1],
        stages: [
          { kernel: [5, 5], maps: 6, pool: { kind: 'max', size: [2, 2] } },
          { kernel: [5, 5], maps: 16, pool: { kind: 'max', size: [2, 2] } },
        ],
        outputs: 10,
        softmax: true,
      },
      4,
      4,
    );
  });

  it('f32 is within the float32 bound of f64 (js and wasm)', () => {
    fc.assert(
      fc.property(recipeArb.filter(fits), fc.integer({ min: 1, max: 9 }), (recipe, count) => {
        const net = convNet(recipe, lib);
        const { inputs, targets } = samples(net, count, recipe.seed, recipe.softmax === true);
        const exact = batched(net, inputs, targets, count, { backend: 'js', softmax: recipe.softmax === true });
        // N = Σ_l (fan-in + 2) + the batch's terms of the largest gradient sum
        let N = 0;
        let positions = 1;
        let [w, h, c] = recipe.field;
        for (const s of recipe.stages) {
          const p = s.padding ?? 0;
          const st = s.stride ?? 1;
          N += s.kernel[0] * s.kernel[1] * c + 2;
          w = Math.floor((w + 2 * p - s.kernel[0]) / st) + 1;
          h = Math.floor((h + 2 * p - s.kernel[1]) / st) + 1;
          c = s.maps;
          positions = Math.max(positions, w * h);
          if (s.pool) {
            N += s.pool.size[0] * s.pool.size[1];
            w = Math.floor(w / s.pool.size[0]);
            h = Math.floor(h / s.pool.size[1]);
          }
        }
        N += w * h * c + 2 + count * positions;
        const bound = 8 * gamma(N);
        for (const backend of ['js', 'wasm'] as const) {
          const got = batched(net, inputs, targets, count, {
            backend,
            precision: 'f32',
            softmax: recipe.softmax === true,
          });
          expect(worst(exact.outputs, got.outputs)).toBeLessThanOrEqual(bound);
          expect(worst(exact.gradients, got.gradients)).toBeLessThanOrEqual(bound);
        }
      }),
      { numRuns: 40, seed: 1404 },
    );
  });

  it('a network trained batch by batch keeps matching as its weights change (the kernels are read at every forward)', () => {
    const recipe: ConvRecipe = {
      seed: 9,
      field: [6, 6, 2],
      stages: [{ kernel: [3, 3], maps: 2, padding: 1, pool: { kind: 'max', size: [2, 2] } }],
      outputs: 3,
      softmax: true,
    };
    const net = convNet(recipe, lib);
    const batch = compileBatch(net, { batchSize: 4 });
    for (let step = 0; step < 3; step++) {
      const { inputs, targets } = samples(net, 4, 100 + step, true);
      const want = reference(net, inputs, targets, true);
      net.zeroGradients();
      batch.forward(inputs);
      batch.backward(targets, { cost: cost.CROSS_ENTROPY });
      expect(worst(want.gradients, gradients(net))).toBeLessThanOrEqual(1e-12);
      for (const p of net.parameters()) for (let i = 0; i < p.value.length; i++) p.value[i] -= 0.1 * p.gradient[i];
    }
  });

  it('a smaller batch after a full one: the padding samples left over add nothing', () => {
    for (const pool of [{ kind: 'max', size: [2, 2] }, { kind: 'average', size: [2, 2] }, undefined] as const) {
      const recipe: ConvRecipe = {
        seed: 12,
        field: [7, 6, 2],
        stages: [{ kernel: [3, 2], maps: 3, stride: 1, padding: 1, pool: pool && { kind: pool.kind, size: [2, 2] } }],
        outputs: 2,
      };
      const net = convNet(recipe, lib);
      for (const backend of ['js', 'wasm'] as const) {
        const batch = compileBatch(net, { batchSize: 8, backend });
        const full = samples(net, 8, 40, false);
        batch.forward(full.inputs);
        batch.backward(full.targets, { cost: cost.MSE });
        const { inputs, targets } = samples(net, 3, 41, false);
        const want = reference(net, inputs, targets, false);
        net.zeroGradients();
        const outputs = batch.forward(inputs);
        batch.backward(targets, { cost: cost.MSE });
        expect(worst(want.outputs, outputs)).toBeLessThanOrEqual(1e-12);
        expect(worst(want.gradients, gradients(net))).toBeLessThanOrEqual(1e-12);
      }
    }
  });

  it('refuses an op that does not read the layer before its target, naming it', () => {
    const { Convolution, Layer, Network } = core;
    const input = Layer.shaped(5, 5, 1);
    const a = Layer.shaped(4, 4, 1);
    new Convolution(input, a, { kernel: [2, 2] });
    const b = Layer.shaped(4, 4, 1);
    new Convolution(input, b, { kernel: [2, 2] });
    const output = new Layer(2);
    b.project(output);
    const net = new Network({ input, hidden: [a, b], output });
    expect(() => compileBatch(net, { batchSize: 2 })).toThrow(BatchUnsupportedError);
    expect(() => compileBatch(net, { batchSize: 2 })).toThrow(
      /the input layer feeds a layer-level projection \(CONVOLUTION\) into a layer other than the next one/,
    );
  });
});

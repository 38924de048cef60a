import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as core from '@synaptic/core';
import { cost, type Network } from '@synaptic/core';
import { compile, compileBatch, optimize } from '@synaptic/compile';
import { type ConvRecipe, type Core, convInput, convNet } from '../../core/test/ops/conv-nets.js';

const lib = core as unknown as Core;

const recipes: Array<[string, ConvRecipe]> = [
  [
    'conv + max pool, dense output',
    {
      seed: 31,
      field: [7, 7, 1],
      stages: [{ kernel: [3, 3], maps: 2, pool: { kind: 'max', size: [2, 2] } }],
      outputs: 3,
    },
  ],
  [
    'two stages, stride, padding, average pool, softmax',
    {
      seed: 32,
      field: [9, 8, 2],
      stages: [
        { kernel: [3, 3], maps: 3, padding: 1, pool: { kind: 'average', size: [2, 2] } },
        { kernel: [2, 2], maps: 2, stride: 2 },
      ],
      outputs: 4,
      softmax: true,
    },
  ],
];

function snapshot(net: Network): number[][] {
  return net.parameters().map((p) => [...p.value, ...p.gradient]);
}

describe('compiled networks with layer-level projections', () => {
  for (const [name, recipe] of recipes) {
    it(`${name}: compiled activate, propagate and backward equal the interpreter bit for bit`, () => {
      const reference = convNet(recipe, lib);
      // bit for bit: exact compile (the default one sums dot products in several accumulators)
      const compiled = optimize(reference.clone(), { exact: true });
      const t = Array.from({ length: recipe.outputs }, (_, k) => (k === 1 ? 1 : 0));
      const costFn = recipe.softmax ? cost.CROSS_ENTROPY : cost.MSE;
      for (let step = 0; step < 6; step++) {
        const input = convInput(reference, step);
        expect(compiled.activate(input)).toEqual(reference.activate(input));
        if (step % 2 === 0) {
          reference.propagate(0.05, t);
          compiled.propagate(0.05, t);
        } else {
          reference.zeroGradients();
          compiled.zeroGradients();
          expect(compiled.backward(t, { cost: costFn })).toBe(reference.backward(t, { cost: costFn }));
        }
        expect(snapshot(compiled)).toEqual(snapshot(reference));
      }
      expect(compiled.executor()?.constructor.name).toBe('CompiledExecutor');
    });
  }

  it('random small conv nets (fast-check): compiled equals interpreted bit for bit', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 2 ** 30 }),
          w: fc.integer({ min: 4, max: 8 }),
          c: fc.integer({ min: 1, max: 3 }),
          k: fc.integer({ min: 1, max: 3 }),
          maps: fc.integer({ min: 1, max: 3 }),
          stride: fc.integer({ min: 1, max: 2 }),
          padding: fc.integer({ min: 0, max: 1 }),
          pool: fc.constantFrom('none' as const, 'max' as const, 'average' as const),
          softmax: fc.boolean(),
        }),
        (r) => {
          const out = Math.floor((r.w + 2 * r.padding - r.k) / r.stride) + 1;
          const pool = r.pool !== 'none' && out >= 2 ? { kind: r.pool, size: [2, 2] as [number, number] } : undefined;
          const recipe: ConvRecipe = {
            seed: r.seed,
            field: [r.w, r.w, r.c],
            stages: [{ kernel: [r.k, r.k], maps: r.maps, stride: r.stride, padding: r.padding, pool }],
            outputs: 3,
            softmax: r.softmax,
          };
          const reference = convNet(recipe, lib);
          const compiled = optimize(reference.clone(), { exact: true });
          const t = [0, 1, 0];
          const costFn = r.softmax ? cost.CROSS_ENTROPY : cost.MSE;
          for (let step = 0; step < 3; step++) {
            const input = convInput(reference, r.seed + step);
            expect(compiled.activate(input)).toEqual(reference.activate(input));
            reference.zeroGradients();
            compiled.zeroGradients();
            expect(compiled.backward(t, { cost: costFn })).toBe(reference.backward(t, { cost: costFn }));
            reference.propagate(0.1, t);
            compiled.propagate(0.1, t);
            expect(snapshot(compiled)).toEqual(snapshot(reference));
          }
        },
      ),
      { numRuns: 20, seed: 15 },
    );
  });

  it('compile() runs them too, and the source calls core’s op steps', () => {
    const net = convNet(recipes[0][1], lib);
    const program = compile(net.clone());
    const input = convInput(net, 3);
    expect(program.activate(input)).toEqual(net.activate(input));
    expect(program.source).toContain('OL[0].activate');
  });

  it('a compiled propagate that would make a kernel entry infinite is undone', () => {
    const { Convolution, Layer, Network, Neuron, NonFiniteError } = core;
    const input = Layer.shaped(3, 3, 1);
    const maps = Layer.shaped(2, 2, 1).set({ squash: Neuron.squash.IDENTITY });
    new Convolution(input, maps, { kernel: [2, 2] });
    const net = optimize(new Network({ input, output: maps }));
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((v) => v * 1e200);
    net.activate(x);
    const before = net.parameters().map((p) => Array.from(p.value));
    expect(() => net.propagate(1e200, [1, 0, 0, 1])).toThrow(NonFiniteError);
    expect(net.parameters().map((p) => Array.from(p.value))).toEqual(before);
    expect(net.executor()?.constructor.name).toBe('CompiledExecutor');
  });

  it('compileBatch runs them (batch/conv.test.ts checks the numbers)', () => {
    const net = convNet(recipes[0][1], lib);
    expect(compileBatch(net, { batchSize: 4 }).outputSize).toBe(3);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cost } from '../../src/index.js';
import { type ConvRecipe, convInput, convNet, worstGradientError } from './conv-nets.js';

const cases: Array<[string, ConvRecipe]> = [
  ['conv, no pool', { seed: 1, field: [6, 5, 1], stages: [{ kernel: [3, 2], maps: 2 }], outputs: 3 }],
  [
    'conv + max pool',
    {
      seed: 2,
      field: [6, 6, 1],
      stages: [{ kernel: [3, 3], maps: 2, pool: { kind: 'max', size: [2, 2] } }],
      outputs: 2,
    },
  ],
  [
    'conv + average pool',
    {
      seed: 3,
      field: [7, 6, 2],
      stages: [{ kernel: [2, 3], maps: 3, pool: { kind: 'average', size: [3, 2] } }],
      outputs: 2,
    },
  ],
  [
    'stride and padding, multi-channel',
    { seed: 4, field: [7, 7, 3], stages: [{ kernel: [3, 3], maps: 2, stride: 2, padding: 1 }], outputs: 2 },
  ],
  [
    'two stages (stacked, multi-channel)',
    {
      seed: 5,
      field: [10, 10, 1],
      stages: [
        { kernel: [3, 3], maps: 2, pool: { kind: 'max', size: [2, 2] } },
        { kernel: [2, 2], maps: 3, pool: { kind: 'average', size: [1, 2] } },
      ],
      outputs: 3,
    },
  ],
];

describe('ops: backward equals central finite differences', () => {
  for (const [name, recipe] of cases) {
    it(name, () => {
      const net = convNet(recipe);
      const input = convInput(net, recipe.seed + 100);
      const target = Array.from({ length: recipe.outputs }, (_, k) => (k % 2 === 0 ? 0.8 : 0.2));
      const { worst, checked } = worstGradientError(net, input, target);
      expect(checked).toBeGreaterThan(10);
      expect(worst).toBeLessThanOrEqual(1);
    });
  }

  it('softmax output with cross-entropy', () => {
    const recipe: ConvRecipe = {
      seed: 9,
      field: [5, 5, 2],
      stages: [{ kernel: [2, 2], maps: 2, pool: { kind: 'max', size: [2, 2] } }],
      outputs: 3,
      softmax: true,
    };
    const net = convNet(recipe);
    const { worst } = worstGradientError(net, convInput(net, 7), [0, 1, 0], cost.CROSS_ENTROPY);
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('random small conv nets (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 2 ** 30 }),
          w: fc.integer({ min: 3, max: 7 }),
          h: fc.integer({ min: 3, max: 7 }),
          c: fc.integer({ min: 1, max: 3 }),
          kw: fc.integer({ min: 1, max: 3 }),
          kh: fc.integer({ min: 1, max: 3 }),
          maps: fc.integer({ min: 1, max: 3 }),
          stride: fc.integer({ min: 1, max: 2 }),
          padding: fc.integer({ min: 0, max: 1 }),
          pool: fc.constantFrom('none' as const, 'max' as const, 'average' as const),
        }),
        (r) => {
          const ow = Math.floor((r.w + 2 * r.padding - r.kw) / r.stride) + 1;
          const oh = Math.floor((r.h + 2 * r.padding - r.kh) / r.stride) + 1;
          const pool =
            r.pool !== 'none' && ow >= 2 && oh >= 2 ? { kind: r.pool, size: [2, 2] as [number, number] } : undefined;
          const recipe: ConvRecipe = {
            seed: r.seed,
            field: [r.w, r.h, r.c],
            stages: [{ kernel: [r.kw, r.kh], maps: r.maps, stride: r.stride, padding: r.padding, pool }],
            outputs: 2,
          };
          const net = convNet(recipe);
          const { worst } = worstGradientError(net, convInput(net, r.seed ^ 77), [0.7, 0.3]);
          expect(worst).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 25, seed: 14 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cost, InvalidJSONError, InvalidTokenError, Layer, Network, OpError } from '../../src/index.js';
import { Attention } from '../../src/ops/attention.js';
import {
  attentionNet,
  sequenceInput,
  sequenceTarget,
  worstGradientRatio,
  type AttentionRecipe,
} from './sequence-nets.js';

const recipes: fc.Arbitrary<AttentionRecipe> = fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
  length: fc.integer({ min: 1, max: 4 }),
  heads: fc.integer({ min: 1, max: 2 }),
  dHead: fc.integer({ min: 1, max: 2 }),
  causal: fc.boolean(),
  shared: fc.boolean(),
  softmax: fc.boolean(),
});

describe('ATTENTION, EMBEDDING and POSITIONS ops in a network', () => {
  it('backward equals central finite differences (continuous inputs, Q, K, V apart or one layer)', () => {
    fc.assert(
      fc.property(recipes, (r) => {
        const { network } = attentionNet(r);
        const input = sequenceInput(network, r.seed + 1);
        const target = sequenceTarget(network, r.seed + 2, 3, r.softmax === true);
        const { worst, checked } = worstGradientRatio(
          network,
          input,
          target,
          r.softmax ? cost.CROSS_ENTROPY : cost.MSE,
        );
        expect(checked).toBeGreaterThan(0);
        expect(worst).toBeLessThan(1);
      }),
      { numRuns: 25, seed: 21 },
    );
  });

  it('backward equals central finite differences through EMBEDDING and learned or sinusoidal POSITIONS', () => {
    fc.assert(
      fc.property(recipes, fc.constantFrom('learned' as const, 'sinusoidal' as const), (r, encoding) => {
        const recipe = { ...r, vocabulary: 5, encoding };
        const { network } = attentionNet(recipe);
        const names = network.parameters().map((p) => p.name);
        expect(names.some((n) => n.endsWith('.table'))).toBe(true);
        expect(names.some((n) => n.endsWith('.positions'))).toBe(encoding === 'learned');
        const input = sequenceInput(network, r.seed + 1, 5);
        const target = sequenceTarget(network, r.seed + 2, 3, r.softmax === true);
        const { worst } = worstGradientRatio(network, input, target, r.softmax ? cost.CROSS_ENTROPY : cost.MSE);
        expect(worst).toBeLessThan(1);
      }),
      { numRuns: 20, seed: 22 },
    );
  });

  it('attentionWeights() gives [op][head] matrices whose rows sum to 1 (future masked when causal)', () => {
    fc.assert(
      fc.property(recipes, (r) => {
        const { network } = attentionNet(r);
        network.activate(sequenceInput(network, r.seed + 3));
        const weights = network.attentionWeights();
        expect(weights.length).toBe(1);
        expect(weights[0].length).toBe(r.heads);
        for (const head of weights[0]) {
          expect(head.length).toBe(r.length);
          head.forEach((row, i) => {
            expect(row.length).toBe(r.length);
            expect(Math.abs(row.reduce((s, a) => s + a, 0) - 1)).toBeLessThan(1e-12);
            if (r.causal) for (let j = i + 1; j < r.length; j++) expect(row[j]).toBe(0);
          });
        }
      }),
      { numRuns: 50, seed: 23 },
    );
  });

  it('JSON and clone round trips compute the same, parameters and attention weights included', () => {
    for (const recipe of [
      {
        seed: 5,
        length: 4,
        heads: 2,
        dHead: 2,
        causal: true,
        vocabulary: 6,
        encoding: 'learned' as const,
        softmax: true,
      },
      { seed: 6, length: 3, heads: 1, dHead: 3, causal: false, vocabulary: 4, encoding: 'sinusoidal' as const },
      { seed: 7, length: 3, heads: 2, dHead: 1, causal: false, shared: true },
    ]) {
      const { network } = attentionNet(recipe);
      const input = sequenceInput(network, 8, recipe.vocabulary);
      const expected = network.activate(input);
      const json = JSON.parse(JSON.stringify(network.toJSON()));
      for (const copy of [Network.fromJSON(json), network.clone()]) {
        expect(copy.activate(input)).toEqual(expected);
        expect(copy.attentionWeights()).toEqual(network.attentionWeights());
        expect(copy.parameters().map((p) => [p.name, [...p.value]])).toEqual(
          network.parameters().map((p) => [p.name, [...p.value]]),
        );
      }
    }
  });

  it('refuses JSON whose attention or embedding options cannot rebuild them, naming the op', () => {
    const { network } = attentionNet({ seed: 10, length: 3, heads: 1, dHead: 2, causal: true, vocabulary: 4 });
    const json = network.toJSON() as unknown as {
      ops: Array<{ kind: string; sources: unknown[]; options: Record<string, unknown> }>;
    };
    const kinds = json.ops.map((o) => o.kind);
    expect(kinds).toEqual([
      'EMBEDDING',
      'POSITIONS',
      'CONVOLUTION',
      'CONVOLUTION',
      'CONVOLUTION',
      'ATTENTION',
      'CONVOLUTION',
    ]);
    const broken = (edit: (ops: typeof json.ops) => void) => {
      const copy = JSON.parse(JSON.stringify(json)) as typeof json;
      edit(copy.ops);
      return () => Network.fromJSON(copy as never);
    };
    expect(broken((ops) => ops[5].sources.pop())).toThrow(InvalidJSONError);
    expect(broken((ops) => ops[5].sources.pop())).toThrow(/ATTENTION reads three source layers/);
    expect(broken((ops) => (ops[5].options.causal = 2))).toThrow(/causal must be 0 or 1/);
    expect(broken((ops) => (ops[0].options.vocabulary = 0))).toThrow(/vocabulary must be a positive integer/);
    expect(broken((ops) => (ops[1].options.sinusoidal = 3))).toThrow(/sinusoidal must be 0 or 1/);
  });

  it('refuses bad tokens with an InvalidTokenError before anything runs', () => {
    const { network } = attentionNet({ seed: 9, length: 3, heads: 1, dHead: 2, causal: false, vocabulary: 4 });
    const before = network.activate([0, 1, 2]);
    for (const bad of [
      [0, 1, 4],
      [0, -1, 2],
      [0.5, 1, 2],
    ]) {
      expect(() => network.activate(bad)).toThrow(InvalidTokenError);
      expect(network.outputs()).toBe(before.length);
    }
    expect(network.activate([0, 1, 2])).toEqual(before);
  });

  it('refuses mismatched shapes and heads with an OpError naming the problem', () => {
    const a = Layer.shaped(4, 1, 6);
    const b = Layer.shaped(3, 1, 6);
    const t = Layer.shaped(4, 1, 6);
    expect(() => new Attention(a, b, a, t, { heads: 2 })).toThrow(/key layer must be shaped like the target/);
    expect(() => new Attention(a, a, a, t, { heads: 4 })).toThrow(OpError);
    expect(() => new Attention(a, a, a, t, { heads: 4 })).toThrow(
      /heads must be a positive integer dividing the width 6/,
    );
    expect(() => new Attention(a, a, new Layer(24), t, { heads: 2 })).toThrow(/value layer has no shape/);
    expect(t.opsIn.length).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { Layer, type Network } from '@synaptic/core';
import { Hopfield, LSTM, Liquid, Perceptron, type LSTMOptions } from '@synaptic/architect';
import {
  as1xWrites,
  liquidQuirks1x,
  makeData as makeSteps,
  mulberry32,
  synaptic1x,
  withSeededRandom as withSeededMathRandom,
  type Network1x,
} from '@synaptic/test-support';

/** `full`: every LSTM option combination and every Liquid shape (the slow tier); `sample`: a cross-section. */
export type Coverage = 'full' | 'sample';

const { Architect: A1x } = synaptic1x;

/** Builds both under the same seeded Math.random. */
function buildBoth<O extends Network, T extends Network1x>(
  seed: number,
  ours: () => O,
  theirs: () => T,
): { ours: O; theirs: T } {
  return { ours: withSeededMathRandom(seed, ours), theirs: withSeededMathRandom(seed, theirs) };
}

/** Runs both for `count` steps of activate + propagate; returns the largest output difference. */
function runBoth(ours: Network, theirs: Network1x, count: number, seed: number, rate = 0.1): number {
  theirs.setOptimize(false);
  let worst = 0;
  for (const { input, target } of makeSteps(ours.inputs(), ours.outputs(), count, seed)) {
    const a = ours.activate(input);
    const b = theirs.activate(input);
    a.forEach((y, i) => (worst = Math.max(worst, Math.abs(y - b[i]))));
    ours.propagate(rate, target);
    theirs.propagate(rate, target);
  }
  return worst;
}

function expectIdentical(ours: Network, theirs: Network1x, seed: number): void {
  expect(as1xWrites(ours.toJSON())).toBe(JSON.stringify(theirs.toJSON()));
  expect(runBoth(ours, theirs, 200, seed + 1)).toBe(0);
  // bit-identical trained weights too
  expect(as1xWrites(ours.toJSON())).toBe(JSON.stringify(theirs.toJSON()));
}

/** The differential suites against 1.x, run by differential-1x.test.ts (a sample) and its .slow twin (all). */
export function differentialSuites(coverage: Coverage): void {
  describe('Perceptron vs 1.x', () => {
    const cases = [
      [2, 3, 1],
      [4, 6, 5, 3],
      [3, 8, 2],
      [5, 4, 3, 2, 1],
      [1, 1, 1],
      [6, 10, 4],
    ];
    it.each(cases.map((sizes, k) => [sizes.join('-'), sizes, 100 + k] as const))('%s', (_, sizes, seed) => {
      const { ours, theirs } = buildBoth(
        seed,
        () => new Perceptron(...sizes),
        () => new A1x.Perceptron(...sizes),
      );
      expectIdentical(ours, theirs, seed);
    });
  });

  describe('LSTM vs 1.x', () => {
    const { ALL_TO_ALL, ONE_TO_ONE, ALL_TO_ELSE } = Layer.connectionType;
    const cases: Array<[string, number[], LSTMOptions | undefined]> = [
      ['defaults, 1 block', [2, 3, 1], undefined],
      ['defaults, 2 blocks', [2, 3, 2, 2], undefined],
      ['defaults, 3 blocks', [3, 2, 3, 2, 1], undefined],
    ];
    // every combination of the five options, on one and on two blocks
    for (const peepholes of [ALL_TO_ALL, ONE_TO_ONE, ALL_TO_ELSE]) {
      for (let bits = 0; bits < 16; bits++) {
        if (coverage === 'sample' && bits !== 0 && bits !== 15) continue;
        const options: LSTMOptions = {
          peepholes,
          hiddenToHidden: (bits & 1) !== 0,
          outputToHidden: (bits & 2) !== 0,
          outputToGates: (bits & 4) !== 0,
          inputToOutput: (bits & 8) !== 0,
        };
        const name = `${peepholes} ${bits.toString(2).padStart(4, '0')}`;
        cases.push([`${name}, 1 block`, [3, 4, 2], options], [`${name}, 2 blocks`, [2, 3, 4, 2], options]);
      }
    }
    it.each(cases.map(([name, sizes, options], k) => [name, sizes, options, 200 + k] as const))(
      '%s',
      (_, sizes, options, seed) => {
        const args = options ? [...sizes, options] : sizes;
        const { ours, theirs } = buildBoth(
          seed,
          () => new LSTM(...(args as number[])),
          () => new A1x.LSTM(...(args as number[])),
        );
        expectIdentical(ours, theirs, seed);
      },
    );
  });

  /**
   * 1.x's Liquid has two quirks that core does not copy (see liquidQuirks1x): when a random pair is
   * picked again while the reverse connection exists, 1.x makes a parallel duplicate connection
   * (drawing one more weight, so everything after differs); when a connection is gated again, 1.x
   * keeps every gater writing its gain. Seeds without duplicates must give identical JSON (which
   * shows the latest gater); without any quirk, identical numbers; with re-gating only, the numbers
   * of 1.x's own reload of that JSON (each connection gated once, by its latest gater).
   */
  describe('Liquid vs 1.x', () => {
    const tally = { identical: 0, viaJSON: 0, quirkChangedOutputs: 0, duplicates: 0 };
    const shapes: Array<[number, number, number, number, number]> = [
      [3, 12, 2, 30, 10],
      [3, 10, 2, 20, 5],
      [2, 8, 1, 0, 0],
      [1, 5, 1, 10, 0],
    ];
    if (coverage === 'full') shapes.push([4, 30, 3, 40, 10], [2, 50, 2, 100, 30]);
    it.each(shapes.map((s) => [s.join('-'), s] as const))('%s over 25 seeds', (_, shape) => {
      for (let k = 0; k < 25; k++) {
        const seed = 3000 + 97 * k;
        const { ours, theirs } = buildBoth(
          seed,
          () => new Liquid(...shape),
          () => new A1x.Liquid(...shape),
        );
        const quirks = liquidQuirks1x(theirs);
        if (quirks.duplicates > 0) {
          tally.duplicates++;
          const json = ours.toJSON();
          const pairs = new Set(json.connections.map((c) => `${c.from}>${c.to}`));
          expect(pairs.size).toBe(json.connections.length);
          continue;
        }
        expect(as1xWrites(ours.toJSON())).toBe(JSON.stringify(theirs.toJSON()));
        if (quirks.regated === 0 && quirks.gatedTwice === 0) {
          tally.identical++;
          expect(runBoth(ours, theirs, 200, seed + 1)).toBe(0);
        } else {
          tally.viaJSON++;
          const reloaded = synaptic1x.Network.fromJSON(theirs.toJSON());
          if (runBoth(ours.clone(), theirs, 200, seed + 1) > 1e-9) tally.quirkChangedOutputs++;
          expect(runBoth(ours, reloaded, 200, seed + 1)).toBeLessThan(1e-12);
        }
      }
    });
    it('covered every case', () => {
      console.log('Liquid seeds:', tally);
      expect(tally.identical).toBeGreaterThan(50);
      expect(tally.viaJSON).toBeGreaterThan(20);
      expect(tally.quirkChangedOutputs).toBeGreaterThan(0);
      expect(tally.duplicates).toBeGreaterThan(0);
    });
  });

  describe('Hopfield vs 1.x', () => {
    it.each([[2], [5], [16], [40]])('size %i', (size) => {
      const { ours, theirs } = buildBoth(
        500 + size,
        () => new Hopfield(size),
        () => new A1x.Hopfield(size),
      );
      expectIdentical(ours, theirs, size);
    });

    it.each([
      [6, 2],
      [16, 3],
      [32, 5],
    ])('learn: size %i, %i patterns, same iterations, error and weights', (size, count) => {
      const random = mulberry32(size * 31 + count);
      const patterns = Array.from({ length: count }, () =>
        Array.from({ length: size }, () => (random() < 0.5 ? 0 : 1)),
      );
      const { ours, theirs } = buildBoth(
        600 + size,
        () => new Hopfield(size),
        () => new A1x.Hopfield(size),
      );
      theirs.setOptimize(false);
      const a = ours.learn(patterns);
      const b = theirs.learn(patterns);
      expect([a.iterations, a.error]).toEqual([b.iterations, b.error]);
      expect(as1xWrites(ours.toJSON())).toBe(JSON.stringify(theirs.toJSON()));
      const probe = patterns[0].map((bit, i) => (i % 3 === 0 ? 1 - bit : bit));
      expect(ours.feed(probe)).toEqual(theirs.feed(probe));
    });
  });
}

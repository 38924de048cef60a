/**
 * `network.bptt` on the architectures: LSTMs with every option and GRUs, against central finite
 * differences of the summed cost of an episode; the same in compiled code.
 */
import { optimize } from '@synaptic/compile';
import { cost, Layer, mulberry32, setRandom, type Network } from '@synaptic/core';
import { checkBpttAgainstDifferences, randomEpisode } from '@synaptic/test-support';
import { describe, expect, it } from 'vitest';
import { GRU, LSTM, type LSTMOptions } from '../src/index.js';

function seeded<T>(seed: number, build: () => T): T {
  setRandom(mulberry32(seed));
  try {
    return build();
  } finally {
    setRandom();
  }
}

/** Warm-up steps, so that the episode starts from a state with memory. */
function warmUp(net: Network, seed: number): void {
  for (const x of randomEpisode(net.inputs(), net.outputs(), 3, seed).inputs) net.activate(x);
}

function expectExact(net: Network, seed: number, steps = 4): void {
  warmUp(net, seed);
  const check = checkBpttAgainstDifferences(net, randomEpisode(net.inputs(), net.outputs(), steps, seed + 1), cost.MSE);
  expect(check.total).toBeCloseTo(check.reference, 10);
  expect(check.sameState).toBe(true);
  expect(check.entries).toBeGreaterThan(10);
  expect(check.worst, check.worstAt).toBeLessThan(1e-6);
}

const PEEPHOLES = [
  Layer.connectionType.ALL_TO_ALL,
  Layer.connectionType.ONE_TO_ONE,
  Layer.connectionType.ALL_TO_ELSE,
] as const;
const FLAGS = ['hiddenToHidden', 'outputToHidden', 'outputToGates', 'inputToOutput'] as const;

describe('bptt on LSTMs and GRUs', () => {
  it('LSTM: equals central finite differences for every combination of options (peepholes × 4 flags)', () => {
    let combos = 0;
    for (const peepholes of PEEPHOLES)
      for (let mask = 0; mask < 16; mask++) {
        const options: LSTMOptions = { peepholes };
        FLAGS.forEach((flag, k) => (options[flag] = (mask & (1 << k)) !== 0));
        const net = seeded(100 + mask, () => new LSTM(2, 2, 2, options));
        expectExact(net, mask + 7);
        combos++;
      }
    expect(combos).toBe(48);
  });

  it('LSTM with two blocks, and GRUs with one and two blocks', () => {
    expectExact(
      seeded(5, () => new LSTM(2, 2, 2, 1, { outputToGates: true, hiddenToHidden: true })),
      11,
    );
    expectExact(
      seeded(6, () => new GRU(2, 3, 2)),
      12,
      5,
    );
    expectExact(
      seeded(7, () => new GRU(2, 2, 2, 1, { inputToOutput: false })),
      13,
    );
  });

  it('compiled bptt equals the interpreter on an LSTM and a GRU', () => {
    for (const make of [
      () => new LSTM(2, 3, 1, { peepholes: Layer.connectionType.ONE_TO_ONE, outputToHidden: true }),
      () => new GRU(2, 3, 1),
    ]) {
      const reference = seeded(21, make);
      const compiled = optimize(reference.clone());
      const episode = randomEpisode(2, 1, 6, 22);
      for (let round = 0; round < 3; round++) {
        reference.zeroGradients();
        compiled.zeroGradients();
        const a = reference.bptt(episode.inputs, episode.targets);
        const b = compiled.bptt(episode.inputs, episode.targets);
        expect(Math.abs(a - b)).toBeLessThan(1e-12);
        const gb = compiled.parameters();
        reference
          .parameters()
          .forEach((p, k) =>
            p.gradient.forEach((g, e) =>
              expect(Math.abs(g - gb[k].gradient[e]), p.name).toBeLessThan(1e-12 * Math.max(1, Math.abs(g))),
            ),
          );
        // and a step of plain SGD on both, so the next round starts elsewhere
        for (const net of [reference, compiled])
          for (const p of net.parameters()) for (let e = 0; e < p.value.length; e++) p.value[e] -= 0.1 * p.gradient[e];
      }
      expect(compiled.executor()).not.toBeNull();
    }
  });
});

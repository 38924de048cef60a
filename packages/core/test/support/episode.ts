import { expect } from 'vitest';
import { cost as costs, type CostFunction, type Network } from '../../src/index.js';
import { categoricalCrossEntropy } from './finite-differences.js';

export interface Episode {
  inputs: number[][];
  targets: number[][];
}

/** The summed cost of running `episode` from the state saved in `start`, with the current parameter values. */
export function episodeCost(net: Network, episode: Episode, costFn: CostFunction): (start: unknown) => number {
  const softmax = net.layers.output!.layerFunction?.name === 'SOFTMAX' && costFn === costs.CROSS_ENTROPY;
  const measure = softmax ? categoricalCrossEntropy : costFn;
  return (start) => {
    // the checkpoint puts states, gains and traces back; the (perturbed) parameters are kept
    const params = net.parameters();
    const values = params.map((p) => p.value.slice());
    net.rollback(start as ReturnType<Network['checkpoint']>);
    params.forEach((p, k) => p.value.set(values[k]));
    let total = 0;
    for (let t = 0; t < episode.inputs.length; t++)
      total += measure(episode.targets[t], net.activate(episode.inputs[t]));
    return total;
  };
}

/**
 * `bptt` over `episode` against central finite differences of the summed cost, entry by entry of
 * every parameter; also checks that bptt returned the summed cost and left the network where
 * `activate` leaves it. Returns the largest relative difference.
 */
export function checkBptt(
  net: Network,
  episode: Episode,
  costFn: CostFunction = costs.MSE,
  { h = 1e-6, tolerance = 1e-6 }: { h?: number; tolerance?: number } = {},
): number {
  const start = net.checkpoint();
  const run = episodeCost(net, episode, costFn);
  const reference = run(start);
  const after = net.neurons().map(({ neuron }) => [neuron.state, neuron.activation]);
  net.rollback(start);
  net.zeroGradients();
  const total = net.bptt(episode.inputs, episode.targets, { cost: costFn });
  expect(total).toBeCloseTo(reference, 10);
  // the network is in the state after the episode
  expect(net.neurons().map(({ neuron }) => [neuron.state, neuron.activation])).toEqual(after);
  const params = net.parameters();
  const analytic = params.map((p) => p.gradient.slice());
  let worst = 0;
  params.forEach((p, t) => {
    for (let e = 0; e < p.value.length; e++) {
      if (p.fixed?.[e]) {
        expect(analytic[t][e], `${p.name}[${e}] is fixed`).toBe(0);
        continue;
      }
      const v = p.value[e];
      p.value[e] = v + h;
      const up = run(start);
      p.value[e] = v - h;
      const down = run(start);
      p.value[e] = v;
      const numeric = (up - down) / (2 * h);
      const scale = Math.max(1, Math.abs(numeric), Math.abs(analytic[t][e]));
      const error = Math.abs(numeric - analytic[t][e]) / scale;
      worst = Math.max(worst, error);
      expect(error, `${p.name}[${e}]: bptt ${analytic[t][e]} vs ${numeric}`).toBeLessThan(tolerance);
    }
  });
  net.rollback(start);
  return worst;
}

/** A seeded episode of `steps` inputs in [−1, 1) and targets in [0.1, 0.9). */
export function randomEpisode(inputs: number, outputs: number, steps: number, seed: number): Episode {
  let s = seed >>> 0 || 1;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return {
    inputs: Array.from({ length: steps }, () => Array.from({ length: inputs }, () => 2 * next() - 1)),
    targets: Array.from({ length: steps }, () => Array.from({ length: outputs }, () => 0.1 + 0.8 * next())),
  };
}

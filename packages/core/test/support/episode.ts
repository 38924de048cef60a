import { checkBpttAgainstDifferences, type Episode } from '@synaptic/test-support';
import { expect } from 'vitest';
import { cost as costs, type CostFunction, type Network } from '../../src/index.js';
import { categoricalCrossEntropy } from './finite-differences.js';

export { randomEpisode, type Episode } from '@synaptic/test-support';

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
  const softmax = net.layers.output!.layerFunction?.name === 'SOFTMAX' && costFn === costs.CROSS_ENTROPY;
  const check = checkBpttAgainstDifferences(net, episode, costFn, softmax ? categoricalCrossEntropy : costFn, h);
  expect(check.total).toBeCloseTo(check.reference, 10);
  expect(check.sameState, 'bptt leaves the network in the state after the episode').toBe(true);
  expect(check.fixedWithGradient).toEqual([]);
  expect(check.entries).toBeGreaterThan(0);
  expect(check.worst, check.worstAt).toBeLessThan(tolerance);
  return check.worst;
}
